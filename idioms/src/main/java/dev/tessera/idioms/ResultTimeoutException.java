package dev.tessera.idioms;

import java.time.Duration;
import java.util.Objects;

/**
 * A timed wait of an idiom ran out: the one exception every idiom throws when what it waited
 * for was not ready in time. ipyparallel's {@code AsyncResult.get(timeout)} and
 * {@code TimeoutError}, multiprocessing's {@code AsyncResult.get(timeout)} and
 * {@code TimeoutError}, Ray's {@code ray.get(ref, timeout)} and {@code GetTimeoutError},
 * joblib's {@code Parallel(timeout=...)}, a load-balanced task's dependency timeout and an MPI
 * group's timeout all end here, under one name to catch.
 *
 * <pre>{@code
 * try {
 *   int v = ref.get(Duration.ofSeconds(1));
 * } catch (ResultTimeoutException e) {
 *   // e.what(): "ray.get(ObjectRef(...))", e.timeout(): PT1S; the task goes on
 * }
 * }</pre>
 *
 * <p>Unchecked, like the idioms' other failures ({@code TaskFailedException},
 * {@code RemoteError}, {@code MpiException}, {@code ActorDiedException}) and like Ray's own
 * Java API ({@code RayTimeoutException}), so a timed wait reads like an untimed one in lambdas
 * and streams; Python's originals are ordinary exceptions too. When the wait was a
 * {@link java.util.concurrent.Future#get(long, java.util.concurrent.TimeUnit)}, its
 * {@link java.util.concurrent.TimeoutException} is the cause. The message names what timed out,
 * after how long, and what became of the work: a {@code get} with a timeout leaves it running
 * (ask again later), while a run or group that timed out is stopped. A wait that returns
 * whether it is done ({@code wait(timeout)}, Ray's {@code wait(refs, n, timeout)}) never throws
 * it.
 */
public final class ResultTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What timed out, such as {@code "Pool.applyAsync(square)"}. */
  private final String what;
  /** How long it was waited for. */
  private final Duration timeout;

  /**
   * Creates the exception; the message reads {@code WHAT timed out after TIMEOUT
   * (CONSEQUENCE)}.
   *
   * @param what what timed out, such as {@code "the result of rc.view(0).apply(f)"}
   * @param timeout how long it was waited for
   * @param consequence what became of the work, such as {@code "it goes on: ask again later"}
   * @param cause the JDK's timeout it comes from, or null
   */
  public ResultTimeoutException(String what, Duration timeout, String consequence,
      Throwable cause) {
    super(Objects.requireNonNull(what, "what") + " timed out after "
        + format(Objects.requireNonNull(timeout, "timeout")) + " ("
        + Objects.requireNonNull(consequence, "consequence") + ")", cause);
    this.what = what;
    this.timeout = timeout;
  }

  /** {@return what timed out, as the message names it} */
  public String what() {
    return what;
  }

  /** {@return how long it was waited for} */
  public Duration timeout() {
    return timeout;
  }

  /**
   * Returns a duration as people read it: {@code 250 ms}, {@code 0.05 ms}, {@code 1.5 s}, {@code 2 min}.
   *
   * @param d the duration
   * @return its text
   */
  public static String format(Duration d) {
    Objects.requireNonNull(d, "d");
    long nanos = d.toNanos();
    if (nanos < 1_000_000_000L) {
      return trim(nanos / 1e6) + " ms";
    }
    if (nanos < 120_000_000_000L) {
      return trim(nanos / 1e9) + " s";
    }
    return trim(nanos / 60e9) + " min";
  }

  private static String trim(double v) {
    String s = String.format(java.util.Locale.ROOT, "%.3f", v);
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}
