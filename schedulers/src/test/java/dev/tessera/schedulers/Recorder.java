package dev.tessera.schedulers;

import dev.tessera.graph.core.Key;
import dev.tessera.graph.spi.RunInfo;
import dev.tessera.graph.spi.RunOutcome;
import dev.tessera.graph.spi.SchedulerCallback;
import dev.tessera.graph.spi.TaskEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A callback that records what a scheduler reports, for tests; thread-safe. */
public final class Recorder implements SchedulerCallback {
  /** Every call, in order: "start", "pre", "post", "finish". */
  public final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  /** How many times each key ran. */
  public final ConcurrentMap<Key, AtomicInteger> runs = new ConcurrentHashMap<>();
  /** Every post-task event. */
  public final List<TaskEvent> events = Collections.synchronizedList(new ArrayList<>());
  /** The finish outcome. */
  public volatile RunOutcome outcome;
  /** The start info. */
  public volatile RunInfo info;
  private final AtomicInteger pre = new AtomicInteger();
  private final AtomicInteger post = new AtomicInteger();
  private final AtomicInteger maxHeld = new AtomicInteger();

  @Override
  public void start(RunInfo run) {
    info = run;
    calls.add("start");
  }

  @Override
  public void pretask(RunInfo run, Key key, String worker) {
    pre.incrementAndGet();
    calls.add("pre");
  }

  @Override
  public void posttask(RunInfo run, TaskEvent event) {
    runs.computeIfAbsent(event.key(), k -> new AtomicInteger()).incrementAndGet();
    events.add(event);
    maxHeld.accumulateAndGet(event.resultsHeld(), Math::max);
    post.incrementAndGet();
    calls.add("post");
  }

  @Override
  public void finish(RunInfo run, RunOutcome outcome) {
    this.outcome = outcome;
    calls.add("finish");
  }

  /** {@return the tasks started} */
  public int started() {
    return pre.get();
  }

  /** {@return the tasks ended, successfully or not} */
  public int ended() {
    return post.get();
  }

  /** {@return the most results the scheduler said it held after any task} */
  public int maxHeld() {
    return maxHeld.get();
  }
}
