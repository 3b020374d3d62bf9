package dev.tessera.cluster;

import dev.tessera.graph.Fn1;
import dev.tessera.graph.Lazy;
import dev.tessera.graph.core.ExecutionPlan;
import dev.tessera.graph.core.Graphs;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Layer;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskGraph;
import dev.tessera.graph.spi.SchedulerCallback;
import dev.tessera.schedulers.WireCodecs;
import dev.tessera.schedulers.engine.Engine;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.IgniteException;
import org.apache.ignite.cache.CacheAtomicityMode;
import org.apache.ignite.cache.CacheMode;
import org.apache.ignite.cluster.ClusterGroup;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.configuration.CacheConfiguration;
import org.apache.ignite.lang.IgniteFuture;

/**
 * Named datasets (Dask's {@code publish_dataset}): the blocks of a published collection stay
 * in the published store ({@link Published}) of the workers that computed them, apart from any
 * program's session, and a directory maps each name to what is needed to read them again.
 *
 * <p>The directory is an Ignite REPLICATED cache in the small {@code tessera} data region
 * ({@link IgniteSetup}): every worker holds a full copy, so any client that joins reads it
 * without asking the workers one by one, it outlives every client, a worker's death loses no
 * entry, and {@code putIfAbsent} makes "publish once" atomic across clients. Asking the
 * workers instead would need a new message, an answer from every worker and a merge of their
 * views. An entry is a Java-serialized {@link Entry} (the keys, the collection's assembler,
 * the worker holding each block), stored as bytes so that Ignite's marshaller never sees our
 * classes.
 *
 * <p>Publishing runs the collection with one more task per block, {@link Published.Store},
 * which keeps its input where it runs (the engine places it where the block is) and tells
 * which worker that is. Reading ({@link Published.Load}) takes the block in place, or from
 * its worker when the engine placed the read elsewhere; nothing is computed again.
 */
final class Datasets {
  static final String CACHE = "tessera-datasets";
  static final long TIMEOUT_MILLIS = 30_000;

  private final Ignite ignite;
  private final Engine engine;
  private final Transport transport;
  private final WireCodecs codecs;
  private final DatasetCopies copies;
  /** The directory, opened on first use (so that a program that never publishes adds none). */
  private volatile IgniteCache<String, byte[]> directory;

  Datasets(Ignite ignite, Engine engine, Transport transport, WireCodecs codecs) {
    this.ignite = ignite;
    this.engine = engine;
    this.transport = transport;
    this.codecs = codecs;
    this.copies = new DatasetCopies(this, ignite, transport, codecs);
  }

  /** A worker died or joined: the blocks of datasets with backups get their missing copies. */
  void workersChanged() {
    copies.workersChanged();
  }

  void close() {
    copies.close();
  }

  /**
   * What the directory holds for one name: per key, its block's workers as
   * {@code "id,id,... block"} and their names joined by {@link #NAMES}; {@code backups} as
   * published, which {@link DatasetCopies} keeps up.
   */
  record Entry(String publishId, String kind, List<Key> keys, Fn1<List<Object>, ?> assembler,
      List<String> holders, List<String> holderNames, int backups) implements Serializable {}

  private IgniteCache<String, byte[]> directory() {
    IgniteCache<String, byte[]> d = directory;
    if (d == null) {
      synchronized (this) {
        if (directory == null) {
          CacheConfiguration<String, byte[]> cfg = new CacheConfiguration<>(CACHE);
          cfg.setCacheMode(CacheMode.REPLICATED);
          cfg.setAtomicityMode(CacheAtomicityMode.ATOMIC);
          cfg.setDataRegionName("tessera");
          directory = ignite.getOrCreateCache(cfg);
        }
        d = directory;
      }
    }
    return d;
  }

  /**
   * {@return the directory if this program opened it (published, read or listed datasets),
   * else null} Opening it here would start the cache on this node: a partition exchange, which
   * a death or a join at that moment can break (docs/cluster.md, the known limit).
   */
  IgniteCache<String, byte[]> openedDirectory() {
    return directory;
  }

