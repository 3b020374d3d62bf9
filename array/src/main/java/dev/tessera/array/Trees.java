package dev.tessera.array;

import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A tree of combine tasks over a list of partial results, for the reductions whose partials are
 * not per-block arrays (histograms, counts, top k, unique values): at most {@code splitEvery}
 * partials per task, level by level, so no task receives every block. The combine function
 * receives its group as one {@code List} argument and must be associative.
 */
final class Trees {
  private Trees() {}

  /**
   * Adds the tree's tasks to {@code tasks} (keys {@code (name, level, i)}) and returns the
   * root's key; the root is the only task of the last level (with one leaf, a combine of it).
   */
  static Key reduce(Map<Key, Task> tasks, String name, List<Key> leaves, int splitEvery,
      TaskFunction combine) {
    if (splitEvery < 2) {
      throw new ArrayException(name + ": splitEvery must be at least 2, got " + splitEvery);
    }
    List<Key> current = leaves;
    int level = 0;
    do {
      List<Key> next = new ArrayList<>();
      for (int g = 0; g < current.size(); g += splitEvery) {
        Key k = Key.of(name, level, g / splitEvery);
        tasks.put(k, Task.of(combine, List.copyOf(current.subList(g,
            Math.min(current.size(), g + splitEvery)))));
        next.add(k);
      }
      current = next;
      level++;
    } while (current.size() > 1);
    return current.get(0);
  }

  /** Every block key of an array, in C order. */
  static List<Key> blocks(Array a) {
    List<Key> out = new ArrayList<>();
    for (int[] idx : Layout.blockIndices(a.numBlocks())) {
      out.add(a.blockKey(idx));
    }
    return out;
  }
}
