package dev.tessera.schedulers;

import java.util.List;

/** Task functions for scheduler tests: static, so that they run in any JVM. */
public final class Work {
  private Work() {}

  static int inc(int x) {
    return x + 1;
  }

  /** The first element divided by {@code by}: fails on 0, from wherever it runs. */
  static int firstOver(List<Integer> xs, int by) {
    return xs.get(0) / by;
  }

  static int add(int a, int b) {
    return a + b;
  }

  static long sum(List<Integer> xs) {
    long s = 0;
    for (int x : xs) {
      s += x;
    }
    return s;
  }

  static int failIfNegative(int x) {
    if (x < 0) {
      throw new IllegalStateException("negative input " + x);
    }
    return x;
  }

  static int sleepMillis(int ms) throws InterruptedException {
    Thread.sleep(ms);
    return ms;
  }

  static byte[] megabyte(int i) {
    byte[] b = new byte[1 << 20];
    b[0] = (byte) i;
    return b;
  }

  static byte[] touch(byte[] b) {
    byte[] c = b.clone();
    c[1]++;
    return c;
  }

  static int firstByte(byte[] b) {
    return b[0];
  }
}
