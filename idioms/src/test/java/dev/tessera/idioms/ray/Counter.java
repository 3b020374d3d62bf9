package dev.tessera.idioms.ray;

import java.util.ArrayList;
import java.util.List;

/** The seed's actor: a counter, plus a log of calls to check their order. */
final class Counter {
  private int value;
  private final List<Integer> log = new ArrayList<>();

  Counter() {}

  Counter(int start) {
    this.value = start;
  }

  int increment() {
    return ++value;
  }

  int read() {
    return value;
  }

  int append(int x) {
    log.add(x);
    return log.size();
  }

  List<Integer> log() {
    return new ArrayList<>(log);
  }

  int failOnNegative(int x) {
    if (x < 0) {
      throw new IllegalArgumentException("negative: " + x);
    }
    value += x;
    return value;
  }

  long pid() {
    return ProcessHandle.current().pid();
  }

  int sleep(int millis) throws InterruptedException {
    Thread.sleep(millis);
    return millis;
  }

  static Counter broken() {
    throw new IllegalStateException("cannot make this counter");
  }
}
