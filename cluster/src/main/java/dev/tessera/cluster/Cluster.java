package dev.tessera.cluster;

import dev.tessera.graph.ComputeCancelledException;
import dev.tessera.graph.Lazy;
import dev.tessera.graph.PersistOptions;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.core.ExecutionPlan;
import dev.tessera.graph.spi.Engines;
import dev.tessera.graph.spi.Execution;
import dev.tessera.graph.spi.RemoteValue;
import dev.tessera.graph.spi.SchedulerCallback;
import dev.tessera.schedulers.WireCodecs;
import dev.tessera.schedulers.engine.Engine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.events.DiscoveryEvent;
import org.apache.ignite.lang.IgnitePredicate;

/**
 * A Tessera cluster on Apache Ignite, as a program sees it: an Ignite client node in this JVM
 * joined to worker nodes ({@link Worker}) that run the tasks and hold their results, and a
 * {@link Scheduler} that runs every collection and {@code Delayed} there: pass the cluster to
 * {@code compute(...)}, {@code Tessera.useScheduler(...)} or {@code Client.on(...)}.
 *
 * <p>The scheduler is the worker-JVM pool's engine ({@link dev.tessera.schedulers.engine}:
 * placement by data locality, the directory of results, recovery, release) on Ignite
 * messaging: tasks travel in batches, values with Tessera's codecs, each result stays in the
 * heap of the worker that computed it until no pending task, future or persisted collection
 * needs it, and only the outputs asked for come to this JVM. A worker that leaves or dies
 * mid-computation has its tasks run again elsewhere and its lost results recomputed from the
 * graph, or read from a copy on another worker when they were persisted with
 * {@link PersistOptions#backups(int)}; after {@link ClusterOptions#maxDeaths()} deaths while running one task the computation
 * fails naming it. Workers that join later take work at once. {@link #engines()} gives the
 * idioms (views, MPI-style groups, actors) one engine per worker node. {@link #publish} leaves
 * a computed collection on the workers under a name, for any program connected to them to
 * {@link #get(String)} (Dask's named datasets).
 *
 * <pre>{@code
 * try (Cluster cluster = Cluster.local(2)) {          // two worker JVMs on loopback
 *   ...
 * }
 * try (Cluster cluster = Cluster.connect("node01:47500..47509")) {   // workers already up
 *   ...
 * }
 * }</pre>
 *
 * <p>This JVM needs Ignite's {@code --add-opens} flags (docs/cluster.md lists them; a missing
 * one fails at once, naming the fix). {@link #close()} stops the client node and any worker
 * JVMs this cluster started, and leaves no thread behind. Thread-safe.
 */
