package dev.tessera.schedulers.engine;

import java.io.IOException;

/**
 * One worker as the {@link Engine} sees it, whatever carries the messages: a worker JVM on a
 * socket, a cluster node, a thread. The transport implements these methods and reports what
 * the worker answers to the engine's {@link WorkerEvents}.
 *
 * <p>Every method only queues a message and returns: it never waits for the worker to answer
 * (the engine calls {@link #fetch}, {@link #release} and {@link #cancel} with its lock held).
 * {@link #run} is called without any engine lock, from a thread that is not the transport's own
 * reader of some worker's messages or from one that is: a transport may write the message at
 * once on the former (the socket pool does, saving a thread hand-off), and must only queue it
 * on the latter. A method that cannot queue because the worker is
 * gone throws {@link IOException}; the transport then reports {@link WorkerEvents#died} for
 * that worker, exactly once, and the engine recovers. Results are named by {@code long} ids
 * that the engine chooses; a worker keeps each result it made or received under its id until
 * {@link #release} drops it.
 */
public interface WorkerEndpoint {
  /** {@return a name for messages and diagnostics, for example {@code worker-2 (pid 4711)}} */
  String name();

  /** {@return whether the worker can still take work (false once it died or is closing)} */
  boolean alive();

  /**
   * Queues a task. The worker decodes it with the inputs in order (each held under
   * {@code inputIds[j]}, or sent along in {@code inline[j]} and then kept under that id),
   * keeps the result under {@code id}, and reports {@link WorkerEvents#done} or
   * {@link WorkerEvents#failed}. When {@code output} is set and the encoded result is small,
   * it may come back with the done event.
   *
   * @param id the id to keep the result under
   * @param key the task's key, for the worker's messages
   * @param output whether the caller wants the result back
   * @param task the encoded task ({@link Encoding#encodeTask})
   * @param inputIds the id of each input
   * @param inline each input's encoded value when the worker does not hold it, else null
   * @throws IOException if the worker is gone
   */
  void run(long id, String key, boolean output, byte[] task, long[] inputIds, byte[][] inline)
      throws IOException;

  /**
   * Asks for the encoded value held under {@code id}: answered by {@link WorkerEvents#data}
   * (empty when not held) or {@link WorkerEvents#unsendable}.
   *
   * @param id the result's id
   * @throws IOException if the worker is gone
   */
  void fetch(long id) throws IOException;

  /**
   * Asks this worker to fetch a task's input directly from the worker {@code from} that holds
   * it (under {@code fromId}) and keep it under {@code id}, so that its bytes never pass
   * through the caller: answered by {@link WorkerEvents#pulled} or
   * {@link WorkerEvents#pullFailed}, exactly once, within a bounded time. A transport that
   * cannot, or would rather not for this value (too small to be worth a connection), returns
   * false (the default): the engine then brings the value through the caller, with
   * {@link #fetch} and then {@link #run} with the value inline.
   *
   * <p>A later {@link #release} of {@code id} that reaches the worker before the value does
   * must drop the value when it arrives.
   *
   * @param id the id to keep the value under on this worker
   * @param from the worker that holds it
   * @param fromId the id it is held under there
   * @param sizeBytes its size as measured where it was made (0 when unknown)
   * @return whether the pull was queued
   * @throws IOException if this worker is gone
   */
  default boolean pull(long id, WorkerEndpoint from, long fromId, long sizeBytes)
      throws IOException {
    return false;
  }

  /**
   * Drops the values held under these ids (unknown ids are ignored).
   *
   * @param ids the ids
   * @throws IOException if the worker is gone
   */
  void release(long[] ids) throws IOException;

  /**
   * Interrupts the running task and drops the queued ones whose id is in {@code [lo, hi)}.
   *
   * @param lo the lowest id
   * @param hi one past the highest id
   * @throws IOException if the worker is gone
   */
  void cancel(long lo, long hi) throws IOException;

  /** Ends the worker at once (it ignored a cancel); its death is then reported. */
  void kill();

  /**
   * Returns what the transport last learnt about the worker's JVM, without waiting for the
   * worker (figures the transport keeps anyway, such as a cluster's node metrics), for
   * diagnostics; {@code null} (the default) when it keeps none.
   *
   * @return the worker's last report, or {@code null}
   */
  default WorkerReport report() {
    return null;
  }
}
