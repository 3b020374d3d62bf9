package dev.tessera.idioms.views;

/**
 * Carries a failed call's times and output from its engine to the caller, around the
 * function's exception (its cause). Never seen by users: {@link Calls} turns it into a
 * {@link RemoteError}.
 */
final class CallFailure extends Exception {
  private static final long serialVersionUID = 1L;

  final long startedMicros;
  final long completedMicros;
  final String stdout;
  final String stderr;

  CallFailure(long startedMicros, long completedMicros, String stdout, String stderr,
      Throwable cause) {
    super(String.valueOf(cause), cause);
    this.startedMicros = startedMicros;
    this.completedMicros = completedMicros;
    this.stdout = stdout;
    this.stderr = stderr;
  }
}
