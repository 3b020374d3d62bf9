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
      keep(slot, args[0]);
      return w.cluster().localNode().id().toString();
    }
  }

  /**
   * Reads a published block: in place when this worker holds it, else from the first of the
   * workers that do (comma-separated ids, {@link Datasets#NAMES}-separated names) still in the
   * cluster (Ignite compute, one call); never computes anything.
   */
  record Load(String dataset, String slot, String holders, String holderNames)
      implements TaskFunction {
    @Override
    public Object apply(Object[] args) throws Exception {
      Ignite w = worker("reading a published block");
      String[] ids = holders.split(",");
      String[] names = holderNames.split(Datasets.NAMES);
      UUID me = w.cluster().localNode().id();
      for (int h = 0; h < ids.length; h++) {
        if (me.equals(UUID.fromString(ids[h]))) {
          return local(dataset, slot, name(names, h));
        }
      }
      for (int h = 0; h < ids.length; h++) {
        byte[] bytes = read(w, dataset, slot, UUID.fromString(ids[h]), name(names, h));
        if (bytes != null) {
          return CODECS.decode(bytes);
        }
      }
      throw Datasets.lost(dataset, holderNames);
    }

    private static String name(String[] names, int h) {
      return h < names.length ? names[h] : "worker " + h;
    }
  }

  /** {@return the encoded block from worker {@code at}, or null if it left the cluster} */
  private static byte[] read(Ignite w, String dataset, String slot, UUID at, String atName) {
    ClusterGroup g = w.cluster().forNodeId(at);
    if (g.nodes().isEmpty()) {
      return null;
    }
    try {
      return w.compute(g).withTimeout(READ_TIMEOUT_MILLIS).call(new Read(dataset, slot,
          atName));
    } catch (org.apache.ignite.IgniteException e) {
      if (w.cluster().forNodeId(at).nodes().isEmpty()
          || e instanceof org.apache.ignite.cluster.ClusterTopologyException) {
        return null;
      }
      throw new IllegalStateException("dataset \"" + dataset + "\": reading block " + slot
          + " from " + atName + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Keeps a copy of a published block that another worker holds (a backup): read from it, kept
   * here under the same slot.
   */
  static final class Copy implements IgniteCallable<Boolean> {
    private static final long serialVersionUID = 1L;
    private String dataset;
    private String slot;
    private String holder;
    private String holderName;
    /** The worker this runs on, set by Ignite: a worker still starting may not be installed. */
    @org.apache.ignite.resources.IgniteInstanceResource
    private transient Ignite ignite;

    Copy(String dataset, String slot, String holder, String holderName) {
      this.dataset = dataset;
      this.slot = slot;
      this.holder = holder;
      this.holderName = holderName;
    }

    @Override
    public Boolean call() throws IOException {
      Ignite w = ignite != null ? ignite : worker("copying a published block");
      byte[] bytes = read(w, dataset, slot, UUID.fromString(holder), holderName);
      if (bytes == null) {
        throw Datasets.lost(dataset, holderName);
      }
      keep(slot, CODECS.decode(bytes));
      return true;
    }
  }

  private static void keep(String slot, Object block) {
    VALUES.put(slot, block == null ? NULL_VALUE : block);
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
    /** The worker this runs on, set by Ignite: a worker still starting may not be installed. */
    @org.apache.ignite.resources.IgniteInstanceResource
    private transient Ignite ignite;

    @Override
    public List<String> call() {
      Ignite w = ignite != null ? ignite : worker("listing the datasets");
      org.apache.ignite.IgniteCache<String, byte[]> dir = w.cache(Datasets.CACHE);
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
