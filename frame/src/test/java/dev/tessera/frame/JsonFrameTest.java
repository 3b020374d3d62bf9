package dev.tessera.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.GraphException;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.schedulers.Schedulers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;

class JsonFrameTest {
  @TempDir Path dir;

  @Test
  void roundTripsThroughJsonLinesOnSeveralPartitionings() {
    Table t = TestData.random(400, 61, 0.1);
    for (int parts : new int[] {1, 3, 9}) {
      Path out = dir.resolve("j" + parts);
      List<String> files = Frame.fromTable(t, parts).toJson(out);
      assertEquals(parts, files.size());
      Frame inferred = Frame.readJson(out.toString());
      assertEquals(Schema.of(t), inferred.schema(), "inferred from the first file");
      TestData.assertSameTable(t, inferred.compute(Schedulers.sync()), true);
      TestData.assertSameTable(t, Frame.readJson(out + "/*.jsonl", Schema.of(t)).compute(),
          true);
    }
    Table empty = TestData.random(0, 62, 0);
    Path out = dir.resolve("empty");
    Frame.fromTable(empty, 2).toJson(out);
    TestData.assertSameTable(empty, Frame.readJson(out.toString(), Schema.of(empty))
        .compute(), true);
  }

  @Test
  void infersTypesAbsentKeysNestedValuesAndNulls() throws IOException {
    Path f = dir.resolve("mixed.jsonl");
    Files.writeString(f, String.join("\n",
        "{\"a\": 1, \"b\": \"x\", \"d\": \"2025-03-01\", \"n\": null, \"ok\": true}",
        "",
        "{\"a\": 2.5, \"b\": \"y\", \"tags\": [1, 2], \"ok\": false}",
        "{\"b\": null, \"d\": \"2025-03-02\", \"o\": {\"k\": \"v\"}}") + "\n");
    Frame fr = Frame.readJson(f.toString());
    assertEquals(Schema.of("a", ColumnType.DOUBLE, "b", ColumnType.STRING,
        "d", ColumnType.LOCAL_DATE, "n", ColumnType.STRING, "ok", ColumnType.BOOLEAN,
        "tags", ColumnType.STRING, "o", ColumnType.STRING), fr.schema());
    Table t = fr.compute();
    assertEquals(Arrays.asList(1.0, 2.5, null), values(t, "a"));
    assertEquals(Arrays.asList("x", "y", null), values(t, "b"));
    assertEquals(Arrays.asList(LocalDate.of(2025, 3, 1), null, LocalDate.of(2025, 3, 2)),
        values(t, "d"));
    assertEquals(Arrays.asList(null, "[1,2]", null), values(t, "tags"));
    assertEquals(Arrays.asList(null, null, "{\"k\":\"v\"}"), values(t, "o"));
  }

  static List<Object> values(Table t, String c) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < t.rowCount(); i++) {
      out.add(t.column(c).isMissing(i) ? null : t.column(c).get(i));
    }
    return out;
  }

  @Test
  void toBagGivesRowsAsMaps() {
    Table t = TestData.random(50, 63, 0.2);
    for (int parts : new int[] {1, 4, 60}) { // 60 > rows: empty partitions
      var bag = Frame.fromTable(t, parts).toBag();
      assertEquals(parts, bag.npartitions());
      List<Map<String, Object>> rows = bag.compute();
      assertEquals(t.rowCount(), rows.size());
      for (int i = 0; i < rows.size(); i++) {
        assertEquals(TestData.rows(t).get(i), new ArrayList<>(rows.get(i).values()));
        assertEquals(t.columnNames(), new ArrayList<>(rows.get(i).keySet()));
      }
    }
  }

  record Point(String name, double x, Long k) {}

  @Test
  void toBagGivesRowsAsRecords() {
    Table t = TestData.random(30, 64, 0.2);
    for (int parts : new int[] {1, 5, 40}) {
      List<Point> points = Frame.fromTable(t, parts).toBag(Point.class).compute();
      assertEquals(30, points.size());
      for (int i = 0; i < 30; i++) {
        Point p = points.get(i);
        assertEquals(t.stringColumn("name").isMissing(i) ? null : t.stringColumn("name").get(i),
            p.name());
        assertEquals(t.doubleColumn("x").getDouble(i), p.x(), 0.0); // NaN for missing, both
        assertEquals(t.longColumn("k").isMissing(i) ? null : t.longColumn("k").get(i), p.k());
      }
    }
    record Bad(double nope) {}
    assertThrows(GraphException.class, () -> Frame.fromTable(t, 1).toBag(Bad.class));
  }

  @Test
  void badInputIsNamed() throws IOException {
    Path f = dir.resolve("arr.jsonl");
    Files.writeString(f, "[1, 2]\n");
    GraphException e = assertThrows(GraphException.class, () -> Frame.readJson(f.toString()));
    assertTrue(e.getMessage().contains("line 1 is not a JSON object"), e.getMessage());
    Path g = dir.resolve("later.jsonl");
    Files.writeString(g, "{\"a\": 1}\n{\"a\": \"zz\"}\n");
    TaskFailedException te = assertThrows(TaskFailedException.class,
        () -> Frame.readJson(g.toString(), Schema.of("a", ColumnType.LONG)).compute());
    assertTrue(te.getCause().getMessage().contains("column 'a'"), te.getCause().getMessage());
    assertThrows(GraphException.class, () -> Frame.readJson(dir.resolve("no*.jsonl")
        .toString()));
  }
}
