package dev.tessera.dashboard;

import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.WorkerStats;
import dev.tessera.schedulers.engine.Engine;
import dev.tessera.schedulers.engine.WorkerEndpoint;
import dev.tessera.schedulers.engine.WorkerReport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fetches what the workers say about themselves on a thread of its own, so that no page and
 * no event stream ever waits for a worker: asking a worker JVM is a message round trip
 * ({@link ProcessScheduler#workerStats()}, up to 2 s for one that does not answer), and a
 * slow or stopped worker must not stall the dashboard. The pages read the last answers
 * ({@link #latest()}); the thread asks at most once a second, and only while somebody looked
 * in the last few seconds ({@link #wanted()}).
 *
 * <p>Two kinds of workers: those of the worker-JVM pools (found as child processes by
 * {@link WorkerProbe}, their own figures by pid), and those of every other open engine
 * ({@link Engine#open()}: an Ignite cluster's nodes), listed by name with what their transport
 * last learnt ({@link WorkerEndpoint#report()}). Neither needs a dependency on the transport.
 */
final class StatsPoller implements AutoCloseable {
  /** How long after the last look the thread keeps asking. */
  static final long IDLE_NANOS = 5_000_000_000L;
  static final long PERIOD_MILLIS = 1000;

  /** A worker of an engine other than a pool's, with its transport's last report. */
  record Remote(String name, WorkerReport report) {}

  /**
   * One round of answers.
   *
   * @param pools the pool workers' own figures, by pid
   * @param remotes the other engines' workers
   */
  record Answers(Map<Long, WorkerStats> pools, List<Remote> remotes) {
    static final Answers NONE = new Answers(Map.of(), List.of());
  }

  /** Where the answers come from: every open pool and engine, or a test's stand-in. */
  interface Source {
    /**
     * Asks; may block (a worker that does not answer).
     *
     * @return the answers
     * @throws InterruptedException if the dashboard closes meanwhile
     */
    Answers ask() throws InterruptedException;
  }

  /** Every open pool of worker JVMs and every other open engine of this JVM. */
  static final Source EVERYWHERE = () -> {
    Map<Long, WorkerStats> pools = new HashMap<>();
    for (ProcessScheduler pool : ProcessScheduler.openPools()) {
      try {
        for (WorkerStats s : pool.workerStats()) {
          pools.put(s.pid(), s);
        }
      } catch (RuntimeException e) {
        if (Thread.interrupted()) {
          throw new InterruptedException("closing");
        }
        // closed meanwhile: its workers show what is seen from outside
      }
    }
    List<Remote> remotes = new ArrayList<>();
    for (Engine engine : Engine.open()) {
      if (engine.owner() instanceof ProcessScheduler) {
        continue; // its workers are the pools' above
      }
      for (WorkerEndpoint w : engine.workers()) {
        WorkerReport r;
        try {
          r = w.report();
        } catch (RuntimeException e) {
          r = null; // it left meanwhile
        }
        remotes.add(new Remote(w.name(), r));
      }
    }
    return new Answers(pools, remotes);
  };

  private final Source source;
  private final Thread thread;
  private volatile Answers latest = Answers.NONE;
  private volatile long wantedAt = System.nanoTime() - 2 * IDLE_NANOS; // nobody looked yet
  private final Object wake = new Object();
  private volatile boolean closed;

  StatsPoller(Source source) {
    this.source = source;
    this.thread = new Thread(this::loop, "tessera-dashboard-stats");
    thread.setDaemon(true);
    thread.start();
  }

  /** {@return the last answers (none before the first round ended)} */
  Answers latest() {
    return latest;
  }

  /** Somebody looks: keep the answers fresh for a few seconds. */
  void wanted() {
    long before = wantedAt;
    wantedAt = System.nanoTime();
    if (wantedAt - before > IDLE_NANOS) {
      synchronized (wake) {
        wake.notifyAll();
      }
    }
  }

  private void loop() {
    try {
      while (!closed) {
        if (System.nanoTime() - wantedAt < IDLE_NANOS) {
          latest = source.ask();
        }
        synchronized (wake) {
          if (!closed) {
            wake.wait(PERIOD_MILLIS);
          }
        }
      }
    } catch (InterruptedException e) {
      // closed
    }
  }

  /** Stops the thread, also while it waits for a worker; waits for it up to 10 s. */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
