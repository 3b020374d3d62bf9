package dev.tessera.examples.tutorials;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.idioms.views.Client;
import dev.tessera.idioms.views.DirectView;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import dev.tessera.schedulers.ThreadedScheduler;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The tutorial examples of seeds 000 to 002 at a small size, on two threads and on two worker
 * JVMs (one pool for the class): their answers checked against the serial computations, their
 * pictures decoded. No timings are asserted.
 */
class Seeds000To002Test {
  private static ThreadedScheduler threads;
  private static ProcessScheduler jvms;

  @TempDir
  Path out;

  @BeforeAll
  static void start() {
    threads = Schedulers.threads(2);
    jvms = Schedulers.processes(2);
  }

  @AfterAll
  static void stop() {
    jvms.close();
    threads.close();
  }

  static void assertPng(Path file, int width, int height) throws IOException {
    BufferedImage img = ImageIO.read(file.toFile());
    assertNotNull(img, file + " is not a decodable image");
    assertEquals(width, img.getWidth(), "width of " + file);
    assertEquals(height, img.getHeight(), "height of " + file);
  }

  @Test
  void ipyparallelBasics() throws IOException {
    for (var s : List.of(threads, jvms)) {
      IpyparallelBasics.Result r = IpyparallelBasics.run(s, 12);
      IpyparallelBasics.check(r);   // throws when a check fails
      assertEquals(List.of(0, 2, 4, 6, 8, 10, 12, 14), r.evens());
      assertEquals(IpyparallelBasics.range(24), r.gathered());
      assertEquals(List.of(IpyparallelBasics.range(12), IpyparallelBasics.range(24).subList(12,
          24)), r.pieces());
      assertEquals(984_930_291_881_790_849L, r.powers().get(63));
    }
    DirectView dview = Client.of(jvms).view();
    List<Double> there = IpyparallelBasics.dots(dview, 40);
    assertEquals(IpyparallelBasics.dot(1, 40), there.get(1), 1e-12);
    Path png = Png.heat(IpyparallelBasics.random(1, 10, 12).toDoubleMatrix(), 4, out, "c.png");
    assertPng(png, 48, 40);
  }

  @Test
  void latencyAndBandwidth() throws IOException {
    DirectView dview = Client.of(jvms).view();
    assertTrue(LatencyBandwidth.roundTripMicros(dview, 5) > 0);
    assertTrue(LatencyBandwidth.launchMicros(dview, 5) > 0);
    List<Long> sizes = LatencyBandwidth.sizes(64 << 10);
    assertEquals(List.of(1024L, 4096L, 16384L, 65536L), sizes);
    List<LatencyBandwidth.Point> pushed = LatencyBandwidth.pushes(dview, sizes, 1);
    List<LatencyBandwidth.Point> shared = LatencyBandwidth.pushes(Client.of(threads).view(),
        sizes, 1);
    assertTrue(pushed.stream().allMatch(LatencyBandwidth.Point::arrived), pushed.toString());
    assertTrue(shared.stream().allMatch(LatencyBandwidth.Point::arrived), shared.toString());
    assertTrue(pushed.stream().allMatch(p -> p.mbPerSecond() > 0));
    Path png = LatencyBandwidth.plot(Map.of("push to 2 worker JVMs", pushed,
        "a copy here (serial)", LatencyBandwidth.copies(sizes, 2, 1)), out);
    assertPng(png, 800, 500);
  }

  @Test
  void matrixProducts() {
    for (var s : List.of(threads, jvms)) {
      MatrixProducts.Result r = MatrixProducts.run(s, 6, 32);
      MatrixProducts.check(r, 6, 32);
      assertEquals(13.0 / 7, r.tiledSmall().getDouble(0, 0), 1e-14);
      assertEquals(0.0, r.tiledSmall().getDouble(1, 1), 1e-14);
    }
    INDArray a = IpyparallelBasics.random(1, 8, 8);
    INDArray b = IpyparallelBasics.random(2, 8, 8);
    assertTrue(MatrixProducts.close(MatrixProducts.quadrantsHere(a, b), a.mmul(b), 8));
  }

