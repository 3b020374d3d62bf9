package dev.tessera.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.tessera.graph.Delayed;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import dev.tessera.schedulers.ThreadedScheduler;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Opens every page of a dashboard in headless Chromium while a computation runs (its tasks
 * held at a gate, one named by a hostile key), and checks that each page drew from the event
 * stream without a console message, shows the hostile key as text only, and that its
 * screenshot is not blank. It drives Chromium through its DevTools protocol ({@link Cdp}) and
 * waits for each page to say it drew (no fixed delay: a loaded machine once outran one).
 * Skipped only when Chromium is missing and CI is not "true"; on CI
 * it must run ({@code .ci/run} installs Debian's chromium). The same flags as the diagnostics
 * module's report test.
 */
class BrowserTest {
  static final Path OUT = Path.of("target", "browser-test").toAbsolutePath();
  static final String HOSTILE = "<script>alert(1)</script>";

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

  /**
   * Starts headless chromium with its DevTools port open (a free one), on a fresh profile;
   * its stderr (console lines among it) goes to {@code stderr}.
   */
  static Process start(String chromium, Path profile, Path stderr) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--enable-logging=stderr", "--v=0", "--user-data-dir=" + profile,
        "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
        "--remote-allow-origins=*", "--window-size=1200,800", "about:blank"));
    return new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(stderr.toFile()).start();
  }

  static void stop(Process p) throws InterruptedException {
    List<ProcessHandle> children = p.descendants().toList();
    p.destroy();
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    children.forEach(ProcessHandle::destroyForcibly);
  }

  /**
   * What each page sets once it drew what the test checks: eight updates from the stream
   * ({@code frames=8}: then it closes the stream, so the DOM holds still), and on the graph
   * page the graph drawn and coloured, which comes from a request of its own.
   */
  static final String DRAWN = "document.body.getAttribute('data-rendered') === 'ok'"
      + " && (document.body.getAttribute('data-page') !== 'graph'"
      + " || document.querySelector('[data-painted]') !== null)";

  static int attribute(String dom, String name) {
    Matcher m = Pattern.compile(name + "=\"(\\d+)\"").matcher(dom);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  @Test
  void everyPageDrawsWhileAComputationRuns() throws Exception {
    String chromium = chromium();
    assumeTrue(chromium != null || "true".equals(System.getenv("CI")),
        "chromium is not installed (apt-get install chromium); required when CI=true");
    assertTrue(chromium != null, "CI=true but chromium is not on the PATH");
    Files.createDirectories(OUT);
    Work.gate = new CountDownLatch(1);
    try (Dashboard d = Dashboard.builder().port(0).quiet().start();
        ThreadedScheduler threads = Schedulers.threads(2);
        // open during the pages too: the Workers page lists its JVMs
        ProcessScheduler pool = Schedulers.processes(2);
        // a page open from the start, as a user's would be: the dashboard records while one is
        Sse watching = new Sse("http://127.0.0.1:" + d.port() + "/events")) {
      // one computation that ended (bars in the task stream, a profile report) ...
      List<Delayed<Integer>> quick = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        quick.add(Delayed.call(Work::quick, Delayed.value(i)));
      }
      assertEquals(780, DashboardTest.sum(quick).compute(threads));
      // ... one on two worker JVMs that moves a block under the hostile key between them ...
      // (the two blocks are named by hostile keys; the last task needs both, and when they
      // were made on different workers one of them moves: tried until one did)
      long transfers;
      {
        boolean hostileMoved = false;
        for (int i = 0; i < 6 && !hostileMoved; i++) {
          assertEquals(2000 + 2 * i, Delayed.call(Work::both,
              Delayed.call(Work::block, Delayed.value(i)).named(HOSTILE),
              Delayed.call(Work::block, Delayed.value(i)).named(HOSTILE + "2")).compute(pool));
          JsonObject state = JsonParser.parseString(DashboardTest.get("http://127.0.0.1:"
              + d.port() + "/api/state", null).body()).getAsJsonObject();
          for (JsonElement t : state.getAsJsonObject("transfers").getAsJsonArray("recent")) {
            hostileMoved |= t.getAsJsonArray().get(4).getAsString().contains(HOSTILE);
          }
        }
        assertTrue(hostileMoved, "a block named by the hostile key moved");
        transfers = pool.transfers();
      }
      // ... and one held at the gate, one of its steps named by a hostile key
      List<Delayed<Integer>> held = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        held.add(Delayed.call(Work::holdOn, Delayed.call(Work::block, Delayed.value(i)))
            .named(HOSTILE));
      }
      Delayed<Integer> total = DashboardTest.sum(held);
      CompletableFuture<Integer> running = CompletableFuture.supplyAsync(
          () -> total.compute(threads));
      try (Sse events = new Sse("http://127.0.0.1:" + d.port() + "/events")) {
        events.until(s -> s.getAsJsonArray("running").size() >= 2, "held tasks running");
      }

      Path profile = Files.createTempDirectory(OUT, "profile");
      Path err = OUT.resolve("chromium-stderr.txt");
      Process browser = start(chromium, profile, err);
      try (Cdp cdp = Cdp.attach(profile, browser)) {
        cdp.viewport(1200, 800);
        for (String page : Server.PAGES) {
          String url = "http://127.0.0.1:" + d.port() + "/" + page + "?frames=8";
          cdp.navigate(url);
          // wait for what the page says it drew, however long a loaded machine takes
          boolean drawn = cdp.await(DRAWN);
          String dom = cdp.eval("document.documentElement.outerHTML").getAsString();
          assertTrue(drawn, page + " did not draw in 120 s: "
              + dom.substring(0, Math.min(3000, dom.length())));
          assertTrue(attribute(dom, "data-frames") >= 8, page + " drew no update: " + dom);
          assertFalse(dom.contains("data-error=\""), page + ": script error: " + dom);
          assertFalse(dom.contains(HOSTILE), page + " shows the key as markup");
          assertEquals(List.of(), cdp.messages, page + ": console messages");
          switch (page) {
            case "progress" -> {
              assertTrue(dom.contains("data-chart=\"progress\""), dom);
              assertTrue(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
                  "the hostile key appears as text");
              assertTrue(dom.contains("class=\"state-running\""), "running tasks drawn");
              assertTrue(dom.contains("class=\"state-done\""), "done tasks drawn");
            }
            // the running tasks at least (the ended ones may have left the 30 s window)
            case "tasks" -> assertTrue(attribute(dom, "data-bars") >= 2, "bars drawn: " + dom);
            case "workers" -> {
              assertTrue(dom.contains("this JVM (pid " + ProcessHandle.current().pid() + ")"));
              for (long pid : pool.workerPids()) {
                assertTrue(dom.contains("(pid " + pid + ")</td>"), "worker JVM " + pid);
              }
              assertTrue(dom.contains("class=\"series\""), "CPU and memory lines drawn");
              // the transfer between the pool's workers, its key as text
              assertEquals(transfers, attribute(dom, "data-transfers"), "transfers: " + dom);
              String list = dom.substring(dom.indexOf("Latest transfers"));
              assertTrue(list.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
                  "the transferred key appears as text: " + list);
            }
            case "graph" -> {
              assertTrue(attribute(dom, "data-nodes") >= 3, "graph nodes: " + dom);
              assertTrue(attribute(dom, "data-painted") >= 3, "nodes coloured: " + dom);
              assertTrue(dom.contains("data-state=\"running\""), dom);
            }
            default -> throw new AssertionError(page);
          }

          Path shot = OUT.resolve("dashboard-" + page + ".png");
          cdp.screenshot(shot);
          BufferedImage img = ImageIO.read(shot.toFile());
          assertEquals(1200, img.getWidth());
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
          // the workers page is mostly a table: its meters and lines are small
          int least = page.equals("workers") ? 40 : 300;
          assertTrue(coloured > least, page + ": the screenshot shows no charts: " + coloured
              + " coloured samples");
        }
      } finally {
        stop(browser);
      }
      for (String line : Files.readString(err).split("\n")) {
        assertFalse(line.contains(":CONSOLE"), "console output: " + line);
      }
      Work.gate.countDown();
      assertEquals(12 * 1000 + 66, running.get(60, TimeUnit.SECONDS));
    } finally {
      Work.gate.countDown();
    }
  }
}
