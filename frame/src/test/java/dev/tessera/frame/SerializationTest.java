package dev.tessera.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskGraph;
import dev.tessera.schedulers.Schedulers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** Every task of a frame's graph survives Java serialization, and the copy computes the same. */
class SerializationTest {
  @TempDir Path dir;

  @Test
  void graphsOfEveryKindOfOperationSerialize() throws Exception {
    Table t = TestData.random(120, 9, 0.1);
    Path csv = TestData.writeCsv(t, dir.resolve("s.csv"));
    Frame a = Frame.readCsv(csv.toString(), CsvOptions.defaults().blocksize(700))
        .filter(Expr.col("x").gt(-5).and(Expr.col("name").contains("e").not()))
        .assign("m", Expr.col("day").month().plus(Expr.col("k")))
        .mapPartitions(p -> p);
    Frame b = Frame.fromTable(t, 3);
    Frame all = Frame.concat(
        a.groupby("name").splitOut(2).agg(Agg.sum("x"), Agg.nunique("k"), Agg.first("day"))
            .merge(b.groupby("name").agg(Agg.size()), "name").select("name", "x_sum", "size"),
        a.merge(b, JoinType.OUTER, List.of("id"), 0).groupby("name_x").agg(Agg.sum("x_x"))
            .rename("name_x", "name").rename("x_x_sum", "x_sum")
            .assign("size", Expr.lit(0)).select("name", "x_sum", "size"));
    Frame sorted = all.sortValues("x_sum").repartition(3);
    Map<Key, Task> copy = new LinkedHashMap<>();
    for (Map.Entry<Key, Task> e : sorted.graph().tasks().entrySet()) {
      copy.put(e.getKey(), roundTrip(e.getValue()));
    }
    Frame copied = sorted.withGraph(TaskGraph.fromTasks(copy));
    TestData.assertSameTable(sorted.compute(Schedulers.sync()), copied.compute(), true);
    assertEquals(sorted.outputKeys(), copied.outputKeys());
  }

  static Task roundTrip(Task t) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(t);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(
        bytes.toByteArray()))) {
      return (Task) in.readObject();
    }
  }
}
