package dev.tessera.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Delayed;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DateColumn;
import tech.tablesaw.api.DateTimeColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class TableCodecTest {
  static Table sample(int rows, long seed) {
    Random rnd = new Random(seed);
    DoubleColumn d = DoubleColumn.create("d");
    IntColumn i = IntColumn.create("i");
    LongColumn l = LongColumn.create("l");
    FloatColumn f = FloatColumn.create("f");
    StringColumn s = StringColumn.create("s");
    DateColumn day = DateColumn.create("day");
    BooleanColumn b = BooleanColumn.create("b");
    DateTimeColumn ts = DateTimeColumn.create("ts");
    for (int r = 0; r < rows; r++) {
      boolean miss = r % 7 == 3;
      if (miss) {
        d.appendMissing();
        i.appendMissing();
        l.appendMissing();
        f.appendMissing();
        s.appendMissing();
        day.appendMissing();
        b.appendMissing();
        ts.appendMissing();
      } else {
        d.append(rnd.nextGaussian());
        i.append(rnd.nextInt());
        l.append(rnd.nextLong());
        f.append(rnd.nextFloat());
        s.append("wörd-" + rnd.nextInt(100));
        day.append(LocalDate.of(2025, 1, 1).plusDays(rnd.nextInt(365)));
        b.append(rnd.nextBoolean());
        ts.append(LocalDateTime.of(2025, 3, 1, 12, 0).plusSeconds(rnd.nextInt(100_000)));
      }
    }
    return Table.create("sample", d, i, l, f, s, day, b, ts);
  }

  static Table roundTrip(Table t) throws Exception {
    TableCodec codec = new TableCodec();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      codec.write(t, out);
    }
    return codec.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
  }

  static void assertSameTable(Table a, Table b) {
    assertEquals(a.columnNames(), b.columnNames());
    assertEquals(a.rowCount(), b.rowCount());
    for (int c = 0; c < a.columnCount(); c++) {
      assertEquals(a.column(c).type(), b.column(c).type(), a.column(c).name());
      for (int r = 0; r < a.rowCount(); r++) {
        assertEquals(a.column(c).isMissing(r), b.column(c).isMissing(r));
        assertEquals(a.column(c).getString(r), b.column(c).getString(r));
      }
    }
  }

  @Test
  void everyColumnTypeRoundTripsWithMissingValues() throws Exception {
    for (int rows : new int[] {0, 1, 7, 1000}) {
      Table t = sample(rows, rows);
      assertSameTable(t, roundTrip(t));
    }
    assertTrue(new TableCodec().sizeOf(sample(100, 1)) > 0);
  }

  static Table makeTable(int rows) {
    return sample(rows, 42);
  }

  static int rowCount(Table t) {
    return t.rowCount();
  }

  @Test
  void tablesTravelBetweenWorkerProcesses() {
    try (ProcessScheduler s = Schedulers.processes(2)) {
      Delayed<Table> t = Delayed.call(TableCodecTest::makeTable, Delayed.value(500));
      Table back = t.compute(s);
      assertSameTable(sample(500, 42), back);
      assertEquals(500, Delayed.call(TableCodecTest::rowCount, t).compute(s));
    }
  }
}
