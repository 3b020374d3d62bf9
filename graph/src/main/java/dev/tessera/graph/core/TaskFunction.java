package dev.tessera.graph.core;

import java.io.Serializable;

/**
 * The function of a {@link Task}: it receives the task's arguments with every key replaced by
 * that key's result. Serializable, because schedulers may run it in another JVM; a lambda
 * assigned to this type is serializable as long as what it captures is.
 */
@FunctionalInterface
public interface TaskFunction extends Serializable {
  /**
   * Runs the task.
   *
   * @param args the arguments, keys already replaced by their results
   * @return the result, which may be {@code null}
   * @throws Exception anything; the scheduler reports it with the task's key
   */
  Object apply(Object[] args) throws Exception;
}
