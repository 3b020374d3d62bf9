package dev.tessera.dashboard;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.tessera.graph.core.ExecutionPlan;
import dev.tessera.graph.core.Key;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's reader side: drains the {@link Rings} when somebody asks (a page's event
 * stream, a request), keeps what the pages show within fixed bounds, and turns it into JSON
 * snapshots. Nothing here runs while nobody watches. Thread-safe: every method takes this
 * object's lock; the scheduler's threads never do.
 *
 * <p>Kept: the last {@link #BARS} ended tasks (the task stream, the profile report), the
 * tasks running now, per-layer progress of the kept computations ({@link Runs#KEEP}), the
 * last sample of the worker JVMs (what the workers say of themselves comes from the
 * {@link StatsPoller}'s thread: nothing here waits for a worker) and the {@link Transfers}.
 */
final class State {
  /** Ended tasks kept for the task stream and the profile report. */
  static final int BARS = 20_000;
  /** Bars sent in one event at most; a page that falls behind skips to the newest. */
  static final int BARS_PER_EVENT = 4_000;
  /** Computations shown on the progress page. */
  static final int SHOWN_RUNS = 4;
  private static final long SAMPLE_NANOS = 900_000_000L;

  /** An ended task with its sequence number, for the pages' cursors. */
  record Bar(long seq, Activity.Ended task) {}

  private record Running(long run, Key key) {}

  private final Rings rings;
  private final Runs runs;
  private final long origin;
  private final ArrayDeque<Bar> bars = new ArrayDeque<>();
  private long seq;
  private final Map<String, Map<Running, Activity.Started>> running = new LinkedHashMap<>();
  private final Map<String, long[]> perWorker = new HashMap<>(); // done, failed, bytes, sized
  private final WorkerProbe probe = new WorkerProbe();
  private final StatsPoller poller;
  private final Transfers transfers;
  private List<WorkerProbe.Sample> samples = List.of();
  private long sampledAt;
  private boolean sampled;

  State(Rings rings, Runs runs, long origin, StatsPoller poller, Transfers transfers) {
    this.rings = rings;
    this.runs = runs;
    this.origin = origin;
    this.poller = poller;
    this.transfers = transfers;
  }

  /** Workers remembered at most (thread names change as idle pool threads end). */
  static final int WORKERS = 256;

  /** Drains the rings; progress is built first, so that it counts what is drained. */
  private List<Computation> drain() {
    List<Computation> shown = shown();
    rings.drain(this::accept);
    applyEnds(shown);
    running.values().removeIf(Map::isEmpty);
    if (perWorker.size() > WORKERS) {
      perWorker.keySet().removeIf(w -> !running.containsKey(w));
    }
    return shown;
  }

  private void accept(Activity a) {
    Computation c = runs.get(a.run());
    Progress p = c == null ? null : c.progress;
    if (a instanceof Activity.Started s) {
      running.computeIfAbsent(s.worker(), w -> new LinkedHashMap<>())
          .put(new Running(s.run(), s.key()), s);
      if (p != null) {
        p.started(s.key());
      }
    } else if (a instanceof Activity.Ended e) {
      Map<Running, Activity.Started> on = running.get(e.worker());
      if (on != null) {
        on.remove(new Running(e.run(), e.key()));
      }
      bars.addLast(new Bar(++seq, e));
      if (bars.size() > BARS) {
        bars.pollFirst();
      }
      long[] w = perWorker.computeIfAbsent(e.worker(), x -> new long[4]);
      w[e.failed() ? 1 : 0]++;
      if (e.bytes() >= 0) {
        w[2] += e.bytes();
        w[3]++;
      }
      if (p != null) {
        p.ended(e.key(), e.failed());
      }
    }
  }

  /** Returns the newest computations, building progress for those that have none yet. */
  private List<Computation> shown() {
    List<Computation> all = runs.all();
    List<Computation> out = new ArrayList<>();
    for (int i = all.size() - 1; i >= 0 && out.size() < SHOWN_RUNS; i--) {
      out.add(all.get(i));
    }
    for (Computation c : all) {
      if (!out.contains(c)) {
        c.progress = null; // no longer shown: let its per-task state go
        c.drawn();
      }
    }
    for (Computation c : out) {
      if (c.progress == null) {
        ExecutionPlan plan = c.plan();
        if (plan != null) {
          c.progress = Progress.of(plan);
        }
      }
      if (c.progress != null) {
        c.drawn();
      }
    }
    return out;
  }

  /** Applies the ends of the computations that ended: all done, or running ones stopped. */
  private void applyEnds(List<Computation> shown) {
    for (Computation c : shown) {
      Computation.End end = c.end();
      if (end != null) {
        if (c.progress == null) {
          // nobody watched it run, and its plan is gone: only its totals are known
        } else if (end.failure() == null) {
          c.progress.completed();
        } else {
          c.progress.stopped();
        }
        for (Map<Running, Activity.Started> on : running.values()) {
          on.keySet().removeIf(r -> r.run() == c.id);
        }
      }
    }
  }

  /**
   * Returns the progress of computation {@code id}, built if needed, or {@code null} if it
   * is not kept.
   */
  synchronized Computation computation(long id) {
    for (Computation c : drain()) {
      if (c.id == id) {
        return c;
      }
    }
    return null;
  }

  /** Returns the last computation that ended, or {@code null}. */
  synchronized Computation lastEnded() {
    List<Computation> all = runs.all();
    for (int i = all.size() - 1; i >= 0; i--) {
      if (all.get(i).end() != null) {
        return all.get(i);
      }
    }
    return null;
  }

  /** Returns the kept ended tasks of computation {@code id}, by start time. */
  synchronized List<Activity.Ended> tasksOf(long id) {
    drain();
    List<Activity.Ended> out = new ArrayList<>();
    for (Bar b : bars) {
      if (b.task().run() == id) {
        out.add(b.task());
      }
    }
    out.sort((a, b) -> Long.compare(a.startNanos(), b.startNanos()));
    return out;
  }

  /**
   * Returns what the pages show now, with the tasks that ended after {@code cursor[0]}, and
   * moves the cursor past them.
   *
   * @param cursor the page's position in the task stream, updated
   * @return the snapshot
   */
  synchronized JsonObject snapshot(long[] cursor) {
    List<Computation> shown = drain();
    long now = System.nanoTime();
    JsonObject o = new JsonObject();
    o.addProperty("now", seconds(now));
    o.addProperty("cores", Runtime.getRuntime().availableProcessors());
    o.add("runs", runsJson(shown, now));
    o.add("bars", barsJson(cursor));
    o.add("running", runningJson());
    o.add("workers", workersJson(now));
    o.add("transfers", transfers.json(now, this::seconds));
    o.addProperty("lost", rings.lost());
    return o;
  }

  private JsonArray runsJson(List<Computation> shown, long now) {
    JsonArray runsJson = new JsonArray();
    for (Computation c : shown) {
      JsonObject r = new JsonObject();
      Computation.End end = c.end();
      r.addProperty("id", c.id);
      r.addProperty("scheduler", c.scheduler);
      r.addProperty("tasks", c.tasks);
      r.addProperty("done", c.done());
      r.addProperty("failed", c.failed());
      r.addProperty("state", end == null ? "running" : end.failure() == null ? "done"
          : "failed");
      r.addProperty("start", seconds(c.startNanos));
      r.addProperty("elapsed", ((end == null ? now : end.endNanos()) - c.startNanos) / 1e9);
      if (end != null && end.failure() != null) {
        r.addProperty("failure", end.failure());
      }
      Progress p = c.progress;
      r.addProperty("byOperation", p != null && p.byOperation);
      JsonArray groups = new JsonArray();
      for (int g = 0; p != null && g < p.groups.size(); g++) {
        Progress.Group gr = p.groups.get(g);
        JsonObject j = new JsonObject();
        j.addProperty("name", gr.name());
        j.addProperty("label", gr.label());
        j.addProperty("total", gr.tasks().length);
        j.addProperty("done", p.done(g));
        j.addProperty("running", p.running(g));
        j.addProperty("failed", p.failed(g));
        j.addProperty("waiting", p.waiting(g));
        groups.add(j);
      }
      if (p == null) {
        // nobody watched it run and its plan is gone: one bar from the exact totals
        long done = c.done();
        long failed = c.failed();
        JsonObject j = new JsonObject();
        j.addProperty("name", "all tasks");
        j.addProperty("label", "all tasks");
        j.addProperty("total", c.tasks);
        j.addProperty("done", done);
        j.addProperty("running", 0);
        j.addProperty("failed", failed);
        j.addProperty("waiting", Math.max(0, c.tasks - done - failed));
        groups.add(j);
      }
      r.add("groups", groups);
      runsJson.add(r);
    }
    return runsJson;
  }

  private JsonArray barsJson(long[] cursor) {
    JsonArray out = new JsonArray();
    long from = Math.max(cursor[0], seq - BARS_PER_EVENT);
    Iterator<Bar> it = bars.descendingIterator();
    List<Bar> fresh = new ArrayList<>();
    while (it.hasNext()) {
      Bar b = it.next();
      if (b.seq() <= from) {
        break;
      }
      fresh.add(b);
    }
    for (int i = fresh.size() - 1; i >= 0; i--) {
      Activity.Ended e = fresh.get(i).task();
      JsonArray a = new JsonArray();
      a.add(e.worker());
      a.add(seconds(e.startNanos()));
      a.add(seconds(e.endNanos()));
      a.add(e.key().prefix());
      a.add(e.key().toString());
      a.add(e.failed());
      a.add(e.bytes());
      a.add(e.run());
      out.add(a);
    }
    cursor[0] = seq;
    return out;
  }

  private JsonArray runningJson() {
    JsonArray out = new JsonArray();
    for (Map.Entry<String, Map<Running, Activity.Started>> e : running.entrySet()) {
      for (Activity.Started s : e.getValue().values()) {
        if (out.size() >= 1000) {
          return out;
        }
        JsonArray a = new JsonArray();
        a.add(s.worker());
        a.add(seconds(s.nanos()));
        a.add(s.key().prefix());
        a.add(s.key().toString());
        a.add(s.run());
        out.add(a);
      }
    }
    return out;
  }

  private JsonArray workersJson(long now) {
    poller.wanted();
    if (!sampled || now - sampledAt > SAMPLE_NANOS) {
      // /proc and the workers' last answers only: the poller's thread asks the workers
      samples = probe.sample(poller.latest());
      sampledAt = now;
      sampled = true;
    }
    // which worker names (threads, or "worker-N (pid P)") belong to which JVM
    Map<Long, List<String>> names = new HashMap<>();
    List<String> local = new ArrayList<>();
    List<String> seen = new ArrayList<>(perWorker.keySet());
    for (String w : running.keySet()) {
      if (!perWorker.containsKey(w)) {
        seen.add(w);
      }
    }
    for (String w : seen) {
      long pid = WorkerProbe.pidIn(w);
      if (pid > 0) {
        names.computeIfAbsent(pid, p -> new ArrayList<>()).add(w);
      } else {
        local.add(w);
      }
    }
    JsonArray out = new JsonArray();
    for (WorkerProbe.Sample s : samples) {
      List<String> mine = s.local() ? local : names.getOrDefault(s.pid(), List.of());
      JsonObject j = new JsonObject();
      j.addProperty("name", s.local() ? "this JVM (pid " + s.pid() + ")"
          : s.name() != null ? s.name()
          : mine.isEmpty() ? "worker (pid " + s.pid() + ")" : mine.get(0));
      j.addProperty("pid", s.pid());
      j.addProperty("local", s.local());
      j.addProperty("cpu", s.cpuPercent());
      j.addProperty("rss", s.rssBytes());
      j.addProperty("heap", s.heapBytes());
      j.addProperty("heapMax", s.heapMaxBytes());
      j.addProperty("offHeap", s.offHeapBytes());
      j.addProperty("held", s.heldBytes());
      int run = 0;
      long done = 0;
      long bytes = 0;
      long sized = 0;
      for (String w : mine) {
        Map<Running, Activity.Started> on = running.get(w);
        run += on == null ? 0 : on.size();
        long[] c = perWorker.get(w);
        if (c != null) {
          done += c[0];
          bytes += c[2];
          sized += c[3];
        }
      }
      j.addProperty("running", run);
      j.addProperty("threads", mine.size());
      j.addProperty("done", done);
      j.addProperty("bytes", sized == 0 ? -1 : bytes); // -1: no result size known
      out.add(j);
    }
    return out;
  }

  double seconds(long nanos) {
    return (nanos - origin) / 1e9;
  }
}
