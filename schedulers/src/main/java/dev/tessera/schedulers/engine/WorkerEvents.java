package dev.tessera.schedulers.engine;

import java.util.List;

/**
 * What a transport reports about its workers, from any thread (typically one reader thread per
 * worker). {@link Engine} implements it. Methods return quickly: posttask callbacks run on the
 * reporting thread, without the engine's lock.
 */
public interface WorkerEvents {
  /**
   * A task finished on {@code w}, which now holds its result.
   *
   * @param w the worker
   * @param id the result's id
   * @param nanos how long the task ran, in nanoseconds
   * @param sizeBytes the result's size as measured on the worker
   * @param small the encoded result when it came along (a small output), else null
   */
  void done(WorkerEndpoint w, long id, long nanos, long sizeBytes, byte[] small);

  /**
   * A task failed on {@code w}.
   *
   * @param w the worker
   * @param id the result's id
   * @param error the task's exception
   * @param inputs the task's inputs, decoded, for a local re-run; null when not available
   * @param missing why {@code inputs} is null, else empty
   */
  void failed(WorkerEndpoint w, long id, Throwable error, List<Object> inputs, String missing);

  /**
   * The answer to {@link WorkerEndpoint#fetch}: the encoded value, or empty if not held.
   *
   * @param w the worker
   * @param id the result's id
   * @param bytes the encoded value
   */
  void data(WorkerEndpoint w, long id, byte[] bytes);

  /**
   * The value asked for cannot reach the caller (it does not encode, or it is too large);
   * {@code error} says why and what to do.
   *
   * @param w the worker
   * @param id the result's id
   * @param error why
   */
  void unsendable(WorkerEndpoint w, long id, Throwable error);

  /**
   * The answer to {@link WorkerEndpoint#pull}: {@code w} now holds the value under {@code id}.
   *
   * @param w the worker that pulled it
   * @param id the id it keeps it under
   * @param bytes its encoded size, as it travelled
   */
  void pulled(WorkerEndpoint w, long id, long bytes);

  /**
   * The answer to {@link WorkerEndpoint#pull}: the value did not reach {@code w}.
   *
   * @param w the worker that tried to pull it
   * @param id the id it would have kept it under
   * @param notHeld whether the worker asked answered that it does not hold it (else it could
   *     not be reached, refused, or failed to send it)
   * @param why for messages
   */
  void pullFailed(WorkerEndpoint w, long id, boolean notHeld, String why);

  /**
   * The worker is gone, with everything it held; report it exactly once.
   *
   * @param w the worker
   * @param why for messages, for example {@code exited with code 137}
   */
  void died(WorkerEndpoint w, String why);
}
