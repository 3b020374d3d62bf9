package dev.tessera.bench;

import java.util.List;
import java.util.Map;

/** A prepared workload: {@link #run()} is what is timed; the rest reports on it. */
public interface Trial extends AutoCloseable {
  /**
   * Runs the workload once; timed.
   *
   * @return its answer, for {@link #check(Object)}
   * @throws Exception anything
   */
  Object run() throws Exception;

  /**
   * Verifies an answer against an exact value, a closed form or a direct computation.
   *
   * @param result what {@link #run()} returned
   * @return the {@code result_check} object; must contain {@code ok}
   * @throws Exception anything
   */
  Map<String, Object> check(Object result) throws Exception;

  /**
   * Returns the workload's extra figures (rates, floors), given the timings.
   *
   * @param median the median of the timed runs, in seconds
   * @param all every timed run, in seconds
   * @return name to number or string; may be empty
   * @throws Exception anything
   */
  default Map<String, Object> extras(double median, List<Double> all) throws Exception {
    return Map.of();
  }

  @Override
  default void close() throws Exception {}
}
