package dev.tessera.futures;

import dev.tessera.graph.core.Key;
import dev.tessera.graph.spi.RemoteValue;
import java.util.concurrent.CompletableFuture;

/**
 * The client's state of one key, like a task in Dask's scheduler seen from the client: pending
 * (its job waits for inputs or runs), then memory (a handle to the result, wherever the
 * scheduler keeps it), erred or cancelled; forgotten once nothing refers to it any more.
 */
final class Entry {
  final Key key;
  /** Completes with the handle, or with the error every future of this key reports. */
  final CompletableFuture<RemoteValue> value = new CompletableFuture<>();
  // guarded by the client's lock
  /** Live futures of this key plus pending jobs that need it as an input. */
  int refs;
  /** Nothing refers to it: released, and no longer in the client's map. */
  boolean forgotten;
  /** The job computing it, until it is done. */
  Job job;

  Entry(Key key) {
    this.key = key;
  }

  /** Returns whether the result is held (done, not failed, not released). */
  boolean held() {
    return !forgotten && value.isDone() && !value.isCompletedExceptionally();
  }
}
