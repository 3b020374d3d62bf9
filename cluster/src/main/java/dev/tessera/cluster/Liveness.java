package dev.tessera.cluster;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Finds dead workers that Ignite has not reported. Ignite's discovery tells the program's node
 * when a worker fails, but a client node can miss it: after a rapid join-then-death its view
 * stayed stale (seen in Tessera's tests; the partition exchange failed with "Affinity for
 * topology version is not initialized"), and a computation waited for good for a task that had
 * died with its worker. So, besides Ignite: every second, a worker on this machine whose process
 * is gone is lost at once; every {@link #PING_EVERY} seconds each worker is sent a ping, and a
 * worker that cannot be reached is lost when the send fails (its {@link Outbox} reports it,
 * after Ignite's failure-detection timeout).
 */
final class Liveness implements AutoCloseable {
  static final int PING_EVERY = 5;

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "tessera-cluster-liveness");
    t.setDaemon(true);
    return t;
  });
  private int ticks;

  Liveness(Transport transport) {
    timer.scheduleWithFixedDelay(() -> {
      boolean ping = ++ticks % PING_EVERY == 0;
      for (NodeEndpoint w : transport.live()) {
        Long pid = w.localPid();
        if (pid != null && ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) {
          transport.lost(w, "failed (its JVM, pid " + pid + ", is gone)");
        } else if (ping) {
          try {
            w.ping();
          } catch (IOException e) {
            // already lost, or its outbox reports the failure
          }
        }
      }
    }, 1, 1, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
