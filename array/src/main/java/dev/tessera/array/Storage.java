package dev.tessera.array;

import dev.tessera.graph.Lazy;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Layer;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskFunction;
import dev.tessera.graph.core.TaskGraph;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Stores arrays into a preallocated {@link INDArray} ({@link NpyStack} writes npy stacks). */
final class Storage {
  private Storage() {}

  static INDArray store(Array a, INDArray target, Scheduler scheduler) {
    if (!Arrays.equals(target.shape(), a.shape)) {
      throw new ArrayException("store: target shape " + Arrays.toString(target.shape())
          + " differs from the array's " + Arrays.toString(a.shape));
    }
    // the target is a live object of this JVM: a random name, never hashed
    String name = "store-" + UUID.randomUUID().toString().replace("-", "");
    Map<Key, Task> tasks = new LinkedHashMap<>();
    List<Key> keys = new ArrayList<>();
    Target t = new Target(target);
    for (int[] idx : Layout.blockIndices(a.numBlocks())) {
      Key k = Key.of(name, idx);
      tasks.put(k, Task.of(new StoreBlock(t, Layout.blockOffset(a.chunks, idx)),
          a.blockKey(idx)));
      keys.add(k);
    }
    Lazy.of(TaskGraph.of(Layer.of(name, "store", tasks), a.graph()), keys, values -> values)
        .compute(scheduler);
    return target;
  }

  /** Holds the target array; not serializable across JVMs by design. */
  static final class Target implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final transient INDArray array;

    Target(INDArray array) {
      this.array = array;
    }
  }

  record StoreBlock(Target target, long[] offset) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      if (target.array == null) {
        throw new IllegalStateException("store: the target array lives in another JVM");
      }
      Nd.put(target.array, offset, Nd.cast((INDArray) args[0], DType.of(target.array
          .dataType())));
      return offset.length;
    }
  }
}
