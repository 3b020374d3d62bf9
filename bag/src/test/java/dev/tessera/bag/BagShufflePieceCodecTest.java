package dev.tessera.bag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spilled groupby pieces travel as their file's bytes; a gathered one as a marker. */
class BagShufflePieceCodecTest {
  @TempDir Path dir;

  @AfterEach
  void defaults() {
    BagShuffleMemory.resetBudget();
    BagShuffleMemory.setSpillDirectory(Path.of(System.getProperty("java.io.tmpdir")));
  }

  static List<Object> pairs(Object piece) {
    List<Object> out = new ArrayList<>();
    BagSpill.forEach(piece, (k, x) -> {
      out.add(k);
      out.add(x);
    });
    return out;
  }

  static Object roundTrip(BagShufflePiece p) throws IOException {
    BagShufflePieceCodec codec = new BagShufflePieceCodec();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    codec.write(p, new DataOutputStream(bytes));
    return codec.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
  }

  @Test
  void aSpilledPieceTravelsAsItsBytesAndAGatheredOneAsAMarker() throws IOException {
    BagShuffleMemory.setSpillDirectory(dir);
    BagShuffleMemory.setBudget(0);
    long held = BagShuffleMemory.heldBytes();
    BagSpill.Splitter split = new BagSpill.Splitter(3, "bag", "('groupby-split-x', 0)");
    for (Object[] kx : new Object[][] {{1, "one"}, {2, "two"}, {1, "uno"}}) {
      split.add(0, kx[0], kx[1]);
    }
    split.add(2, "k", List.of(3, 4));
    List<Object> pieces = split.finish();
    assertEquals(List.of(), pieces.get(1));
    BagShufflePieceCodec codec = new BagShufflePieceCodec();
    BagShufflePiece first = (BagShufflePiece) pieces.get(0);
    assertTrue(codec.sizeOf(first) > 9);
    Object received = roundTrip(first); // past the budget here too: into a file of its own
    assertTrue(received instanceof BagSpill.Spilled, received.toString());
    assertEquals(List.of(1, "one", 2, "two", 1, "uno"), pairs(received));
    BagShuffleMemory.resetBudget();
    Object inMemory = roundTrip((BagShufflePiece) received); // shipped on, within the budget
    assertTrue(inMemory instanceof BagShufflePieceCodec.Received, inMemory.toString());
    assertTrue(BagShuffleMemory.heldBytes() > 0);
    Object again = roundTrip((BagShufflePiece) inMemory);
    assertEquals(pairs(received), pairs(again), "and on");
    for (Object p : List.of(received, inMemory, again)) {
      BagSpill.release(p);
    }
    BagSpill.release(first);
    Object gathered = roundTrip(first);
    assertThrows(IllegalStateException.class, () -> pairs(gathered));
    assertEquals(List.of("k", List.of(3, 4)), pairs(pieces.get(2)), "the other piece is intact");
    BagSpill.release(pieces.get(2));
    assertEquals(0, BagShuffleMemory.heldBytes() - held, "received pieces give their bytes back");
    try (var s = Files.walk(dir)) {
      assertEquals(0, s.filter(Files::isRegularFile).count(), "the file went with its pieces");
    }
  }

  @Test
  void aSplitPastTheBudgetSpillsAsItGoesAndKeepsOrderAcrossRuns() throws IOException {
    BagShuffleMemory.setSpillDirectory(dir);
    BagShuffleMemory.setBudget(0);
    BagSpill.Splitter split = new BagSpill.Splitter(2, "bag", "('groupby-split-x', 0)");
    List<Object> expected = new ArrayList<>();
    int n = 3 * BagSpill.CHECK + 5;
    for (int i = 0; i < n; i++) {
      split.add(i % 2, i % 2, i);
      if (i % 2 == 0) {
        expected.add(0);
        expected.add(i);
      }
    }
    List<Object> pieces = split.finish();
    BagSpill.Spilled first = (BagSpill.Spilled) pieces.get(0);
    assertEquals(4, first.lengths.length, "three checks spilled, then the rest");
    assertEquals(expected, pairs(first));
    BagShufflePieceCodec codec = new BagShufflePieceCodec();
    BagShuffleMemory.resetBudget();
    Object received = roundTrip(first);
    assertEquals(expected, pairs(received));
    pieces.forEach(BagSpill::release);
    BagSpill.release(received);
    try (var s = Files.walk(dir)) {
      assertEquals(0, s.filter(Files::isRegularFile).count());
    }
    assertTrue(codec.sizeOf(first) > 0);
  }
}
