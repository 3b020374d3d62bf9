package dev.tessera.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.bag.Bag;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.schedulers.Schedulers;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DateColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class FromBagTest {
  private static final dev.tessera.graph.Scheduler SYNC = Schedulers.sync();

  record Sale(String name, double x, int n, LocalDate day) {}

  static final Schema META = Schema.of("name", ColumnType.STRING, "x", ColumnType.DOUBLE,
      "n", ColumnType.INTEGER, "day", ColumnType.LOCAL_DATE);

  static List<Sale> sales(int count, long seed) {
    Random r = new Random(seed);
    List<Sale> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(new Sale(r.nextInt(5) == 0 ? null : "n" + r.nextInt(4), r.nextGaussian(),
          r.nextInt(100), LocalDate.of(2025, 1, 1).plusDays(r.nextInt(300))));
    }
    return out;
  }

  /** The same rows built directly with Tablesaw. */
  static Table direct(List<Sale> sales) {
    StringColumn name = StringColumn.create("name");
    DoubleColumn x = DoubleColumn.create("x");
    IntColumn n = IntColumn.create("n");
    DateColumn day = DateColumn.create("day");
    for (Sale s : sales) {
      if (s.name() == null) {
        name.appendMissing();
      } else {
        name.append(s.name());
      }
      x.append(s.x());
      n.append(s.n());
      day.append(s.day());
    }
    return Table.create(name, x, n, day);
  }

  static void assertSameRows(Table expected, Table actual) {
    assertEquals(expected.columnNames(), actual.columnNames());
    assertEquals(expected.rowCount(), actual.rowCount());
    for (int c = 0; c < expected.columnCount(); c++) {
      for (int r = 0; r < expected.rowCount(); r++) {
        assertEquals(expected.column(c).getUnformattedString(r),
            actual.column(c).getUnformattedString(r));
      }
    }
  }

  @Test
  void recordsMapsListsAndArraysOnSeveralPartitionings() {
    List<Sale> data = sales(57, 3);
    Table expected = direct(data);
    List<Map<String, Object>> maps = new ArrayList<>();
    List<List<Object>> lists = new ArrayList<>();
    List<Object[]> arrays = new ArrayList<>();
    for (Sale s : data) {
      Map<String, Object> m = new HashMap<>();
      m.put("name", s.name());
      m.put("x", s.x());
      m.put("n", (long) s.n()); // a long into an int column: converted
      m.put("day", s.day().toString()); // ISO text into a date column: parsed
      maps.add(m);
      List<Object> l = new ArrayList<>();
      l.add(s.name());
      l.add(s.x());
      l.add(s.n());
      l.add(s.day());
      lists.add(l);
      arrays.add(l.toArray());
    }
    for (int parts : new int[] {1, 4, 57, 80}) {
      assertSameRows(expected, Frame.fromBag(Bag.fromCollection(data, parts), META)
          .compute(SYNC));
      assertSameRows(expected, Frame.fromBag(Bag.fromCollection(maps, parts), META)
          .compute(SYNC));
      assertSameRows(expected, Frame.fromBag(Bag.fromCollection(lists, parts), META)
          .compute(SYNC));
      assertSameRows(expected, Frame.fromBag(Bag.fromCollection(arrays, parts), META)
          .compute(SYNC));
    }
  }

  @Test
  void aPipelineOfBagOperationsThenAFrameQuery() {
    List<Sale> data = sales(200, 9);
    Frame f = Frame.fromBag(Bag.fromCollection(data, 6).filter(s -> s.n() % 2 == 0), META);
    double direct = data.stream().filter(s -> s.n() % 2 == 0).mapToDouble(Sale::x).sum();
    assertEquals(direct, f.sum("x").compute(SYNC), 1e-9);
    assertEquals(data.stream().filter(s -> s.n() % 2 == 0).count(),
        f.len().compute(SYNC));
    assertEquals(6, f.npartitions());
  }

  @Test
  void plainValuesMakeOneColumn() {
    Schema one = Schema.of("v", ColumnType.DOUBLE);
    Table t = Frame.fromBag(Bag.fromCollection(List.of(1, 2.5, 3L), 2), one)
        .compute(SYNC);
    assertEquals(List.of(1.0, 2.5, 3.0), t.doubleColumn("v").asList());
  }

  @Test
  void elementsThatDoNotFitNameThePartitionElementAndColumn() {
    Map<String, Object> bad = new HashMap<>(Map.of("name", "a", "x", "oops", "n", 1,
        "day", "2025-01-01"));
    TaskFailedException e = assertThrows(TaskFailedException.class,
        () -> Frame.fromBag(Bag.fromCollection(List.of(bad), 1), META).compute(SYNC));
    assertInstanceOf(FrameException.class, e.getCause());
    String m = e.getCause().getMessage();
    assertTrue(m.contains("element 0") && m.contains("'x'") && m.contains("DOUBLE")
        && m.contains("'oops'"), m);

    Map<String, Object> fraction = new HashMap<>(bad);
    fraction.put("x", 1.0);
    fraction.put("n", 2.5);
    m = assertThrows(TaskFailedException.class, () -> Frame.fromBag(
        Bag.fromCollection(List.of(fraction), 1), META).compute(SYNC)).getCause()
        .getMessage();
    assertTrue(m.contains("'n'") && m.contains("not a whole number"), m);

    m = assertThrows(TaskFailedException.class, () -> Frame.fromBag(
        Bag.fromCollection(List.of(Map.of("name", "a")), 1), META).compute(SYNC))
        .getCause().getMessage();
    assertTrue(m.contains("no field 'x'"), m);

    m = assertThrows(TaskFailedException.class, () -> Frame.fromBag(
        Bag.fromCollection(List.of(List.of("a", 1.0)), 1), META).compute(SYNC))
        .getCause().getMessage();
    assertTrue(m.contains("has 2 fields, the meta 4"), m);
  }

  @Test
  void tablesawsMissingMarkersAndSubMillisecondTimesAreRefusedNotLost() {
    Object[][] cases = {
        {Long.MIN_VALUE, ColumnType.LONG, "mark missing values"},
        {Integer.MIN_VALUE, ColumnType.INTEGER, "mark missing values"},
        {(int) Short.MIN_VALUE, ColumnType.SHORT, "mark missing values"},
        {java.time.LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_000),
            ColumnType.LOCAL_DATE_TIME, "finer than a millisecond"}};
    for (Object[] c : cases) {
      Bag<Object> b = Bag.fromCollection(List.of(c[0]), 1);
      Frame f = Frame.fromBag(b, Schema.of("v", (ColumnType) c[1]));
      TaskFailedException e = assertThrows(TaskFailedException.class, () -> f.compute(SYNC));
      assertTrue(e.getCause().getMessage().contains("column 'v'")
          && e.getCause().getMessage().contains((String) c[2]), e.getCause().getMessage());
    }
    Frame ok = Frame.fromBag(Bag.fromCollection(List.<Object>of(Long.MIN_VALUE + 1), 1),
        Schema.of("v", ColumnType.LONG));
    assertEquals(Long.MIN_VALUE + 1, ok.compute(SYNC).longColumn("v").get(0));
  }
}
