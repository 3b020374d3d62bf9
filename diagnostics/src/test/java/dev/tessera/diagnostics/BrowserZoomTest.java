package dev.tessera.diagnostics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The HTML report fills the window and shows a chosen time range. */
class BrowserZoomTest {
  private static final Path OUT = Path.of("target", "browser-zoom-test").toAbsolutePath();

  private static int count(String dom, String regex) {
    Matcher m = Pattern.compile(regex).matcher(dom);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Test
  void stretchesToTheWindowAndZoomsIntoARange() throws Exception {
    String chromium = BrowserTest.chromium();
    assumeTrue(chromium != null || "true".equals(System.getenv("CI")),
        "chromium is not installed (apt-get install chromium); required when CI=true");
    assertTrue(chromium != null, "CI=true but chromium is not on the PATH");
    Files.createDirectories(OUT);
    ReportTest.Profiles p = ReportTest.Profiles.record();
    Path html = Diagnostics.visualize(OUT.resolve("report.html"), p.tasks(), p.resources(),
        p.cache());
    String wide = BrowserTest.run(chromium, Files.createTempDirectory(OUT, "profile"),
        OUT.resolve("wide-stderr.txt"), "--virtual-time-budget=5000", "--window-size=1600,900",
        "--dump-dom", html.toUri().toString());
    assertTrue(wide.contains("data-rendered=\"ok\""), wide);
    Matcher w = Pattern.compile("data-chart=\"tasks\" width=\"(\\d+)\"").matcher(wide);
    assertTrue(w.find(), wide);
    assertTrue(Integer.parseInt(w.group(1)) > 1400, "the charts fill the window: " + w.group());
    int all = count(wide, "<rect class=\"task\"");
    assertTrue(all == p.tasks().results().size(), all + " bars");
    assertTrue(wide.contains("scroll to zoom"), "the page says how to zoom");

    // the span of one task in the middle: fewer bars, a clipped plot, and the page says so
    ReportData d = ReportData.of(java.util.List.of(p.tasks(), p.resources(), p.cache()));
    ReportData.Bar mid = d.bars.stream().sorted(java.util.Comparator.comparingDouble(
        ReportData.Bar::start)).toList().get(d.bars.size() / 2);
    String zoomed = BrowserTest.run(chromium, Files.createTempDirectory(OUT, "profile"),
        OUT.resolve("zoom-stderr.txt"), "--virtual-time-budget=5000", "--window-size=1000,900",
        "--dump-dom", html.toUri() + "#view=" + mid.start() + "," + mid.end());
    assertTrue(zoomed.contains("data-rendered=\"ok\""), zoomed);
    assertFalse(zoomed.contains("data-error=\""), zoomed);
    int some = count(zoomed, "<rect class=\"task\"");
    assertTrue(some > 0 && some < all, some + " of " + all + " bars in the span of one task");
    assertTrue(zoomed.contains("clip-path=\"url(#tessera-clip-"), "plots are clipped");
    assertTrue(zoomed.contains("double-click to see all"), "the page says it is zoomed");
  }
}
