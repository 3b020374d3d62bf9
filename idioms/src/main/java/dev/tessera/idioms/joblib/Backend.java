package dev.tessera.idioms.joblib;

/**
 * Where {@link Parallel} runs its calls, by joblib's backend names. For a long-lived pool
 * (reused across many {@code run} calls) or a cluster, pass a scheduler to
 * {@link Parallel#backend(dev.tessera.graph.Scheduler)} instead.
 */
public enum Backend {
  /**
   * Threads of this JVM, started for one {@code run} and stopped after it: the default, since
   * Java threads run in parallel (joblib defaults to processes because of Python's GIL).
   */
  THREADING,
  /**
   * Worker JVMs, started for one {@code run} and stopped after it: joblib's default process
   * backend, for isolation (code that may crash, native code that is not thread-safe).
   */
  LOKY,
  /** The calling thread, one call after another: joblib's {@code "sequential"}. */
  SEQUENTIAL
}
