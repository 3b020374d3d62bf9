package dev.tessera.graph;

import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Task;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A task's function threw: {@link #getCause()} is the user's exception, unchanged, and
 * {@link #key()} names the task. Thrown by {@code compute()} after every other running task of
 * the computation has stopped and nothing more will start.
 *
 * <p>To debug it, {@link #rerunLocally()} runs the failed task again, in the calling thread,
 * with the very inputs it failed on, on every scheduler: the schedulers keep the inputs of the
 * failed task (a worker process sends them back with its error). Set a breakpoint or add a
 * print statement to the function, then:
 *
 * <pre>{@code
 * try {
 *   x.compute(pool);
 * } catch (TaskFailedException e) {
 *   e.rerunLocally();          // throws the task's exception again, here
 * }
 * }</pre>
 */
public class TaskFailedException extends TesseraException {
  private static final long serialVersionUID = 1L;
  private final Key key;
  /** The failed task and its inputs, when the scheduler kept them; not serialized. */
  private final transient Task task;
  private final transient List<Object> inputs;
  private final transient String noInputs;

  /**
   * Creates the exception.
   *
   * @param key the failed task's key
   * @param cause what the task threw
   */
  public TaskFailedException(Key key, Throwable cause) {
    this(key, "", cause);
  }

  /**
   * Creates the exception with extra context, such as the worker it ran on.
   *
   * @param key the failed task's key
   * @param context words added to the message, may be empty
   * @param cause what the task threw
   */
  public TaskFailedException(Key key, String context, Throwable cause) {
    this(key, context, cause, null, null, "the scheduler did not keep the task's inputs");
  }

  /**
   * Creates the exception with what {@link #rerunLocally()} needs: the task and the values of
   * its dependencies, or why they are missing.
   *
   * @param key the failed task's key
   * @param context words added to the message, may be empty
   * @param cause what the task threw
   * @param task the task, or null
   * @param inputs the values of {@code task}'s dependencies, in its order, or null
   * @param noInputs why the inputs are missing (when {@code inputs} is null)
   */
  public TaskFailedException(Key key, String context, Throwable cause, Task task,
      List<Object> inputs, String noInputs) {
    super("task " + key + " of '" + key.prefix() + "' failed" + context + ": " + cause,
        cause);
    this.key = key;
    this.task = task;
    this.inputs = inputs == null ? null : Collections.unmodifiableList(new ArrayList<>(inputs));
    this.noInputs = noInputs;
  }

  /**
   * {@return the values of the failed task's dependencies, as it received them, in the order
   * of {@link Task#dependencies()}; the same objects on local schedulers, decoded copies from
   * a worker process}
   *
   * @throws IllegalStateException if the scheduler did not keep them (the message says why)
   */
  public List<Object> inputs() {
    check();
    return inputs;
  }

  /** {@return the failed task, if the scheduler kept it} */
  public Optional<Task> task() {
    return Optional.ofNullable(task);
  }

  /**
   * Runs the failed task again in the calling thread with its exact inputs, so that a
   * debugger or a print statement in its function shows what happens.
   *
   * @return the task's result, if it does not fail this time (a task that fails only
   *     sometimes, or only elsewhere)
   * @throws Exception what the task's function throws
   * @throws IllegalStateException if the scheduler did not keep the task's inputs
   */
  public Object rerunLocally() throws Exception {
    check();
    return task.run(inputs.toArray());
  }

  private void check() {
    if (task == null || inputs == null) {
      throw new IllegalStateException("cannot re-run task " + key + " locally: " + noInputs);
    }
  }

  /** {@return the key of the task that failed} */
  public Key key() {
    return key;
  }
}