  static <T> T await(IgniteFuture<T> f, String what) {
    try {
      return f.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (IgniteException e) {
      throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
    }
  }

  void publish(String name, Lazy<?> collection, boolean overwrite, int backups) {
    if (name.isBlank()) {
      throw new IllegalArgumentException("a dataset needs a non-blank name");
    }
    IgniteCache<String, byte[]> dir = directory();
    if (!overwrite && await(dir.containsKeyAsync(name), "reading the dataset directory")) {
      throw alreadyPublished(name);
    }
    String publishId = UUID.randomUUID().toString();
    List<Key> keys = collection.outputKeys();
    List<Key> distinct = new ArrayList<>(new LinkedHashSet<>(keys));
    Map<Key, Task> stores = new LinkedHashMap<>();
    List<Key> storeKeys = new ArrayList<>();
    for (int j = 0; j < distinct.size(); j++) {
      Key k = Key.of("publish-" + publishId, j);
      stores.put(k, Task.of(new Published.Store(publishId + "/" + j), distinct.get(j)));
      storeKeys.add(k);
    }
    TaskGraph graph = collection.optimize(Graphs.cull(collection.graph(), distinct), distinct);
    graph = TaskGraph.of(Layer.of("publish-" + publishId, "publish", stores), graph);
    List<String> holders = new ArrayList<>();
    List<String> names = new ArrayList<>();
    try {
      List<Object> at = engine.get(ExecutionPlan.of(graph, storeKeys), SchedulerCallback.NONE);
      Map<Key, Integer> block = new HashMap<>();
      for (int j = 0; j < distinct.size(); j++) {
        block.put(distinct.get(j), j);
      }
      List<List<String>> perBlock = new ArrayList<>();
      for (Object o : at) {
        perBlock.add(new ArrayList<>(List.of((String) o)));
      }
      if (backups > 0) {
        copy(name, publishId, perBlock, backups);
      }
      for (Key k : keys) {
        List<String> on = perBlock.get(block.get(k));
        holders.add(String.join(",", on) + " " + block.get(k));
        List<String> n = new ArrayList<>();
        for (String id : on) {
          n.add(workerName(id));
        }
        names.add(String.join(NAMES, n));
      }
      Entry e = new Entry(publishId, collection.getClass().getSimpleName(), keys,
          collection.assembler(), holders, names, backups);
      byte[] bytes = codecs.encodeFunction(e);
      if (overwrite) {
        byte[] old = await(dir.getAndPutAsync(name, bytes), "writing the dataset directory");
        if (old != null) {
          dropOld(name, old); // the new entry is recorded: from here on nothing undoes it
        }
      } else if (!await(dir.putIfAbsentAsync(name, bytes), "writing the dataset directory")) {
        throw alreadyPublished(name);
      }
    } catch (IOException e) {
      dropEverywhere(publishId);
      throw new IllegalStateException("dataset \"" + name + "\" cannot be recorded: " + e, e);
    } catch (RuntimeException | Error e) {
      dropEverywhere(publishId); // what was stored before the failure
      throw e;
    }
  }

  /** Between the names of a block's workers in {@link Entry#holderNames}. */
  static final String NAMES = " and ";

  /**
   * Copies every block to {@code backups} other live workers (spread by block), each copy
   * read by its new worker from the block's first one; adds them to {@code perBlock}.
   */
  private void copy(String name, String publishId, List<List<String>> perBlock, int backups) {
    List<String> live = new ArrayList<>();
    for (NodeEndpoint w : transport.live()) {
      live.add(w.node.id().toString());
    }
    if (live.size() <= backups) {
      throw new IllegalArgumentException("dataset \"" + name + "\": " + live.size()
          + " live worker" + (live.size() == 1 ? "" : "s") + " for PersistOptions.backups("
          + backups + "), which needs at least " + (backups + 1) + " (each copy on another"
          + " worker); ask for fewer backups or start more workers");
    }
    List<IgniteFuture<Boolean>> pending = new ArrayList<>();
    List<String> what = new ArrayList<>();
    for (int j = 0; j < perBlock.size(); j++) {
      String home = perBlock.get(j).get(0);
      List<String> others = new ArrayList<>(live);
      others.remove(home);
      for (int b = 0; b < backups; b++) {
        String to = others.get((j + b) % others.size());
        perBlock.get(j).add(to);
        pending.add(ignite.compute(ignite.cluster().forNodeId(UUID.fromString(to)))
            .withTimeout(TIMEOUT_MILLIS).callAsync(new Published.Copy(name,
                publishId + "/" + j, home, workerName(home))));
        what.add("block " + j + " to " + workerName(to));
      }
    }
    for (int i = 0; i < pending.size(); i++) {
      await(pending.get(i), "dataset \"" + name + "\": copying " + what.get(i));
    }
  }

  /** Drops the blocks of a replaced entry; one this program cannot read stays (and says so). */
  private void dropOld(String name, byte[] old) {
    try {
      dropEverywhere(decode(name, old).publishId());
    } catch (IllegalStateException unreadable) {
      System.err.println("tessera: the blocks of the replaced dataset \"" + name + "\" stay on"
          + " the workers: " + unreadable.getMessage());
    }
  }

  private static IllegalStateException alreadyPublished(String name) {
    return new IllegalStateException("a dataset named \"" + name + "\" is already published;"
        + " unpublish it first, or publish(\"" + name + "\", collection, true) to replace it");
  }

  /** {@return the worker's name with its address and pid, as the program knows it} */
  String workerName(String nodeId) {
    UUID id = UUID.fromString(nodeId);
    for (NodeEndpoint w : transport.live()) {
      if (w.node.id().equals(id)) {
        return w.name();
      }
    }
    ClusterNode n = ignite.cluster().node(id);
    return n == null ? "worker node " + nodeId : Topology.name(n);
  }

  Entry decode(String name, byte[] bytes) {
    try {
      return (Entry) codecs.decodeFunction(bytes);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("dataset \"" + name + "\" cannot be read here (" + e
          + "); is this program's class path the publisher's?", e);
    }
  }

  Lazy<?> get(String name) {
    Entry e = entryOrFail(name);
    return Lazy.of(readGraph(name, e), e.keys(), e.assembler());
  }

  /**
   * The value type of each kind of collection, by name (this module knows none of those
   * classes): what {@link #get(String, Class)} checks before anything is read.
   */
  private static final Map<String, String> VALUE_TYPES = Map.of(
      "Array", "org.nd4j.linalg.api.ndarray.INDArray",
      "Frame", "tech.tablesaw.api.Table",
      "Bag", "java.util.List");

  <T> Lazy<T> get(String name, Class<T> type) {
    Objects.requireNonNull(type, "type");
    Entry e = entryOrFail(name);
    String known = VALUE_TYPES.get(e.kind());
    if (known != null) {
      try {
        Class<?> v = Class.forName(known, false, Thread.currentThread().getContextClassLoader());
        if (!type.isAssignableFrom(v)) {
          throw new IllegalArgumentException("dataset \"" + name + "\" is a" + article(e.kind())
              + " " + e.kind() + ": its value is a " + v.getName() + ", not a " + type.getName()
              + "; get(\"" + name + "\", " + v.getSimpleName() + ".class)");
        }
      } catch (ClassNotFoundException | LinkageError notHere) {
        // not on this class path: the value's own class is checked when it is assembled
      }
    }
    return Lazy.of(readGraph(name, e), e.keys(), new Typed<>(name, e.kind(), type,
        e.assembler()));
  }

  private static String article(String kind) {
    return "AEIOU".indexOf(kind.charAt(0)) >= 0 ? "n" : "";
  }

  /** A dataset's assembler whose value is checked to be a {@code type}, naming the dataset. */
  private record Typed<T>(String name, String kind, Class<T> type, Fn1<List<Object>, ?> inner)
      implements Fn1<List<Object>, T> {
    @Override
    public T apply(List<Object> parts) throws Exception {
      Object v = inner.apply(parts);
      if (v != null && !type.isInstance(v)) {
        throw new ClassCastException("dataset \"" + name + "\" (a" + article(kind) + " " + kind
            + ") is a " + v.getClass().getName() + ", not a " + type.getName() + "; get(\""
            + name + "\", " + v.getClass().getSimpleName() + ".class)");
      }
      return type.cast(v);
    }
  }

  private Entry entryOrFail(String name) {
    byte[] bytes = await(directory().getAsync(name), "reading the dataset directory");
    if (bytes == null) {
      throw new IllegalArgumentException("no dataset named \"" + name + "\" is published;"
          + " published: " + names());
    }
    return decode(name, bytes);
  }

  /** The graph that reads each of the dataset's blocks where it lives. */
  private TaskGraph readGraph(String name, Entry e) {
    Set<UUID> live = new java.util.HashSet<>();
    for (NodeEndpoint w : transport.live()) {
      live.add(w.node.id());
    }
    Map<Key, Task> tasks = new LinkedHashMap<>();
    for (int j = 0; j < e.keys().size(); j++) {
      String[] at = e.holders().get(j).split(" ");
      String[] ids = at[0].split(",");
      String[] names = e.holderNames().get(j).split(NAMES);
      // the live ones, in their order: a dead first holder is not asked
      List<String> liveIds = new ArrayList<>();
      List<String> liveNames = new ArrayList<>();
      for (int h = 0; h < ids.length; h++) {
        if (live.contains(UUID.fromString(ids[h]))) {
          liveIds.add(ids[h]);
          liveNames.add(h < names.length ? names[h] : "worker node " + ids[h]);
        }
      }
      if (liveIds.isEmpty()) {
        throw lost(name, e.holderNames().get(j));
      }
      tasks.putIfAbsent(e.keys().get(j), Task.of(new Published.Load(name,
          e.publishId() + "/" + at[1], String.join(",", liveIds),
          String.join(NAMES, liveNames))));
    }
    return TaskGraph.of(Layer.of("dataset-" + e.publishId(), "dataset", tasks));
  }

  /** {@return a dataset's directory entry, or null (for tests)} */
  Entry entry(String name) {
    byte[] bytes = await(directory().getAsync(name), "reading the dataset directory");
    return bytes == null ? null : decode(name, bytes);
  }

  /** The error of a dataset whose worker is gone. */
  static IllegalStateException lost(String name, String worker) {
    return new IllegalStateException("dataset \"" + name + "\" is lost: its blocks on " + worker
        + " went with that worker, which left the cluster; publish it again (publish(\"" + name
        + "\", collection, true); published blocks live only on the workers that hold them:"
        + " PersistOptions.backups(n) keeps copies on n more)");
  }

  boolean unpublish(String name) {
    byte[] old = await(directory().getAndRemoveAsync(name), "writing the dataset directory");
    if (old == null) {
      return false;
    }
    dropEverywhere(decode(name, old).publishId());
    return true;
  }

  /**
   * Lists the names by asking one worker for its copy of the directory (a REPLICATED cache:
   * each worker holds every entry), so that the answer has a deadline; a scan query from here
   * would have none. The oldest worker first: a worker that joined a moment ago may still be
   * receiving its copy.
   */
  List<String> names() {
    directory();
    List<ClusterNode> servers = new ArrayList<>(ignite.cluster().forServers().nodes());
    servers.sort(java.util.Comparator.comparingLong(ClusterNode::order));
    RuntimeException last = null;
    for (ClusterNode n : servers) {
      try {
        List<String> out = new ArrayList<>(await(ignite.compute(ignite.cluster().forNode(n))
            .withTimeout(TIMEOUT_MILLIS).callAsync(new Published.Names()),
            "listing the datasets"));
        out.sort(null);
        return out;
      } catch (RuntimeException e) {
        last = e; // that worker left meanwhile: ask the next
      }
    }
    throw new IllegalStateException("no worker answered with the list of datasets", last);
  }

  /**
   * Drops a publish's blocks from every worker, not only the recorded holders: a block stored
   * twice (its task run again after a death) or by a publish that failed halfway goes too.
   */
  void dropEverywhere(String publishId) {
    try {
      ClusterGroup servers = ignite.cluster().forServers();
      if (!servers.nodes().isEmpty()) {
        await(ignite.compute(servers).withTimeout(TIMEOUT_MILLIS).broadcastAsync(
            new Published.Drop(publishId)), "dropping published blocks");
      }
    } catch (RuntimeException gone) {
      // a worker left meanwhile: its blocks went with it
    }
  }

  /** {@return how many published blocks the workers hold, over every dataset} */
  long held() {
    long total = 0;
    for (ClusterNode n : ignite.cluster().forServers().nodes()) {
      try {
        total += await(ignite.compute(ignite.cluster().forNode(n)).withTimeout(TIMEOUT_MILLIS)
            .callAsync(new Published.Count()), "counting published blocks");
      } catch (RuntimeException gone) {
        // the worker left: it holds nothing
      }
    }
    return total;
  }
}
