package dev.tessera.graph.spi;

import dev.tessera.graph.Scheduler;
import dev.tessera.graph.TesseraException;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskFunction;
import java.io.NotSerializableException;
import java.io.ObjectStreamException;

/**
 * A handle to one task's result, held where the scheduler keeps it: this heap for the local
 * schedulers, a worker process or a cluster node for remote ones. Remote data stays where it is
 * until {@link #fetch()} copies it here or {@link #release()} drops it.
 *
 * <p>A handle enters a graph as the task {@link #task(RemoteValue)}: the scheduler that owns it
 * recognises that task ({@link #of(Task)}) and uses the data where it is; any other scheduler
 * runs the task, which fetches it. Thread-safe.
 */
public interface RemoteValue {
  /** {@return the key whose result this is} */
  Key key();

  /** {@return the result's size in bytes as measured where it is held, -1 if unknown} */
  long sizeBytes();

  /**
   * Returns a copy of the value in this JVM (the value itself for a local handle).
   *
   * @return the value
   * @throws TesseraException if it was released, or lost with the process that held it
   */
  Object fetch();

  /** Drops the held data; later fetches fail. Idempotent. */
  void release();

  /** {@return whether {@link #release()} was called (or the holder is gone)} */
  boolean isReleased();

  /** {@return the scheduler that holds the data, or {@code null} if it is in this heap} */
  default Scheduler owner() {
    return null;
  }

  /**
   * Returns the handle that holds the data now: itself, except for a handle that stands for a
   * result still being computed, which waits for it. Schedulers call this before they start a
   * computation that uses the handle, never under their own lock.
   *
   * @return the handle of the data
   * @throws RuntimeException the computation's error if the result failed
   */
  default RemoteValue resolve() {
    return this;
  }

  /**
   * Returns a handle to a value in this heap.
   *
   * @param key its key
   * @param value the value, possibly {@code null}
   * @param sizeBytes its size, -1 if unknown
   * @return the handle
   */
  static RemoteValue local(Key key, Object value, long sizeBytes) {
    return new LocalValue(key, value, sizeBytes);
  }

  /**
   * Returns the task whose result is the held value: the owner uses the data in place, any
   * other scheduler fetches it.
   *
   * @param value the handle
   * @return the task
   */
  static Task task(RemoteValue value) {
    return Task.of(new Held(value));
  }

  /**
   * Returns the handle a task made by {@link #task(RemoteValue)} stands for.
   *
   * @param task any task
   * @return the handle, or {@code null} if the task is not one of those
   */
  static RemoteValue of(Task task) {
    return task.function() instanceof Held h ? h.value : null;
  }

  /** The function of a held value's task: fetches the data where it is not in place. */
  final class Held implements TaskFunction {
    private static final long serialVersionUID = 1L;
    private final transient RemoteValue value;

    Held(RemoteValue value) {
      this.value = value;
    }

    @Override
    public Object apply(Object[] args) {
      return value.resolve().fetch();
    }

    private Object writeReplace() throws ObjectStreamException {
      throw new NotSerializableException("the persisted result " + value.key() + " is held by "
          + (value.owner() == null ? "this JVM" : value.owner().name()) + " and cannot travel"
          + " to another process; compute it on the scheduler that holds it, or fetch it first");
    }

    @Override
    public String toString() {
      return "held";
    }
  }
}
