package dev.tessera.cluster;

import dev.tessera.schedulers.WireCodecs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.lang.IgniteFuture;

/**
 * Keeps up the backups of published datasets ({@code publish(..., PersistOptions.backups(n))}):
 * after a worker died or joined, every dataset block with fewer live holders than its backups
 * ask for is copied to live workers that lack it, each copy read by its new worker from a live
 * holder ({@link Published.Copy}, worker to worker), and the directory entry is rewritten with
 * the live holders only. In the background, one pass at a time, on the program's side: the
 * program knows the live workers at once ({@link Transport}) and already decodes entries.
 *
 * <p>Several programs may repair at once: each rewrites an entry only if it is still the one it
 * read ({@code replace(name, old, new)}), else reads it again; a copy whose entry was rewritten
 * by another program meanwhile stays on its worker, unrecorded, until the dataset is
 * unpublished (which drops its blocks on every worker). A copy made while its dataset was
 * unpublished or replaced is dropped again, with every block of that publish.
 */
final class DatasetCopies {
  private final Datasets datasets;
  private final Ignite ignite;
  private final Transport transport;
  private final WireCodecs codecs;
  /** Set while a pass is queued and not yet started: later events need no second one. */
  private final AtomicBoolean queued = new AtomicBoolean();
  private final ThreadPoolExecutor passes =
      new ThreadPoolExecutor(0, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "tessera-dataset-copies");
            t.setDaemon(true);
            return t;
          });

  DatasetCopies(Datasets datasets, Ignite ignite, Transport transport, WireCodecs codecs) {
    this.datasets = datasets;
    this.ignite = ignite;
    this.transport = transport;
    this.codecs = codecs;
  }

  /** A worker died or joined: makes the missing copies soon, unless no dataset was opened. */
  void workersChanged() {
    if (datasets.openedDirectory() == null || !queued.compareAndSet(false, true)) {
      return;
    }
    try {
      passes.execute(() -> {
        queued.set(false); // an event from now on queues the next pass
        try {
          repairAll();
        } catch (RuntimeException e) {
          // a worker or the cluster went away meanwhile: the next event tries again
        }
      });
    } catch (RejectedExecutionException closing) {
      queued.set(false);
    }
  }

  /** Stops the pass in progress (its Ignite calls are interrupted) and waits for it briefly. */
  void close() {
    passes.shutdownNow();
    try {
      passes.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void repairAll() {
    IgniteCache<String, byte[]> dir = datasets.openedDirectory();
    for (String name : datasets.names()) {
      for (int attempt = 0; attempt < 3 && !Thread.currentThread().isInterrupted(); attempt++) {
        byte[] old = Datasets.await(dir.getAsync(name), "reading the dataset directory");
        if (old == null) {
          break; // unpublished meanwhile
        }
        Datasets.Entry e;
        try {
          e = datasets.decode(name, old);
        } catch (IllegalStateException unreadable) {
          break; // another program's classes: its own program keeps it up
        }
        Datasets.Entry fixed = e.backups() == 0 ? null : repaired(name, e);
        if (fixed == null) {
          break;
        }
        byte[] bytes;
        try {
          bytes = codecs.encodeFunction(fixed);
        } catch (IOException cannot) {
          break; // it was encoded once, by the publisher: not expected
        }
        if (Datasets.await(dir.replaceAsync(name, old, bytes), "writing the dataset directory")) {
          break;
        }
        byte[] now = Datasets.await(dir.getAsync(name), "reading the dataset directory");
        if (now == null || !samePublish(name, now, e.publishId())) {
          // unpublished or replaced meanwhile: its blocks were dropped, maybe before a copy
          // landed; drop them again, so that no copy stays behind
          datasets.dropEverywhere(e.publishId());
          break;
        }
        // another program rewrote it meanwhile (its own copies): read it again
      }
    }
  }

  private boolean samePublish(String name, byte[] entry, String publishId) {
    try {
      return datasets.decode(name, entry).publishId().equals(publishId);
    } catch (IllegalStateException unreadable) {
      return false; // replaced by another program's dataset
    }
  }

  /**
   * Copies the blocks of {@code e} that lack live holders. Returns the entry with the live
   * holders and the new copies, or null when no copy was made.
   */
  private Datasets.Entry repaired(String name, Datasets.Entry e) {
    List<String> live = new ArrayList<>();
    for (NodeEndpoint w : transport.live()) {
      live.add(w.node.id().toString());
    }
    live.sort(null);
    // per block (keys may share one): its live holders, then the copies made
    Map<String, List<String>> now = new HashMap<>();
    boolean copied = false;
    for (String at : e.holders()) {
      String block = at.substring(at.indexOf(' ') + 1);
      if (now.containsKey(block)) {
        continue;
      }
      List<String> holders = new ArrayList<>();
      for (String id : at.substring(0, at.indexOf(' ')).split(",")) {
        if (live.contains(id)) {
          holders.add(id);
        }
      }
      now.put(block, holders);
      if (holders.isEmpty()) {
        continue; // lost with every worker holding it: get names the dataset and the worker
      }
      List<String> free = new ArrayList<>(live);
      free.removeAll(holders);
      int missing = Math.min(e.backups() + 1 - holders.size(), free.size());
      int start = Math.floorMod(block.hashCode(), Math.max(1, free.size()));
      List<String> to = new ArrayList<>();
      List<IgniteFuture<Boolean>> pending = new ArrayList<>();
      for (int i = 0; i < missing; i++) {
        String target = free.get((start + i) % free.size());
        to.add(target);
        pending.add(ignite.compute(ignite.cluster().forNodeId(UUID.fromString(target)))
            .withTimeout(Datasets.TIMEOUT_MILLIS).callAsync(new Published.Copy(name,
                e.publishId() + "/" + block, holders.get(0),
                datasets.workerName(holders.get(0)))));
      }
      for (int i = 0; i < pending.size(); i++) {
        try {
          Datasets.await(pending.get(i), "copying a block of dataset \"" + name + "\"");
          holders.add(to.get(i));
          copied = true;
        } catch (RuntimeException failed) {
          // that worker died, or the holder did: the next event tries again
        }
      }
    }
    if (!copied) {
      return null;
    }
    List<String> holders = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int j = 0; j < e.holders().size(); j++) {
      String at = e.holders().get(j);
      String block = at.substring(at.indexOf(' ') + 1);
      List<String> on = now.get(block);
      if (on.isEmpty()) {
        holders.add(at); // kept as it was: its lost error names the dead workers
        names.add(e.holderNames().get(j));
        continue;
      }
      holders.add(String.join(",", on) + " " + block);
      List<String> n = new ArrayList<>();
      for (String id : on) {
        n.add(datasets.workerName(id));
      }
      names.add(String.join(Datasets.NAMES, n));
    }
    return new Datasets.Entry(e.publishId(), e.kind(), e.keys(), e.assembler(), holders, names,
        e.backups());
  }
}
