package dev.tessera.futures;

import java.util.List;

/**
 * What {@link Client#wait} saw: the futures that were done and those that were not, each in
 * the order given; immutable snapshots.
 *
 * @param done the futures done (succeeded, failed or cancelled)
 * @param notDone the others
 * @param <T> the value type
 */
public record Done<T>(List<TaskFuture<T>> done, List<TaskFuture<T>> notDone) {
  /**
   * Copies both lists.
   *
   * @param done the futures done
   * @param notDone the others
   */
  public Done {
    done = List.copyOf(done);
    notDone = List.copyOf(notDone);
  }
}
