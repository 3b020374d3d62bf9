package dev.tessera.bench;

import dev.tessera.futures.Client;
import dev.tessera.futures.TaskFuture;
import dev.tessera.graph.Scheduler;
import dev.tessera.schedulers.ProcessOptions;
import dev.tessera.schedulers.Schedulers;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * W13 push_bandwidth: ipyparallel's latency/bandwidth experiment on a pool of 2 worker JVMs.
 * For float64 arrays of 1 KB … 128 MB: push one copy to each worker ({@code Client.scatter} of
 * two copies, placed by load, one per worker) and wait until both have arrived; MB/s counts
 * the bytes that reached workers. The timed run is the whole sweep; per size the median of
 * {@code reps} pushes is reported, next to the floor measured in the same run: a copy of the
 * same bytes through a loopback socket in this JVM. Also the apply round trip (submit a
 * trivial task, get its value).
 */
public final class W13 implements Workload {
  static final long[] SIZES = {1 << 10, 4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20,
      4 << 20, 16 << 20, 64 << 20, 128 << 20};

  static double first(double[] a) {
    return a[0];
  }

  @Override
  public String name(Params p) {
    return "push_bandwidth";
  }

  @Override
  public Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("scheduler", "processes");
    d.put("reps", "3");
    d.put("max_mb", "128");
    return d;
  }

  @Override
  public Trial prepare(Params p) {
    int reps = p.getInt("reps");
    long max = p.getInt("max_mb") * (1L << 20);
    Scheduler scheduler = switch (p.get("scheduler")) {
      case "processes" -> Schedulers.processes(ProcessOptions.builder().workers(2)
          .jvmArgs("-Xmx2g").build());
      case "threads" -> Schedulers.threads(2);
      default -> throw new IllegalArgumentException("scheduler=" + p.get("scheduler")
          + ": expected processes or threads");
    };
    Client client = Client.on(scheduler);
    Map<String, Object> push = new LinkedHashMap<>();
    Map<String, Object> floor = new LinkedHashMap<>();
    return new Trial() {
      @Override
      public Object run() throws IOException {
        boolean ok = true;
        for (long bytes : SIZES) {
          if (bytes > max) {
            break;
          }
          double[] a = new double[(int) (bytes / 8)];
          for (int i = 0; i < a.length; i++) {
            a[i] = i * 0.5;
          }
          List<Double> times = new ArrayList<>();
          for (int r = 0; r < reps; r++) {
            long t = System.nanoTime();
            List<TaskFuture<double[]>> held = client.scatter(List.of(a, a));
            for (TaskFuture<double[]> f : held) {
              ok &= !f.failed() & waitDone(f);
            }
            times.add((System.nanoTime() - t) / 1e9);
            // read back one element of each copy where it is: the data arrived whole
            for (TaskFuture<double[]> f : held) {
              ok &= client.submit(W13::first, f).result() == 0.0;
              f.release();
            }
          }
          String label = label(bytes);
          push.put(label, 2.0 * bytes / 1e6 / Bench.median(times));
          floor.put(label, loopbackMBps(bytes, reps));
        }
        return ok;
      }

      @Override
      public Map<String, Object> check(Object result) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("ok", result);
        return c;
      }

      @Override
      public Map<String, Object> extras(double median, List<Double> all) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("MB_per_s", push);
        e.put("floor_loopback_MB_per_s", floor);
        e.put("apply_roundtrip_us_median", W9.roundTripMicros(client, 200));
        return e;
      }

      @Override
      public void close() {
        client.close();
        W1.release(scheduler);
      }
    };
  }

  private static boolean waitDone(TaskFuture<?> f) {
    try {
      f.get();
      return true;
    } catch (Exception e) {
      throw new IllegalStateException("push failed: " + e, e);
    }
  }

  static String label(long bytes) {
    return bytes >= 1 << 20 ? (bytes >> 20) + "MB" : (bytes >> 10) + "KB";
  }

  /** The floor: MB/s of copying {@code bytes} through a loopback TCP socket, median of reps. */
  static double loopbackMBps(long bytes, int reps) throws IOException {
    byte[] buf = new byte[(int) Math.min(bytes, 1 << 20)];
    List<Double> times = new ArrayList<>();
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      for (int r = 0; r < reps; r++) {
        Thread reader = new Thread(() -> {
          try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
            byte[] b = new byte[1 << 20];
            long left = bytes;
            DataInputStream din = new DataInputStream(in);
            while (left > 0) {
              int k = (int) Math.min(left, b.length);
              din.readFully(b, 0, k);
              left -= k;
            }
            s.getOutputStream().write(1);
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });
        reader.start();
        long t = System.nanoTime();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
          s.setTcpNoDelay(true);
          OutputStream out = s.getOutputStream();
          long left = bytes;
          while (left > 0) {
            int k = (int) Math.min(left, buf.length);
            out.write(buf, 0, k);
            left -= k;
          }
          out.flush();
          if (s.getInputStream().read() != 1) {
            throw new IOException("loopback reader did not answer");
          }
        }
        times.add((System.nanoTime() - t) / 1e9);
        try {
          reader.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    return bytes / 1e6 / Bench.median(times);
  }
}
