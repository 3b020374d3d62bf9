package dev.tessera.examples.tutorials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of seed 003 at a small size, on 2 worker JVMs (shared by the class, since each
 * pool costs a JVM start): their answers checked against direct computations, their pictures
 * decoded. No timings.
 */
class Seed003ExamplesTest {
  private static ProcessScheduler jvms;

  @TempDir
  Path out;

  @BeforeAll
  static void startWorkers() {
    jvms = Schedulers.processes(2);
  }

  @AfterAll
  static void stopWorkers() {
    jvms.close();
  }

  static BufferedImage png(Path file, int width, int height) throws IOException {
    BufferedImage image = ImageIO.read(file.toFile());
    assertNotNull(image, file + " is not a decodable image");
    assertEquals(width, image.getWidth(), "width of " + file);
    assertEquals(height, image.getHeight(), "height of " + file);
    return image;
  }

  @Test
  void parameterGrid() throws IOException {
    ParameterGrid.Result r = ParameterGrid.run(6, 2000, jvms, out);
    assertEquals(6, r.f().length);
    // the sum of 2000 draws of mean mu: close to 2000 mu, within 5 standard deviations
    for (int i = 0; i < 6; i++) {
      for (int j = 0; j < 6; j++) {
        double sd = r.sigma()[j] * Math.sqrt(2000);
        assertEquals(2000 * r.mu()[i], r.f()[i][j], 5 * sd, "cell " + i + ", " + j);
      }
    }
    assertEquals(ParameterGrid.f(r.mu()[2], r.sigma()[3], 2000), r.f()[2][3]);
    png(out.resolve("parameter-grid.png"), 640, 520);
  }

  @Test
  void primes() {
    Primes.Result r = Primes.run(600, 5000, jvms);
    long count = 0;
    for (int i = 0; i < r.x().length; i++) {
      boolean sieve = r.x()[i] >= 2 && java.math.BigInteger.valueOf(r.x()[i]).isProbablePrime(50);
      assertEquals(sieve, r.prime()[i], "is " + r.x()[i] + " prime?");
      count += sieve ? 1 : 0;
    }
    assertEquals(count, r.count());
    assertTrue(count > 0);
  }

  @Test
  void bootstrap() throws IOException {
    Bootstrap.Result r = Bootstrap.run(3000, 30, jvms, out);
    assertEquals(3000, r.resamples().length);
    assertTrue(r.lo() < r.r() && r.r() < r.hi(), r.lo() + " < " + r.r() + " < " + r.hi());
    long total = 0;
    for (long c : r.counts()) {
      total += c;
    }
    assertEquals(3000, total); // the histogram's range covers every coefficient
    png(out.resolve("bootstrap-pearson.png"), 720, 440);
  }

  @Test
  void theEnginesOfTheDefaultScheduler() {
    // the views on the default (threaded) scheduler's engines, as main runs them
    Primes.Result p = Primes.run(300, 2000, dev.tessera.graph.Tessera.scheduler());
    assertEquals(300, p.prime().length);
    Bootstrap.Result b = Bootstrap.run(500, 20, dev.tessera.graph.Tessera.scheduler(), out);
    assertEquals(500, b.resamples().length);
  }
}
