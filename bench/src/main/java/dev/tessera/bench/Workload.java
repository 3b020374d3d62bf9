package dev.tessera.bench;

import java.util.Map;

/**
 * One benchmark workload of {@code shared/WORKLOADS.md}. The harness finds it by id: workload
 * {@code W7b} is the class {@code dev.tessera.bench.W7b}, so adding a workload is adding a
 * class.
 */
public interface Workload {
  /**
   * Returns the workload's name in the JSON output, such as {@code task_overhead_threads}.
   *
   * @param p the parameters
   * @return the name
   */
  String name(Params p);

  /** {@return every parameter with its default, as strings} */
  Map<String, String> defaults();

  /**
   * Says whether the harness runs one untimed warm-up first (the contract's protocol); a
   * workload too long to run twice may say no.
   *
   * @param p the parameters, defaults filled in
   * @return true to warm up
   */
  default boolean warmUp(Params p) {
    return true;
  }

  /** {@return the timed runs when {@code repeats} is not given: the contract's 3} */
  default int defaultRepeats() {
    return 3;
  }

  /**
   * Sets up outside the timed region (builds graphs, opens schedulers).
   *
   * @param p the parameters, defaults filled in
   * @return the trial whose {@link Trial#run()} is timed
   * @throws Exception anything; the harness reports it and exits non-zero
   */
  Trial prepare(Params p) throws Exception;
}
