package dev.tessera.futures;

import dev.tessera.graph.PersistOptions;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.TaskGraph;
import dev.tessera.graph.spi.Execution;
import dev.tessera.graph.spi.SchedulerCallback;
import java.util.ArrayList;
import java.util.List;

/**
 * One computation the client hands to the scheduler: the keys of one or more entries (one for
 * {@code submit}, a batch for {@code map}, the collections of one {@code compute}), their
 * graph, and the entries it waits for. Its lifecycle: waiting for inputs, ready (in the
 * client's priority queue), running (an {@link Execution}), done.
 */
final class Job {
  final List<Entry> entries;
  /** Per entry, the graph that computes it alone: a failed batch is split along these. */
  final List<TaskGraph> parts;
  final List<Entry> inputs;
  final SchedulerCallback callback;
  final int priority;
  final long seq;
  final boolean splittable;
  /** For {@code Client.broadcast}: the value to put on every worker, else null. */
  Object broadcast;
  /** How the scheduler keeps the results: {@code Submit.backups}, none by default. */
  PersistOptions keep = PersistOptions.none();
  // guarded by the client's lock
  int retriesLeft;
  Execution execution;
  boolean cancelled;
  int released;

  Job(List<Entry> entries, List<TaskGraph> parts, List<Entry> inputs, SchedulerCallback callback,
      int priority, long seq, int retries, boolean splittable) {
    this.entries = List.copyOf(entries);
    this.parts = List.copyOf(parts);
    this.inputs = List.copyOf(inputs);
    this.callback = callback;
    this.priority = priority;
    this.seq = seq;
    this.retriesLeft = retries;
    this.splittable = splittable;
  }

  List<Key> keys() {
    List<Key> out = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      out.add(e.key);
    }
    return out;
  }

  TaskGraph graph() {
    return parts.size() == 1 ? parts.get(0) : TaskGraph.merge(parts);
  }
}
