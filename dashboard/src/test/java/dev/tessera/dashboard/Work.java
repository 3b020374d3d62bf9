package dev.tessera.dashboard;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Task functions for the tests; static, so worker JVMs find them on the class path. */
final class Work {
  private Work() {}

  /** Tasks of this JVM wait here until a test opens it. */
  static volatile CountDownLatch gate = new CountDownLatch(0);

  /** Counted down by every task that reaches the gate, for tests that wait for one. */
  static volatile CountDownLatch entered = new CountDownLatch(0);

  static int hold(int i) throws InterruptedException {
    entered.countDown();
    if (!gate.await(300, TimeUnit.SECONDS)) { // tests open it in a finally
      throw new IllegalStateException("the test never opened the gate");
    }
    return i;
  }

  static int holdOn(double[] block) throws InterruptedException {
    return hold(block.length);
  }

  static int inc(int i) {
    return i + 1;
  }

  static int fail(int i) {
    throw new ArithmeticException("task " + i + " fails on purpose");
  }

  static int quick(int i) throws InterruptedException {
    Thread.sleep(5);
    return i;
  }

  static int nap(int i) throws InterruptedException {
    Thread.sleep(150);
    return i + 1;
  }

  static double[] block(int i) {
    return new double[1000 + i];
  }

  static int both(double[] a, double[] b) {
    return a.length + b.length;
  }

  static int total(List<Integer> xs) {
    return xs.stream().mapToInt(Integer::intValue).sum();
  }
}
