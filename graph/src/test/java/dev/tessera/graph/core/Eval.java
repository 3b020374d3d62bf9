package dev.tessera.graph.core;

import dev.tessera.graph.core.ExecutionPlan;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.TaskGraph;
import java.util.ArrayList;
import java.util.List;

/** A direct evaluator for graph tests: runs a plan in priority order on this thread. */
final class Eval {
  private Eval() {}

  static List<Object> run(TaskGraph graph, List<Key> outputs) throws Exception {
    ExecutionPlan plan = ExecutionPlan.of(graph, outputs);
    Object[] results = new Object[plan.size()];
    for (int i : plan.executionOrder()) {
      Object[] deps = new Object[plan.dependencyCount(i)];
      for (int j = 0; j < deps.length; j++) {
        deps[j] = results[plan.dependency(i, j)];
      }
      results[i] = plan.task(i).run(deps);
    }
    List<Object> out = new ArrayList<>();
    for (int j = 0; j < outputs.size(); j++) {
      out.add(results[plan.outputIndex(j)]);
    }
    return out;
  }

  static Object one(TaskGraph graph, Key key) throws Exception {
    return run(graph, List.of(key)).get(0);
  }
}
