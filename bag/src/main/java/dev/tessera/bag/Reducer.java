package dev.tessera.bag;

import java.io.Serializable;
import java.util.List;

/**
 * A reduction written as chunk / combine / finish steps, run as a tree: each partition folds
 * its elements into an accumulator ({@link #start()}, {@link #add}, {@link #endChunk}), groups
 * of at most {@code splitEvery} partial results are combined ({@link #combine}) level by level
 * while more are left, and one last task combines the last group (always at least one
 * combine, even for one partition) and {@link #finish}es it into the value (the tree of
 * {@link dev.tessera.graph.core.TreeReduction}).
 *
 * <p>The laws that make the tree's answer equal to a sequential one (as for
 * {@link java.util.stream.Collector}): {@code combine} is associative and keeps order (the
 * partials arrive in partition order), and combining a partial with the partial of an empty
 * partition changes nothing. Accumulators and partials are serializable, because another
 * scheduler may ship them between processes.
 */
interface Reducer extends Serializable {
  /** Returns a new, empty accumulator for one partition. */
  Object start();

  /**
   * Adds one element; may return a new accumulator.
   *
   * @param acc the accumulator
   * @param x the element
   * @return the accumulator
   * @throws Exception from a user function, wrapped in a {@link Pipeline.StepFailure}
   */
  Object add(Object acc, Object x) throws Exception;

  /**
   * Turns a partition's accumulator into its partial result.
   *
   * @param acc the accumulator
   * @return the partial result
   * @throws Exception from a user function
   */
  default Object endChunk(Object acc) throws Exception {
    return acc;
  }

  /**
   * Combines partial results, given in partition order, into one.
   *
   * @param partials at least one
   * @return the combined partial
   * @throws Exception from a user function
   */
  Object combine(List<Object> partials) throws Exception;

  /**
   * Turns the last partial into the reduction's value.
   *
   * @param partial the combined partial
   * @return the value
   * @throws Exception if there is no value (the minimum of nothing)
   */
  default Object finish(Object partial) throws Exception {
    return partial;
  }
}
