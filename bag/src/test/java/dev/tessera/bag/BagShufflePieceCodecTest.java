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
    BagSpill.HeldList a = new BagSpill.HeldList();
    a.addAll(List.of(1, "one", 2, "two", 1, "uno"));
    BagSpill.HeldList b = new BagSpill.HeldList();
    b.addAll(List.of("k", List.of(3, 4)));
    List<Object> pieces = BagSpill.pieces(new BagSpill.HeldList[] {a, new BagSpill.HeldList(),
        b}, "bag", "('groupby-split-x', 0)");
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
    assertEquals(pairs(received), pairs(roundTrip((BagShufflePiece) inMemory)), "and on");
    for (Object p : List.of(received, inMemory)) {
      BagSpill.release(p);
    }
    BagSpill.release(first);
    Object gathered = roundTrip(first);
    assertThrows(IllegalStateException.class, () -> pairs(gathered));
    assertEquals(List.of("k", List.of(3, 4)), pairs(pieces.get(2)), "the other piece is intact");
    BagSpill.release(pieces.get(2));
    try (var s = Files.walk(dir)) {
      assertEquals(0, s.filter(Files::isRegularFile).count(), "the file went with its pieces");
    }
  }
}
