package dev.tessera.idioms.joblib;

/**
 * Thrown inside a batch's task when one call fails: carries the call's index among all calls
 * of the run and how it reads, with the function's exception as cause. The caller replaces it
 * by a {@code TaskFailedException} that names the task and the call.
 */
final class CallFailure extends Exception {
  private static final long serialVersionUID = 1L;
  private final int index;
  private final String call;

  CallFailure(int index, String call, Throwable cause) {
    super("call " + index + ", " + call, cause);
    this.index = index;
    this.call = call;
  }

  int index() {
    return index;
  }

  String call() {
    return call;
  }
}
