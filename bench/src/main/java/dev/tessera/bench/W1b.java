package dev.tessera.bench;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.Scheduler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * W1b task_chain: a chain of {@code n} dependent {@code inc} tasks, not fused (so every link
 * is a scheduled task). Extra figure: us_per_task.
 */
public final class W1b implements Workload {
  @Override
  public String name(Params p) {
    return "task_chain";
  }

  @Override
  public Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("n", "10000");
    d.put("scheduler", "threads");
    return d;
  }

  @Override
  public Trial prepare(Params p) {
    int n = p.getInt("n");
    Scheduler scheduler = W1.scheduler(p.get("scheduler"));
    Delayed<Integer> chain = Delayed.value(0);
    for (int i = 0; i < n; i++) {
      chain = Delayed.call(W1::inc, chain);
    }
    Delayed<Integer> last = chain;
    return new Trial() {
      @Override
      public Object run() {
        return last.compute(scheduler);
      }

      @Override
      public Map<String, Object> check(Object result) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("ok", ((Integer) result) == n);
        c.put("value", result);
        c.put("expected", n);
        return c;
      }

      @Override
      public Map<String, Object> extras(double median, List<Double> all) {
        return Map.of("us_per_task", median / n * 1e6);
      }

      @Override
      public void close() {
        W1.release(scheduler);
      }
    };
  }
}
