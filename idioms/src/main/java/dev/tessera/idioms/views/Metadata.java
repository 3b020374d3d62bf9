package dev.tessera.idioms.views;

import java.time.Instant;
import java.util.Optional;

/**
 * What is known about one call on one engine, as ipyparallel's {@code AsyncResult.metadata}:
 * where it ran, when it was submitted, started and completed, and what it printed. Times
 * before they happen are empty; {@code started} and {@code completed} are read on the
 * engine's clock (the same machine's for threads and worker JVMs).
 */
public final class Metadata {
  private final int engineId;
  private final Instant submitted;
  private final Instant started;
  private final Instant completed;
  private final String stdout;
  private final String stderr;

  Metadata(int engineId, Instant submitted, Instant started, Instant completed, String stdout,
      String stderr) {
    this.engineId = engineId;
    this.submitted = submitted;
    this.started = started;
    this.completed = completed;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  static Metadata queued(int engineId, Instant submitted) {
    return new Metadata(engineId, submitted, null, null, "", "");
  }

  /** {@return the engine the call ran on; -1 while a load-balanced call waits for one} */
  public int engineId() {
    return engineId;
  }

  /** {@return when the caller submitted the call} */
  public Instant submitted() {
    return submitted;
  }

  /** {@return when it started on its engine, once it has} */
  public Optional<Instant> started() {
    return Optional.ofNullable(started);
  }

  /** {@return when it ended on its engine (returned or threw), once it has} */
  public Optional<Instant> completed() {
    return Optional.ofNullable(completed);
  }

  /** {@return what the call printed to {@code System.out}, once it completed} */
  public String stdout() {
    return stdout;
  }

  /** {@return what the call printed to {@code System.err}, once it completed} */
  public String stderr() {
    return stderr;
  }

  @Override
  public String toString() {
    return "Metadata[engine=" + engineId + ", submitted=" + submitted + ", started=" + started
        + ", completed=" + completed + ", stdout=" + stdout.length() + " chars, stderr="
        + stderr.length() + " chars]";
  }
}
