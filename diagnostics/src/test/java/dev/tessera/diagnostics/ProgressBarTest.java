package dev.tessera.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.core.ExecutionPlan;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import dev.tessera.schedulers.ThreadedScheduler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static int tasks(Blocks b) {
    return ExecutionPlan.of(b.graph(), b.outputKeys()).size();
  }

  @Test
  void printsOneCleanLineWhenNotATerminal() {
    Blocks b = Blocks.of(10, 4, -1, 5);
    try (ThreadedScheduler threads = Schedulers.threads(2);
        ProgressBar bar = new ProgressBar(out, false, ProgressBar.DEFAULT_INTERVAL)
            .register(false)) {
      assertEquals(Blocks.expected(10, 4), b.compute(threads), 1e-9);
    }
    String s = text();
    assertFalse(s.contains("\r"), s);
    assertTrue(s.endsWith("\n"));
    assertEquals(1, s.split("\n").length, s);
    int n = tasks(b);
    assertTrue(s.startsWith("[" + "#".repeat(40) + "] 100% | " + n + "/" + n + " tasks | "), s);
  }

  @Test
  void showsHowFarAFailedComputationGotAndTheFailure() {
    Blocks b = Blocks.of(6, 2, 6, 0); // block 3 fails
    try (ProgressBar bar = new ProgressBar(out, false, ProgressBar.DEFAULT_INTERVAL)
        .register(false)) {
      TaskFailedException e = assertThrows(TaskFailedException.class,
          () -> b.compute(Schedulers.sync()));
      assertEquals(b.doubled().get(3), e.key());
    }
    String s = text().strip();
    assertEquals(1, s.split("\n").length, s);
    assertShowsHowFarItGot(s);
    assertTrue(s.contains("FAILED at " + b.doubled().get(3)
        + ": ArithmeticException: block starting at 6 is bad"), s);
    int n = tasks(b);
    assertFalse(s.contains(n + "/" + n + " tasks"), "fewer tasks completed than planned: " + s);
  }

  @Test
  void showsTheFailureOnTheThreadedScheduler() {
    Blocks b = Blocks.of(20, 2, 10, 2); // block 5 fails
    try (ThreadedScheduler threads = Schedulers.threads(3);
        ProgressBar bar = new ProgressBar(out, false, ProgressBar.DEFAULT_INTERVAL)
            .register(false)) {
      assertThrows(TaskFailedException.class, () -> b.compute(threads));
    }
    String s = text().strip();
    assertEquals(1, s.split("\n").length, s);
    assertShowsHowFarItGot(s);
    assertTrue(s.contains("FAILED at " + b.doubled().get(5)), s);
  }

  @Test
  void showsTheFailureOnWorkerProcesses() {
    Blocks b = Blocks.of(8, 2, 6, 0); // block 3 fails
    try (ProcessScheduler procs = Schedulers.processes(2);
        ProgressBar bar = new ProgressBar(out, false, ProgressBar.DEFAULT_INTERVAL)
            .register(false)) {
      assertThrows(TaskFailedException.class, () -> b.compute(procs));
    }
    String s = text().strip();
    assertShowsHowFarItGot(s);
    assertTrue(s.contains("FAILED at " + b.doubled().get(3)), s);
  }

  @Test
  void redrawsAtMostTenTimesASecondOnATerminal() throws Exception {
    Blocks b = Blocks.of(8, 2, -1, 60); // about 0.5 s on one thread
    long t0 = System.nanoTime();
    try (ProgressBar bar = new ProgressBar(out, true, Duration.ofMillis(100)).register(false)) {
      b.compute(Schedulers.sync());
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    String s = text();
    long draws = s.chars().filter(c -> c == '\r').count();
    assertTrue(draws >= 2, s);
    assertTrue(draws <= seconds * 10 + 2, draws + " draws in " + seconds + " s");
    String last = s.substring(s.lastIndexOf('\r') + 1);
    int n = tasks(b);
    assertTrue(last.startsWith("[" + "#".repeat(40) + "] 100% | " + n + "/" + n), last);
    assertTrue(last.endsWith("\n"));
    // an intermediate line shows partial progress and an estimate
    assertTrue(s.contains(" left"), s);
    // the ticker thread is gone
    Thread.sleep(50);
    assertTrue(Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.getName().startsWith("tessera-progress")));
  }

  /** A failed computation's line shows the tasks completed, not 100%. */
  private static void assertShowsHowFarItGot(String s) {
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("^\\[(#*) *\\] +(\\d+)% \\| (\\d+)/(\\d+) tasks, FAILED").matcher(s);
    assertTrue(m.find(), s);
    int done = Integer.parseInt(m.group(3));
    int total = Integer.parseInt(m.group(4));
    assertTrue(done < total, s);
    assertEquals(100 * done / total, Integer.parseInt(m.group(2)), s);
    assertEquals(40 * done / total, m.group(1).length(), s);
  }

  @Test
  void decidesTerminalFromTheDeviceOfStandardError() {
    assertTrue(ProgressBar.isTerminalDevice("/dev/pts/3"));
    assertTrue(ProgressBar.isTerminalDevice("/dev/tty1"));
    assertFalse(ProgressBar.isTerminalDevice("pipe:[123456]"));
    assertFalse(ProgressBar.isTerminalDevice("/work/build.log"));
    assertFalse(ProgressBar.isTerminalDevice("/dev/null"));
    // surefire captures standard error through a pipe: not a terminal
    assertFalse(ProgressBar.stderrIsTerminal());
  }

  @Test
  void rendersTimesAndEstimates() {
    assertEquals("[" + "#".repeat(20) + " ".repeat(20) + "]  50% | 5/10 tasks | 2.0s, ~2.0s left",
        ProgressBar.line(5, 10, 2_000_000_000L, null));
    assertEquals("[" + " ".repeat(40) + "]   0% | 0/3 tasks | 1h15m00s",
        ProgressBar.line(0, 3, 4_500_000_000_000L, null));
    assertTrue(ProgressBar.line(0, 0, 0, null).contains("100% | 0/0 tasks"));
  }

  @Test
  void rejectsABadInterval() {
    assertThrows(IllegalArgumentException.class,
        () -> new ProgressBar(out, true, Duration.ZERO));
  }
}
