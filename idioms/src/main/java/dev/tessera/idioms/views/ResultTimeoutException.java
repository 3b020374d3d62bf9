package dev.tessera.idioms.views;

/**
 * A result was not ready within the time asked for ({@link AsyncResult#get(java.time.Duration)},
 * ipyparallel's {@code TimeoutError}), or a load-balanced task waited longer than its timeout
 * for its dependencies. The calls themselves go on.
 */
public final class ResultTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ResultTimeoutException(String message) {
    super(message);
  }
}