public final class Cluster implements Scheduler, AutoCloseable {
  private final ClusterOptions options;
  private final Ignite ignite;
  private final String nodeName;
  private final Path workDir;
  private final LocalWorkers local;
  private final IgnitePredicate<DiscoveryEvent> topologyListener;
  private final long startNanos;
  private final long startedNanos;
  private final WireCodecs codecs = WireCodecs.create(List.of());
  private final Engine engine;
  private final Transport transport;
  private final Datasets datasets;
  /** Runs submitted computations: one thread each while it runs, reused. */
  private final ExecutorService submitted = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "tessera-cluster-submit");
    t.setDaemon(true);
    return t;
  });
  /** The engines, made on the first {@link #engines()}. Guarded by this. */
  private ClusterEngines engines;
  private volatile boolean closed;

  private Cluster(ClusterOptions options, Ignite ignite, String nodeName, Path workDir,
      LocalWorkers local, long startNanos) {
    this.options = options;
    this.ignite = ignite;
    this.nodeName = nodeName;
    this.workDir = workDir;
    this.local = local;
    this.startNanos = startNanos;
    this.topologyListener = Topology.listen(ignite, null, null);
    this.engine = new Engine(this, "cluster", codecs, options.maxDeaths());
    this.transport = new Transport(ignite, engine, codecs, options.startTimeout());
    this.datasets = new Datasets(ignite, engine, transport, codecs);
    transport.onWorkersChanged(datasets::workersChanged);
    if (local != null) {
      local.watch(transport::learnAddress);
    }
    this.startedNanos = System.nanoTime();
  }

  /**
   * Starts {@code workers} worker JVMs on loopback, one task at a time each, and joins them.
   *
   * @param workers how many, at least 1
   * @return the cluster; close it to stop the workers
   */
  public static Cluster local(int workers) {
    return local(ClusterOptions.builder().workers(workers).build());
  }

  /**
   * Starts {@link ClusterOptions#workers()} worker JVMs on this machine with the options'
   * threads, heap, flags and TLS, and joins them.
   *
   * @param options the settings
   * @return the cluster; close it to stop the workers
   */
  public static Cluster local(ClusterOptions options) {
    Objects.requireNonNull(options, "options");
    long t0 = System.nanoTime();
    IgniteSetup.checkJvmFlags();
    IgniteSetup.checkExposure(options, false);
    LocalWorkers lw = LocalWorkers.start(options);
    try {
      ClusterOptions.Builder cb = ClusterOptions.builder().bind(options.bind())
          .discovery(lw.discovery.toArray(new String[0]))
          .communicationPort(LocalWorkers.freePorts(1)[0]).portRange(0)
          .startTimeout(options.startTimeout()).maxDeaths(options.maxDeaths());
      if (options.tls()) {
        cb.ssl(options.keyStore(), options.trustStore(), options.password());
      }
      lw.awaitJoined(options.startTimeout().toMillis());
      Cluster c = join(cb.build(), lw, t0);
      c.awaitWorkers(options.workers(), options.startTimeout().toMillis());
      return c;
    } catch (InterruptedException e) {
      lw.close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the local cluster", e);
    } catch (RuntimeException | Error e) {
      lw.close();
      throw e;
    }
  }

  /**
   * Joins a running cluster as a client node, bound to loopback: for workers on this machine.
   * For workers elsewhere, give {@link ClusterOptions.Builder#bind} and {@link ClusterOptions.Builder#ssl}.
   *
   * @param addresses discovery addresses of some workers, {@code host:port} or
   *     {@code host:from..to}
   * @return the cluster; closing it leaves the workers running
   */
  public static Cluster connect(String... addresses) {
    Objects.requireNonNull(addresses, "addresses");
    return connect(ClusterOptions.builder().discovery(addresses).build());
  }

  /**
   * Joins a running cluster as a client node.
   *
   * @param options where the workers are, this node's address and TLS
   * @return the cluster; closing it leaves the workers running
   */
  public static Cluster connect(ClusterOptions options) {
    Objects.requireNonNull(options, "options");
    long t0 = System.nanoTime();
    IgniteSetup.checkJvmFlags();
    IgniteSetup.checkExposure(options, false);
    if (options.discovery().isEmpty()) {
      throw new IllegalArgumentException("connect needs the discovery addresses of some"
          + " workers, such as \"node01:47500..47509\"");
    }
    Cluster c = join(options, null, t0);
    try {
      c.awaitWorkers(1, options.startTimeout().toMillis());
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }

  private static Cluster join(ClusterOptions o, LocalWorkers lw, long t0) {
    String name = "tessera-client-" + UUID.randomUUID().toString().substring(0, 8);
    Path work = IgniteSetup.newWorkDirectory("tessera-client-");
    IgniteConfiguration cfg = IgniteSetup.configuration(o, name, true, 1, work);
    cfg.setUserAttributes(Map.of(Topology.PID, ProcessHandle.current().pid()));
    Ignite ignite;
    try {
      ignite = Ignition.start(cfg);
    } catch (RuntimeException e) {
      IgniteSetup.deleteWorkDirectory(work);
      throw new IllegalStateException("could not join the cluster at " + o.discoveryAddresses()
          + (o.tls() ? " with TLS (is the trust store the one that signed the workers'"
          + " certificates?)" : "") + ": " + e.getMessage(), e);
    }
    return new Cluster(o, ignite, name, work, lw, t0);
  }

  private void awaitWorkers(int n, long timeoutMillis) {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (transport.live().size() < n) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("only " + transport.live().size() + " of " + n
            + " workers joined within " + timeoutMillis / 1000 + " s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for workers", e);
      }
    }
  }

  /**
   * {@return the names of the live workers, such as {@code worker-0}}: the ones this program
   * can use now (Ignite's own view can lag behind a death, see {@link Liveness})
   */
  public List<String> workers() {
    List<String> out = new ArrayList<>();
    for (NodeEndpoint w : transport.live()) {
      out.add(Topology.name(w.node));
    }
    out.sort(null);
    return out;
  }

  /** {@return the process ids of the worker JVMs this cluster started (none after connect)} */
  public List<Long> localWorkerPids() {
    List<Long> out = new ArrayList<>();
    if (local != null) {
      for (Process p : local.processes()) {
        if (p.isAlive()) {
          out.add(p.pid());
        }
      }
    }
    return out;
  }

  /** {@return how long the cluster took to start or join, in milliseconds} */
  public long startupMillis() {
    return TimeUnit.NANOSECONDS.toMillis(startedNanos - startNanos);
  }

  @Override
  public List<Object> get(ExecutionPlan plan, SchedulerCallback callback) {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(callback, "callback");
    checkOpen();
    return engine.get(plan, callback);
  }

  /**
   * Runs the plan and returns handles to its outputs, which stay on the workers that made them
   * until released; later computations on this cluster use them in place.
   */
  @Override
  public List<RemoteValue> persist(ExecutionPlan plan, SchedulerCallback callback) {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(callback, "callback");
    checkOpen();
    return engine.persist(plan, callback);
  }

  /**
   * Like {@link #persist(ExecutionPlan, SchedulerCallback)}; with
   * {@link PersistOptions#backups(int)} (what
   * {@code Tessera.persist(collections, cluster, PersistOptions.backups(1))} asks for), each
   * output is also copied, once computed, to that many other live workers: when the worker
   * holding it dies, a copy becomes its home and nothing is computed again, and a new copy is
   * made on a live worker that has none (the dead one's replacement, when it joins). A copy of
   * 64 KiB or more goes from worker to worker, as a task input does (counted by
   * {@link #transferredBytes()}, not {@link #relayedBytes()}); a smaller one through this JVM.
   * Releasing the handle drops every copy.
   *
   * @throws IllegalArgumentException if the cluster does not have more live workers than
   *     backups (the message names the fix)
   */
  @Override
  public List<RemoteValue> persist(ExecutionPlan plan, SchedulerCallback callback,
      PersistOptions options) {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(callback, "callback");
    Objects.requireNonNull(options, "options");
    checkOpen();
    return engine.persist(plan, callback, options.backupCount());
  }

  /**
   * Starts the plan on the workers and returns at once; the outputs stay on the workers (see
   * {@link #persist}). Computations submitted from several threads run at once.
   */
  @Override
  public Execution submit(ExecutionPlan plan, SchedulerCallback callback) {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(callback, "callback");
    return start(() -> persist(plan, callback));
  }

  /**
   * Like {@link #submit(ExecutionPlan, SchedulerCallback)}; with
   * {@link PersistOptions#backups(int)} (what {@code Submit.options().backups(n)} asks for), the
   * results are done once each output also has that many copies on other live workers, made as
   * {@link #persist(ExecutionPlan, SchedulerCallback, PersistOptions)} makes them: a future's
   * result then outlives its worker without running again. Fails the results with an
   * {@link IllegalArgumentException} naming the fix if the cluster does not have more live
   * workers than backups.
   */
  @Override
  public Execution submit(ExecutionPlan plan, SchedulerCallback callback,
      PersistOptions options) {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(callback, "callback");
    Objects.requireNonNull(options, "options");
    return start(() -> persist(plan, callback, options));
  }

  /** Runs {@code persist} on a thread of {@code submitted}; a cancel interrupts it. */
  private Execution start(java.util.function.Supplier<List<RemoteValue>> persist) {
    CompletableFuture<List<RemoteValue>> results = new CompletableFuture<>();
    Object guard = new Object();
    Thread[] runner = new Thread[1];
    boolean[] cancelled = new boolean[1];
    try {
      submitted.execute(() -> {
        synchronized (guard) {
          if (cancelled[0]) {
            results.completeExceptionally(new ComputeCancelledException("cancelled before it"
                + " started"));
            return;
          }
          runner[0] = Thread.currentThread();
        }
        try {
          results.complete(persist.get());
        } catch (Throwable e) {
          results.completeExceptionally(e);
        } finally {
          synchronized (guard) {
            runner[0] = null;
            Thread.interrupted(); // a late cancel never hits the next computation
          }
        }
      });
    } catch (RejectedExecutionException e) {
      results.completeExceptionally(closedError());
    }
    return Execution.of(results, () -> {
      synchronized (guard) {
        cancelled[0] = true;
        if (runner[0] != null) {
          runner[0].interrupt();
        }
      }
    });
  }

  private void checkOpen() {
    if (closed) {
      throw closedError();
    }
  }

  private IllegalStateException closedError() {
    return new IllegalStateException(this + " is closed; connect again with Cluster.connect"
        + " or start a new one with Cluster.local");
  }

  /**
   * {@return one engine per worker node, for engine views, actors and MPI-style groups: engine
   * {@code i} runs on the {@code i}-th worker by name of those in the cluster at the first call
   * (their number is the count from then on), on a thread of its own beside the tasks, its calls
   * one at a time in the order sent, with a namespace that lives in that worker's JVM as long as
   * this program; functions, results and messages travel through the codecs. When a worker node
   * leaves or fails, its engine's pending calls fail with an
   * {@link dev.tessera.graph.spi.EngineDiedException} naming the engine and the node, and later
   * calls run on a free worker that takes its place (a local cluster's replacement), with an
   * empty namespace, or fail the same way when there is none}
   *
   * @throws IllegalStateException if the cluster is closed, or has no worker now
   */
  @Override
  public Optional<Engines> engines() {
    checkOpen();
    synchronized (this) {
      if (engines == null) {
        engines = ClusterEngines.start(transport, codecs, local != null,
            options.startTimeout().toNanos(), this::closedError, engine::countTransfer);
      }
      return Optional.of(engines);
    }
  }

  @Override
  public String name() {
    return "cluster(" + engine.workers().size() + " workers)";
  }

  /**
   * Returns how many values the live workers hold for this program right now, asking each:
   * results of computations in progress, persisted results and futures' results. Zero when
   * nothing is in progress and every handle was released.
   *
   * @return the count
   */
  public long heldByWorkers() {
    return transport.heldByWorkers();
  }

  /**
   * Computes {@code collection} and publishes it under {@code name}, as Dask's
   * {@code publish_dataset}: its blocks stay on the workers that computed them, apart from
   * this program's results, until {@link #unpublish}; they outlive this program, and any
   * program connected to the same workers reads them with {@link #get(String)}, without
   * computing anything again.
   *
   * <pre>{@code
   * cluster.publish("temperatures", frame);          // in one program
   * Lazy<?> t = other.get("temperatures");            // in another, connected to the workers
   * }</pre>
   *
   * @param name the dataset's name, not blank
   * @param collection an array, frame, bag or {@code Delayed} (any {@link Lazy})
   * @throws IllegalStateException if a dataset of that name is already published (see
   *     {@link #publish(String, Lazy, boolean)}), or if the cluster is closed
   * @throws dev.tessera.graph.TaskFailedException if computing the collection fails
   */
  public void publish(String name, Lazy<?> collection) {
    publish(name, collection, false);
  }

  /**
   * Computes {@code collection} and publishes it under {@code name}, replacing the dataset of
   * that name when {@code overwrite} is set (its blocks are dropped from the workers once the
   * new ones are recorded).
   *
   * @param name the dataset's name, not blank
   * @param collection an array, frame, bag or {@code Delayed} (any {@link Lazy})
   * @param overwrite whether to replace a dataset of the same name
   * @throws IllegalStateException if the name is taken and {@code overwrite} is not set, or
   *     if the cluster is closed
   * @throws dev.tessera.graph.TaskFailedException if computing the collection fails
   */
  public void publish(String name, Lazy<?> collection, boolean overwrite) {
    publish(name, collection, overwrite, PersistOptions.none());
  }

  /**
   * Like {@link #publish(String, Lazy, boolean)}, with {@code options.backupCount()} copies of
   * every block on other live workers (spread by block), made before the name is recorded:
   * when a worker holding a block dies, {@link #get(String)} reads a copy, and the dataset is
   * lost only with every worker that holds some block. A copy lost with its worker is made
   * again on a live worker, in the background, worker to worker, by the programs connected that
   * have opened the dataset directory (this one, from now on).
   *
   * <pre>{@code
   * cluster.publish("x", x, false, PersistOptions.backups(1));
   * }</pre>
   *
   * @param name the dataset's name, not blank
   * @param collection an array, frame, bag or {@code Delayed} (any {@link Lazy})
   * @param overwrite whether to replace a dataset of the same name
   * @param options how many backups each block has
   * @throws IllegalArgumentException if there are not more live workers than backups
   * @throws IllegalStateException as {@link #publish(String, Lazy, boolean)}, or if a copy
   *     could not be made (nothing is then published)
   * @throws dev.tessera.graph.TaskFailedException if computing the collection fails
   */
  public void publish(String name, Lazy<?> collection, boolean overwrite,
      PersistOptions options) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(options, "options");
    checkOpen();
    datasets.publish(name, collection, overwrite, options.backupCount());
  }

  /**
   * Returns a published dataset: a lazy value with the published collection's keys whose
   * {@code compute(this)} assembles the same value (an array's {@code INDArray}, a frame's
   * table, a bag's list), each block read from the worker that holds it, nothing computed
   * again. It computes on this cluster only, and can be combined with other work here as any
   * {@link Lazy}.
   *
   * @param name the dataset's name
   * @return the dataset, read when computed
   * @throws IllegalArgumentException if no dataset of that name is published (the message
   *     lists the published ones)
   * @throws IllegalStateException if a worker holding some of its blocks left the cluster
   *     (publish it again), or if the cluster is closed
   */
  public Lazy<?> get(String name) {
    Objects.requireNonNull(name, "name");
    checkOpen();
    return datasets.get(name);
  }

  /**
   * Returns a published dataset as a lazy value of {@code type}: {@link #get(String)} without
   * the cast. A dataset of a known kind whose value is not a {@code type} (an array's
   * {@code INDArray}, a frame's {@code Table}, a bag's {@code List}) fails here, naming the
   * type to ask for; any other is checked when its value is assembled.
   *
   * <pre>{@code
   * INDArray x = cluster.get("x", INDArray.class).compute(cluster);
   * }</pre>
   *
   * @param name the dataset's name
   * @param type the class of its value
   * @param <T> its value's type
   * @return the dataset, read when computed
   * @throws IllegalArgumentException if no dataset of that name is published, or its value is
   *     known not to be a {@code type}
   * @throws IllegalStateException as {@link #get(String)}
   */
  public <T> Lazy<T> get(String name, Class<T> type) {
    Objects.requireNonNull(name, "name");
    checkOpen();
    return datasets.get(name, type);
  }

  /**
   * Unpublishes a dataset: removes its name and drops its blocks from the workers. Programs
   * that already hold it fail when they compute it next.
   *
   * @param name the dataset's name
   * @return whether a dataset of that name was published
   * @throws IllegalStateException if the cluster is closed
   */
  public boolean unpublish(String name) {
    Objects.requireNonNull(name, "name");
    checkOpen();
    return datasets.unpublish(name);
  }

  /**
   * {@return the names of the published datasets, sorted: a snapshot of the directory that
   * every program connected to these workers sees}
   *
   * @throws IllegalStateException if the cluster is closed
   */
  public List<String> datasets() {
    checkOpen();
    return datasets.names();
  }

  /**
   * Returns how many published blocks the live workers hold, over every dataset and every
   * program, asking each; it goes back down when datasets are unpublished.
   *
   * @return the count
   * @throws IllegalStateException if the cluster is closed
   */
  public long publishedByWorkers() {
    checkOpen();
    return datasets.held();
  }

  /**
   * {@return how many results were sent from one worker to another so far: straight between
   * the two nodes, or through this program when that failed}
   */
  public long transfers() {
    return engine.transfers();
  }

  /**
   * {@return how many of {@link #transferredBytes()} went through this program (fetched here
   * from one worker, sent on to another); the rest went between the workers directly}
   */
  public long relayedBytes() {
    return engine.relayedBytes();
  }

  /** {@return how many bytes of results were sent from one worker to another so far} */
  public long transferredBytes() {
    return engine.transferredBytes();
  }

  /** {@return how many bytes this program sent to the workers so far (tasks, inputs)} */
  public long bytesSent() {
    return transport.bytesSent();
  }

  /** {@return how many bytes this program received from the workers so far (results)} */
  public long bytesReceived() {
    return transport.bytesReceived.get();
  }

  /** {@return a dataset's directory entry, or null; for tests} */
  Datasets.Entry datasetEntry(String name) {
    return datasets.entry(name);
  }

  /** {@return the options this cluster's client node was made with} */
  ClusterOptions options() {
    return options;
  }

  /** {@return the Ignite client node of this JVM} */
  Ignite ignite() {
    return ignite;
  }

  /**
   * Stops the client node, and the worker JVMs if {@link #local} started them; waits until
   * they are gone. Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    ClusterEngines open;
    synchronized (this) {
      open = engines;
    }
    if (open != null) {
      open.close();
    }
    engine.close(this + " was closed; connect again with Cluster.connect or start a new one"
        + " with Cluster.local");
    submitted.shutdownNow();
    datasets.close();
    transport.close();
    if (local != null) {
      local.stopWatching();
    }
    try {
      ignite.events().stopLocalListen(topologyListener);
    } catch (RuntimeException e) {
      // the node is already stopping
    }
    try {
      stopNode();
    } finally {
      if (local != null) {
        local.close();
      }
      IgniteSetup.deleteWorkDirectory(workDir);
    }
  }

  /**
   * Stops this program's node, waiting at most {@link #STOP_WAIT_MILLIS}. Ignite's stop joins
   * its own threads, and one of them can be stuck for good: a client node that lost the
   * cluster in the middle of a partition exchange retries sending to the dead coordinator for
   * as long as its stale view calls that node alive. Closing must still end, and still stop
   * the local workers.
   */
  private void stopNode() {
    Thread stopper = new Thread(() -> Ignition.stop(nodeName, true), "tessera-cluster-stop");
    stopper.setDaemon(true);
    stopper.start();
    try {
      stopper.join(STOP_WAIT_MILLIS);
      if (stopper.isAlive()) {
        stopper.interrupt();
        stopper.join(5_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (stopper.isAlive()) {
      System.err.println("tessera: the program's cluster node " + nodeName + " did not stop"
          + " within " + STOP_WAIT_MILLIS / 1000 + " s (stuck at " + where(stopper)
          + "); its threads are left to end with this JVM");
    }
  }

  private static final long STOP_WAIT_MILLIS = 20_000;

  /** {@return where a stuck thread waits: its top frames} */
  private static String where(Thread t) {
    StackTraceElement[] st = t.getStackTrace();
    List<String> frames = new ArrayList<>();
    for (int i = 0; i < Math.min(4, st.length); i++) {
      frames.add(st[i].toString());
    }
    return String.join(" < ", frames);
  }


  @Override
  public String toString() {
    return "Cluster(" + (local != null ? local.processes().size() + " local workers"
        : "connected to " + options.discoveryAddresses()) + ")";
  }
}
