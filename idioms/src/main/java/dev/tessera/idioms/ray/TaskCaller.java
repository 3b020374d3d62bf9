package dev.tessera.idioms.ray;

import java.util.function.Supplier;

/**
 * A remote call that has not been sent yet, as Ray's {@code ray.task(...)}: {@link #remote()}
 * sends it and returns the reference of its result.
 *
 * @param <R> the result type
 */
public final class TaskCaller<R> {
  private final Supplier<ObjectRef<R>> send;

  TaskCaller(Supplier<ObjectRef<R>> send) {
    this.send = send;
  }

  /** {@return the reference of the result; the call runs in the background} */
  public ObjectRef<R> remote() {
    return send.get();
  }
}
