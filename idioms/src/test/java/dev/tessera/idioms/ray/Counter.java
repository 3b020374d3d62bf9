package dev.tessera.idioms.ray;

import java.util.ArrayList;
import java.util.List;

/** The seed's actor: a counter, plus a log of calls to check their order. */
public class Counter {
  private int value;
  private final List<Integer> log = new ArrayList<>();

  public Counter() {}

  public Counter(int start) {
    this.value = start;
  }

  public int increment() {
    return ++value;
  }

  public int read() {
    return value;
  }

  public int append(int x) {
    log.add(x);
    return log.size();
  }

  public List<Integer> log() {
    return new ArrayList<>(log);
  }

  public int failOnNegative(int x) {
    if (x < 0) {
      throw new IllegalArgumentException("negative: " + x);
    }
    value += x;
    return value;
  }

  public long pid() {
    return ProcessHandle.current().pid();
  }

  public int sleep(int millis) throws InterruptedException {
    Thread.sleep(millis);
    return millis;
  }

  public static Counter broken() {
    throw new IllegalStateException("cannot make this counter");
  }
}
