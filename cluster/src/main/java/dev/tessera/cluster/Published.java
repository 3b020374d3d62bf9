package dev.tessera.cluster;

import dev.tessera.graph.core.TaskFunction;
import dev.tessera.schedulers.WireCodecs;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.ClusterGroup;
import org.apache.ignite.lang.IgniteCallable;

/**
 * The published blocks a worker JVM holds (see {@link Datasets}): a namespace of its own,
 * apart from the programs' sessions ({@link WorkerNode}), so that a block outlives the program
 * that published it and is dropped only by an unpublish. Keyed by {@code publishId/block}; the
 * publish id is fresh for every publish, so an overwrite never mixes old blocks with new ones.
 *
 * <p>The store is one per JVM (a worker JVM runs one worker node; {@link #install} records
 * which): the tasks that fill and read it run on the worker's task threads, which have no
 * handle to their {@link WorkerNode}.
 */
final class Published {
  private Published() {}

  /** Stored in place of a null block (the map cannot hold null). */
  private static final Object NULL_VALUE = new Object();

  static final Map<String, Object> VALUES = new ConcurrentHashMap<>();
  /** This JVM's worker node; null in a program's JVM. */
  private static volatile Ignite worker;

  private static final WireCodecs CODECS = WireCodecs.create(List.of());

  /** How long a worker waits for another to send it a published block. */
  static final long READ_TIMEOUT_MILLIS = 60_000;

  /** Called by {@link WorkerNode#install}: this JVM serves published blocks from now on. */
  static void install(Ignite ignite) {
    worker = ignite;
  }

  private static Ignite worker(String what) {
    Ignite w = worker;
    if (w == null) {
      throw new IllegalStateException(what + " runs only on a cluster worker, not in this JVM:"
          + " compute a dataset on the Cluster it came from (dataset.compute(cluster)), not on"
          + " another scheduler");
    }
    return w;
  }

  /**
   * Keeps its one input in this worker's published store under {@code slot}, and returns this
   * worker's node id: the program records where the block lives.
   */
  record Store(String slot) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      Ignite w = worker("publishing a block");
      VALUES.put(slot, args[0] == null ? NULL_VALUE : args[0]);
      return w.cluster().localNode().id().toString();
    }
  }

  /**
   * Reads a published block: in place when this worker holds it, else from the worker that
   * does (Ignite compute, one call); never computes anything.
   */
  record Load(String dataset, String slot, String holder, String holderName)
      implements TaskFunction {
    @Override
    public Object apply(Object[] args) throws Exception {
      Ignite w = worker("reading a published block");
      UUID at = UUID.fromString(holder);
      if (w.cluster().localNode().id().equals(at)) {
        return local(dataset, slot, holderName);
      }
      ClusterGroup g = w.cluster().forNodeId(at);
      if (g.nodes().isEmpty()) {
        throw Datasets.lost(dataset, holderName);
      }
      byte[] bytes;
      try {
        bytes = w.compute(g).withTimeout(READ_TIMEOUT_MILLIS).call(new Read(dataset, slot,
            holderName));
      } catch (org.apache.ignite.IgniteException e) {
        if (w.cluster().forNodeId(at).nodes().isEmpty()
            || e instanceof org.apache.ignite.cluster.ClusterTopologyException) {
          throw Datasets.lost(dataset, holderName);
        }
        throw new IllegalStateException("dataset \"" + dataset + "\": reading block " + slot
            + " from " + holderName + " failed: " + e.getMessage(), e);
      }
      return CODECS.decode(bytes);
    }
  }

  private static Object local(String dataset, String slot, String holderName) {
    Object v = VALUES.get(slot);
    if (v == null) {
      throw new IllegalStateException("dataset \"" + dataset + "\": " + holderName
          + " no longer holds block " + slot + " (it was unpublished, or the worker was"
          + " restarted); publish it again");
    }
    return v == NULL_VALUE ? null : v;
  }

  /**
   * Sends a block this worker holds, encoded, to the worker that asked. The Ignite jobs are
   * plain classes with non-final fields, not records: Ignite's marshaller sets fields through
   * Unsafe, which Java 17 refuses for records.
   */
  static final class Read implements IgniteCallable<byte[]> {
    private static final long serialVersionUID = 1L;
    private String dataset;
    private String slot;
    private String holderName;

    Read(String dataset, String slot, String holderName) {
      this.dataset = dataset;
      this.slot = slot;
      this.holderName = holderName;
    }

    @Override
    public byte[] call() throws IOException {
      return CODECS.encode(local(dataset, slot, holderName));
    }
  }

  /** Drops every block of one publish from this worker; returns how many it dropped. */
  static final class Drop implements IgniteCallable<Integer> {
    private static final long serialVersionUID = 1L;
    private String publishId;

    Drop(String publishId) {
      this.publishId = publishId;
    }

    @Override
    public Integer call() {
      int n = 0;
      for (String k : List.copyOf(VALUES.keySet())) {
        if (k.startsWith(publishId + "/") && VALUES.remove(k) != null) {
          n++;
        }
      }
      return n;
    }
  }

  /** Counts the published blocks this worker holds. */
  static final class Count implements IgniteCallable<Integer> {
    private static final long serialVersionUID = 1L;

    @Override
    public Integer call() {
      return VALUES.size();
    }
  }

  /** Lists the names in this worker's copy of the dataset directory. */
  static final class Names implements IgniteCallable<List<String>> {
    private static final long serialVersionUID = 1L;

    @Override
    public List<String> call() {
      org.apache.ignite.IgniteCache<String, byte[]> dir =
          worker("listing the datasets").cache(Datasets.CACHE);
      java.util.Set<String> out = new java.util.TreeSet<>();
      if (dir != null) {
        for (javax.cache.Cache.Entry<String, byte[]> e : dir.localEntries(
            org.apache.ignite.cache.CachePeekMode.PRIMARY,
            org.apache.ignite.cache.CachePeekMode.BACKUP)) {
          out.add(e.getKey());
        }
      }
      return new java.util.ArrayList<>(out);
    }
  }
}
