package dev.tessera.frame;

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
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;

/**
 * Shuffle pieces between processes: a spilled piece travels as its table, and one that its
 * gatherer already consumed here (its file maybe deleted) travels as a marker that refuses to
 * be read, while the list's other pieces still arrive whole. Seen on worker JVMs: a split's
 * whole list was shipped for one piece after local gathers had released the others.
 */
class ShufflePieceCodecTest {
  @TempDir Path dir;

  @AfterEach
  void defaults() {
    ShuffleMemory.resetBudget();
    ShuffleMemory.setSpillDirectory(Path.of(System.getProperty("java.io.tmpdir")));
  }

  static Table table(int n, long from) {
    LongColumn id = LongColumn.create("id");
    DoubleColumn x = DoubleColumn.create("x");
    for (int i = 0; i < n; i++) {
      id.append(from + i);
      x.append((from + i) * 0.5);
    }
    return Table.create("t", id, x);
  }

  static ShufflePiece roundTrip(ShufflePiece p) throws IOException {
    ShufflePieceCodec codec = new ShufflePieceCodec();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      codec.write(p, out);
    }
    return codec.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
  }

  long files() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).count();
    }
  }

  @Test
  void spilledPiecesTravelAsTablesAndGatheredOnesAsAMarker() throws IOException {
    ShuffleMemory.setSpillDirectory(dir);
    ShuffleMemory.setBudget(0);   // every non-empty piece spills, all into one file
    Spill.Batch batch = new Spill.Batch();
    List<ShufflePiece> pieces = List.of(batch.keep(table(5, 0)), batch.keep(table(3, 100)),
        batch.keep(table(4, 200)));
    batch.finish();
    assertTrue(pieces.stream().allMatch(p -> p instanceof Spill.Spilled));
    assertEquals(1, files());

    ShufflePiece shipped = roundTrip(pieces.get(1));
    assertEquals(table(3, 100).print(), shipped.table().print());

    // pieces 0 and 2 gathered here: the file goes once all three are released, but piece 1
    // can still be shipped until then, and pieces 0 and 2 ship as markers
    pieces.get(0).release();
    pieces.get(2).release();
    ShufflePiece gathered = roundTrip(pieces.get(0));
    IllegalStateException e = assertThrows(IllegalStateException.class, gathered::table);
    assertTrue(e.getMessage().contains("gathered"), e.getMessage());
    assertEquals(table(3, 100).print(), roundTrip(pieces.get(1)).table().print());

    pieces.get(1).release();
    assertEquals(0, files());
    // every piece gathered and the file deleted: the list still encodes, as markers
    for (ShufflePiece p : pieces) {
      assertThrows(IllegalStateException.class, roundTrip(p)::table);
    }
  }

  @Test
  void piecesInMemoryTravelAsTables() throws IOException {
    ShuffleMemory.setBudget(1L << 30);
    Spill.Batch batch = new Spill.Batch();
    ShufflePiece p = batch.keep(table(7, 10));
    batch.finish();
    assertTrue(p instanceof Spill.Held);
    assertEquals(table(7, 10).print(), roundTrip(p).table().print());
    p.release();
  }
}
