package dev.tessera.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Opens the HTML report in headless Chromium and checks that the script drew every chart
 * without an error. Skipped only when Chromium is missing and CI is not "true"; on CI it must
 * run ({@code .ci/run} installs Debian's chromium).
 */
class BrowserTest {
  private static final Path OUT = Path.of("target", "browser-test").toAbsolutePath();

  static String chromium() {
    for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
      String path = System.getenv("PATH");
      for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return p.toString();
        }
      }
    }
    return null;
  }

  /** Runs chromium with the given extra arguments; returns stdout, stderr goes to a file. */
  static String run(String chromium, Path profile, Path stderr, String... args)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--enable-logging=stderr", "--v=0", "--user-data-dir=" + profile));
    cmd.addAll(List.of(args));
    Path stdout = Files.createTempFile(OUT, "stdout", ".txt");
    Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile()).start();
    try {
      assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium did not finish in 90 s");
    } finally {
      if (p.isAlive()) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      p.descendants().forEach(ProcessHandle::destroyForcibly);
    }
    assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(stderr));
    return Files.readString(stdout, StandardCharsets.UTF_8);
  }

  @Test
  void reportRendersInHeadlessChromium() throws Exception {
    String chromium = chromium();
    assumeTrue(chromium != null || "true".equals(System.getenv("CI")),
        "chromium is not installed (apt-get install chromium); required when CI=true");
    assertTrue(chromium != null, "CI=true but chromium is not on the PATH");
    Files.createDirectories(OUT);
    ReportTest.Profiles p = ReportTest.Profiles.record();
    Path html = Diagnostics.visualize(OUT.resolve("report.html"), p.tasks(), p.resources(),
        p.cache());
    String url = html.toUri().toString();

    Path err = OUT.resolve("dump-stderr.txt");
    String dom = run(chromium, Files.createTempDirectory(OUT, "profile"), err,
        "--virtual-time-budget=5000", "--dump-dom", url);
    assertTrue(dom.contains("data-rendered=\"ok\""), "the script did not finish: "
        + dom.substring(0, Math.min(2000, dom.length())));
    assertFalse(dom.contains("data-error=\""), "script error: " + dom);
    for (String chart : List.of("tasks", "cpu", "memory", "cache", "cache-bytes")) {
      assertTrue(dom.contains("data-chart=\"" + chart + "\""), "chart " + chart + " missing");
    }
    Matcher m = Pattern.compile("<rect class=\"task\"").matcher(dom);
    int bars = 0;
    while (m.find()) {
      bars++;
    }
    assertEquals(p.tasks().results().size(), bars, "one bar per task");
    assertTrue(dom.contains("<path class=\"series\""), "lines drawn");
    String log = Files.readString(err);
    // the page logs nothing itself: any console line (console.error, an uncaught exception)
    // is a failure; Chromium writes them to stderr as "...:INFO:CONSOLE:<line>] ..."
    for (String line : log.split("\n")) {
      assertFalse(line.contains(":CONSOLE"), "console output: " + line);
    }

    Path shot = OUT.resolve("report-screenshot.png");
    run(chromium, Files.createTempDirectory(OUT, "profile"), OUT.resolve("shot-stderr.txt"),
        "--virtual-time-budget=5000", "--window-size=1000,900", "--screenshot=" + shot, url);
    BufferedImage img = ImageIO.read(shot.toFile());
    assertEquals(1000, img.getWidth());
    assertEquals(900, img.getHeight());
    // the task stream draws coloured bars: the screenshot is not blank
    int coloured = 0;
    for (int y = 0; y < img.getHeight(); y += 3) {
      for (int x = 0; x < img.getWidth(); x += 3) {
        int rgb = img.getRGB(x, y);
        int r = (rgb >> 16) & 255;
        int g = (rgb >> 8) & 255;
        int b = rgb & 255;
        if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) {
          coloured++;
        }
      }
    }
    assertTrue(coloured > 200, "the screenshot shows no charts: " + coloured
        + " coloured samples");
  }
}