  @Test
  void normalDraws() {
    int n = 20_000;
    List<double[]> serial = NormalDraws.serial(List.of(0, 1), n);
    for (var s : List.of(threads, jvms)) {
      List<double[]> parallel = NormalDraws.parallel(Client.of(s).view(), n);
      NormalDraws.check(parallel, serial, n);
      assertArrayEquals(serial.get(1), parallel.get(1));
    }
    List<INDArray> stats = NormalDraws.arrayStats(2, n, jvms);
    double[] row = NormalDraws.draws(2, n).compute(threads).getRow(1).toDoubleVector();
    assertEquals(java.util.Arrays.stream(row).sum() / n, stats.get(0).getDouble(1), 1e-12);
    assertEquals(java.util.Arrays.stream(row).max().orElseThrow(), stats.get(1).getDouble(1));
    assertEquals(java.util.Arrays.stream(row).min().orElseThrow(), stats.get(2).getDouble(1));
  }

  @Test
  void maxOfNormals() throws IOException {
    int draws = 20_001;                       // odd: the engines' shares differ by one
    List<MaxOfNormals.Row> rows = MaxOfNormals.run(jvms, draws, 3, out);   // checks each row
    assertEquals(3, rows.size());
    assertEquals(10_001, MaxOfNormals.share(draws, 0, 2));
    long counted = java.util.Arrays.stream(rows.get(2).histogram()).sum();
    assertTrue(counted > draws * 0.999 && counted <= draws, "counted " + counted);
    assertTrue(rows.get(2).mean() > rows.get(1).mean() && rows.get(1).mean() > rows.get(0)
        .mean(), "the densities shift right with N");
    List<double[]> onThreads = MaxOfNormals.parallel(Client.of(threads).view(), 2, draws);
    assertArrayEquals(rows.get(1).serialHistogram(), MaxOfNormals.histogram(onThreads));
    assertPng(out.resolve("max-of-normals.png"), 800, 500);
  }

  @Test
  void trapezoid() throws IOException {
    int n = 10_001;
    for (var s : List.of(threads, jvms)) {
      Trapezoid.Result r = Trapezoid.run(s, n);
      Trapezoid.check(r, n);
      assertEquals(Trapezoid.EXACT, r.parallel(), Trapezoid.bound(n) + Trapezoid.rounding(n));
    }
    // the rule on its own pieces: x^2 on [0, 1] with 3 points is 3/8, whatever the engines
    double three = Trapezoid.parallelTrapezoidalRule(Client.of(jvms).view(), x -> x * x, 0, 1,
        3);
    assertEquals(0.375, three, 1e-15);
    assertPng(Trapezoid.plot(8, out), 640, 400);
  }

  @Test
  void squares() {
    for (var s : List.of(threads, jvms)) {
      Squares.Result r = Squares.run(s, 3, 1000);
      Squares.check(r);
      assertEquals(List.of(1, 4, 9, 16, 25, 36, 49, 64, 81, 100), r.direct());
    }
  }

  @Test
  void mandelbrot() throws IOException {
    Mandelbrot.Grid g = new Mandelbrot.Grid(60, 50);
    Mandelbrot.Result r = Mandelbrot.run(g, threads, out);
    assertArrayEquals(r.serial(), r.views());
    assertArrayEquals(r.serial(), r.array());
    assertArrayEquals(r.serial(), Mandelbrot.views(Client.of(jvms).view(), g));
    assertArrayEquals(r.serial(), Mandelbrot.array(g, 7, jvms));   // blocks that do not divide
    assertEquals(50, r.serial()[20][40]);        // c = -0.0 + 0i is in the set
    assertEquals(0, r.serial()[0][0]);           // c = -2 - i escapes at once
    assertPng(r.picture(), 60, 40);
  }

  @Test
  void mandelbrotMpi() {
    Mandelbrot.Grid g = new Mandelbrot.Grid(45, 40);
    int[][] serial = Mandelbrot.serial(g);
    assertArrayEquals(serial, MandelbrotMpi.mpi(threads, 2, g));
    assertArrayEquals(serial, MandelbrotMpi.mpi(jvms, 2, g));
  }
}
