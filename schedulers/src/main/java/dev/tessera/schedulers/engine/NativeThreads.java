package dev.tessera.schedulers.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The environment that sizes a worker JVM's native thread pools (OpenMP, OpenBLAS, MKL): each
 * of several workers on one machine gets its share of the cores, as Dask does for its workers.
 * Without it every worker's BLAS and ND4J start one thread per core, and two workers on two
 * cores doing QRs ran ten times slower (measured: 131 s against 13 s). Variables the launching
 * JVM's environment already sets are left to it.
 *
 * <pre>{@code
 * ProcessBuilder pb = new ProcessBuilder(cmd);
 * pb.environment().putAll(NativeThreads.forWorkers(4, System.getenv()));
 * }</pre>
 */
public final class NativeThreads {
  private NativeThreads() {}

  /** The variables that size native thread pools. */
  public static final List<String> VARIABLES =
      List.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS");

  /**
   * Returns the variables to set for one of {@code workersHere} worker JVMs on this machine:
   * each of {@link #VARIABLES} that {@code inherited} does not set, at the cores divided by the
   * workers (at least 1).
   *
   * @param workersHere how many workers share this machine's cores, at least 1
   * @param inherited the environment the worker would otherwise inherit
   * @return the variables to add
   */
  public static Map<String, String> forWorkers(int workersHere, Map<String, String> inherited) {
    Objects.requireNonNull(inherited, "inherited");
    if (workersHere < 1) {
      throw new IllegalArgumentException("workersHere must be at least 1, got " + workersHere);
    }
    String share = Integer.toString(
        Math.max(1, Runtime.getRuntime().availableProcessors() / workersHere));
    Map<String, String> env = new LinkedHashMap<>();
    for (String v : VARIABLES) {
      if (!inherited.containsKey(v)) {
        env.put(v, share);
      }
    }
    return env;
  }
}
