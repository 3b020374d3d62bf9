package dev.tessera.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.array.Array;
import dev.tessera.array.Chunks;
import dev.tessera.array.Linalg;
import dev.tessera.graph.GraphException;
import dev.tessera.schedulers.Schedulers;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

class ArrayFramesTest {
  @TempDir Path dir;

  static double[][] direct(Table t, String... cols) {
    double[][] m = new double[t.rowCount()][cols.length];
    for (int i = 0; i < t.rowCount(); i++) {
      for (int j = 0; j < cols.length; j++) {
        var c = t.column(cols[j]);
        m[i][j] = c.isMissing(i) ? Double.NaN : c instanceof tech.tablesaw.api.BooleanColumn b
            ? (b.get(i) ? 1 : 0) : ((tech.tablesaw.api.NumericColumn<?>) c).getDouble(i);
      }
    }
    return m;
  }

  static void assertMatrix(double[][] want, INDArray got) {
    assertEquals(want.length, got.rows());
    for (int i = 0; i < want.length; i++) {
      for (int j = 0; j < want[i].length; j++) {
        double w = want[i][j];
        double g = got.getDouble(i, j);
        assertTrue(Double.isNaN(w) ? Double.isNaN(g) : w == g, i + "," + j + ": " + w + " vs "
            + g);
      }
    }
  }

  @Test
  void toArrayOneRowBlockPerPartitionWithOrWithoutLengths() {
    for (int rows : new int[] {1, 5, 300}) {
      Table t = TestData.random(rows, 101 + rows, 0.1);
      double[][] want = direct(t, "x", "k", "ok");
      for (int parts : new int[] {1, 3, 8}) { // 8 > 5: empty partitions
        Frame f = Frame.fromTable(t, parts);
        Array a = f.toArray(true, "x", "k", "ok");
        assertArrayEquals(new long[] {rows, 3}, a.shape());
        long[] expect = new long[parts];
        for (int i = 0; i < parts; i++) {
          expect[i] = (long) rows * (i + 1) / parts - (long) rows * i / parts;
        }
        assertArrayEquals(expect, a.chunks()[0], "one row block per partition");
        assertMatrix(want, a.compute(Schedulers.sync()));
        Array lazy = f.toArray(false, "x", "k", "ok");
        assertEquals(-1, lazy.chunks()[0][0], "unknown until asked");
        assertMatrix(want, lazy.compute());
        assertArrayEquals(expect, lazy.computeChunkSizes().chunks()[0]);
        // and back: one partition per row block, the same values
        Frame back = Frame.fromArray(a, "x", "k", "ok");
        assertEquals(parts, back.npartitions());
        assertEquals(Schema.of("x", ColumnType.DOUBLE, "k", ColumnType.DOUBLE,
            "ok", ColumnType.DOUBLE), back.schema());
        Table b = back.compute();
        assertMatrix(want, Nd4j.create(direct(b, "x", "k", "ok")));
      }
    }
    Frame f = Frame.fromTable(TestData.random(3, 1, 0), 1);
    assertEquals(4, f.toArray(true).shape()[1], "every numeric and boolean column");
    assertThrows(GraphException.class, () -> f.toArray(true, "name"));
  }

  @Test
  void fromArrayMergesColumnBlocksAndKeepsTypes() {
    INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 23, 5);
    Array a = Array.fromINDArray(x, Chunks.of(7, 2));
    Frame f = Frame.fromArray(a, "a", "b", "c", "d", "e");
    assertEquals(4, f.npartitions());
    Table t = f.compute();
    for (int i = 0; i < 23; i++) {
      for (int j = 0; j < 5; j++) {
        assertEquals(x.getDouble(i, j), ((DoubleColumn) t.column(j)).get(i));
      }
    }
    Frame one = Frame.fromArray(Array.arange(0, 10, 1, Chunks.of(4),
        dev.tessera.array.DType.INT64), "i");
    assertEquals(ColumnType.LONG, one.schema().type("i"));
    assertEquals(45L, one.compute().longColumn("i").sum());
    assertThrows(GraphException.class, () -> Frame.fromArray(a, "a"));
  }

  @Test
  void readmeExampleLeastSquaresAndPredictionsBackInTheFrame() throws Exception {
    // y = 3 + 2 x + small noise, written as CSV and read back in 4 blocks
    Random r = new Random(5);
    int n = 2000;
    double[] xs = new double[n];
    double[] ys = new double[n];
    for (int i = 0; i < n; i++) {
      xs[i] = r.nextDouble() * 10;
      ys[i] = 3 + 2 * xs[i] + r.nextGaussian() * 0.01;
    }
    Table t = Table.create("t", DoubleColumn.create("x", xs), DoubleColumn.create("y", ys));
    Path csv = TestData.writeCsv(t, dir.resolve("xy.csv"));
    Frame f = Frame.readCsv(csv.toString(), CsvOptions.defaults().blocksize(10_000))
        .assign("one", Expr.lit(1.0));
    Array a = f.toArray(true, "x", "one");
    Array b = f.toArray(true, "y");
    INDArray coef = Linalg.lstsq(a, b).x().compute();
    double slope = coef.getDouble(0, 0);
    double intercept = coef.getDouble(1, 0);
    assertEquals(2.0, slope, 1e-3);
    assertEquals(3.0, intercept, 1e-2);
    Frame withPred = f.assign("pred", Expr.col("x").times(slope).plus(intercept));
    Table got = withPred.compute();
    for (int i = 0; i < n; i++) {
      assertEquals(ys[i], got.doubleColumn("pred").get(i), 0.1);
    }
    // the same predictions through the array: a @ coef, back as a frame
    Table viaArray = Frame.fromArray(a.matmul(Array.fromINDArray(coef, Chunks.of(-1, -1))),
        "pred").compute();
    for (int i = 0; i < n; i++) {
      assertEquals(got.doubleColumn("pred").get(i), viaArray.doubleColumn("pred").get(i),
          1e-9);
    }
  }
}
