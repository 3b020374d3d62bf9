package dev.tessera.bench;

import dev.tessera.futures.Client;
import dev.tessera.futures.Submit;
import dev.tessera.futures.TaskFuture;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.schedulers.ProcessOptions;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CancellationException;

/**
 * soak: {@code duration} seconds of random work on a pool of 2 worker JVMs through one
 * futures client: submits (chains of futures, batches of map), tasks that fail, cancels of
 * slow tasks, and worker kills, checking every answer. A future's answer must be its exact
 * value, or the error it was meant to raise (naming its key), or a cancellation it asked
 * for, or "lost" when the worker that held it was killed: anything else counts as wrong.
 * Extra figures: the counts of each; result_check.ok needs wrong == 0.
 */
public final class Soak implements Workload {
  static long inc(long x) {
    return x + 1;
  }

  static long add(long a, long b) {
    return a + b;
  }

  static long boom(long x) {
    throw new IllegalArgumentException("planned failure " + x);
  }

  static long slow(long x) throws InterruptedException {
    Thread.sleep(2_000);
    return x;
  }

  @Override
  public String name(Params p) {
    return "soak";
  }

  @Override
  public Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("duration", "10");
    d.put("seed", "42");
    d.put("kills", "true");
    return d;
  }

  /** A future with what it must give. */
  private record Expect(TaskFuture<Long> f, long value, String kind) {}

  @Override
  public Trial prepare(Params p) {
    double seconds = Double.parseDouble(p.get("duration"));
    boolean kills = Boolean.parseBoolean(p.get("kills"));
    ProcessScheduler pool = Schedulers.processes(ProcessOptions.builder().workers(2).build());
    Client client = Client.on(pool);
    Map<String, Long> counts = new LinkedHashMap<>();
    Random seeds = new Random(Long.parseLong(p.get("seed")));
    return new Trial() {
      @Override
      public Object run() throws Exception {
        Random rnd = new Random(seeds.nextLong());
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<Expect> open = new ArrayList<>();
        long lastKill = System.nanoTime();
        while (System.nanoTime() < end) {
          int op = rnd.nextInt(100);
          if (op < 45) {
            // a chain: on a finished or pending future of the last few
            long x = rnd.nextInt(1000);
            TaskFuture<Long> f = client.with(Submit.options().pure(false)).submit(Soak::inc, x);
            Expect e = new Expect(f, x + 1, "value");
            if (!open.isEmpty() && rnd.nextBoolean()) {
              Expect prev = open.get(open.size() - 1 - rnd.nextInt(Math.min(5, open.size())));
              if (prev.kind.equals("value")) {
                TaskFuture<Long> g = client.with(Submit.options().pure(false))
                    .submit(Soak::add, prev.f, f);
                open.add(new Expect(g, prev.value + x + 1, "dependent"));
              }
            }
            open.add(e);
            count("submitted", 1);
          } else if (op < 60) {
            List<Long> items = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
              items.add((long) rnd.nextInt(1000));
            }
            List<TaskFuture<Long>> fs = client.with(Submit.options().batchSize(10).pure(true))
                .map(Soak::inc, items);
            for (int i = 0; i < items.size(); i++) {
              open.add(new Expect(fs.get(i), items.get(i) + 1, "value"));
            }
            count("submitted", items.size());
          } else if (op < 70) {
            TaskFuture<Long> f = client.with(Submit.options().pure(false))
                .submit(Soak::boom, (long) rnd.nextInt(1000));
            open.add(new Expect(f, 0, "error"));
            count("submitted", 1);
          } else if (op < 78) {
            TaskFuture<Long> f = client.with(Submit.options().pure(false))
                .submit(Soak::slow, 7L);
            Thread.sleep(rnd.nextInt(50));
            f.cancel(true);
            open.add(new Expect(f, 7, "cancelled"));
            count("cancels", 1);
          } else if (op < 80 && kills && System.nanoTime() - lastKill > 3e9) {
            List<Long> pids = pool.workerPids();
            if (!pids.isEmpty()) {
              ProcessHandle.of(pids.get(rnd.nextInt(pids.size())))
                  .ifPresent(ProcessHandle::destroyForcibly);
              lastKill = System.nanoTime();
              count("kills", 1);
            }
          } else {
            checkAll(open);
            open.clear();
          }
          if (open.size() > 500) {
            checkAll(open);
            open.clear();
          }
        }
        checkAll(open);
        return counts.getOrDefault("wrong", 0L);
      }

      private void checkAll(List<Expect> open) {
        for (Expect e : open) {
          String got;
          try {
            long v = e.f.result();
            got = e.kind.equals("cancelled") ? (v == e.value ? "finished_before_cancel"
                : "wrong") : v == e.value ? "ok" : "wrong";
          } catch (CancellationException c) {
            got = e.kind.equals("cancelled") ? "cancelled" : "wrong";
          } catch (TaskFailedException t) {
            if (lost(t)) {
              got = "lost_with_killed_worker";
            } else if (e.kind.equals("error") && t.key().equals(e.f.key())
                && t.getCause() instanceof IllegalArgumentException) {
              got = "failed_as_planned";
            } else {
              got = "wrong";
              System.err.println("[soak] wrong: " + e.f + ": " + t);
            }
          } catch (RuntimeException r) {
            got = lost(r) ? "lost_with_killed_worker" : "wrong";
            if (got.equals("wrong")) {
              System.err.println("[soak] wrong: " + e.f + ": " + r);
            }
          }
          count(got, 1);
          e.f.release();
        }
      }

      private boolean lost(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
          String m = String.valueOf(c.getMessage());
          if (m.contains("was lost") || m.contains("died")) {
            return true;
          }
        }
        return false;
      }

      private synchronized void count(String what, long n) {
        counts.merge(what, n, Long::sum);
      }

      @Override
      public Map<String, Object> check(Object result) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("ok", (Long) result == 0L && counts.getOrDefault("ok", 0L) > 0);
        c.put("wrong", result);
        return c;
      }

      @Override
      public Map<String, Object> extras(double median, List<Double> all) {
        Map<String, Object> e = new LinkedHashMap<>(counts);
        e.put("held_by_workers_after", pool.heldByWorkers());
        e.put("client_held_after", client.heldResults());
        return e;
      }

      @Override
      public void close() {
        client.close();
        pool.close();
      }
    };
  }
}
