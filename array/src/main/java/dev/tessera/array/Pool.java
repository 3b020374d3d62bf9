package dev.tessera.array;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Recycles blocks that {@link Release} proved dead, for the next block of the same shape and
 * type. A fresh native allocation costs page faults on every use (measured: ~13 ms for a
 * 32 MB block, against ~1 ms for memory already mapped), because the C allocator returns
 * large freed blocks to the system at once; handing a dead block to the next task that needs
 * one of that shape avoids it. Holds at most {@link #MAX_BYTES} of idle blocks; anything
 * beyond is freed.
 */
final class Pool {
  private Pool() {}

  /** Idle bytes kept at most. */
  static final long MAX_BYTES = 256L << 20;

  private static final Map<String, ConcurrentLinkedDeque<INDArray>> IDLE =
      new ConcurrentHashMap<>();
  private static final AtomicLong IDLE_BYTES = new AtomicLong();

  private static String key(org.nd4j.linalg.api.buffer.DataType t, long[] shape) {
    return t + Arrays.toString(shape);
  }

  private static long bytes(INDArray x) {
    return x.length() * x.dataType().width();
  }

  /** Returns an uninitialized C-order block: a recycled one if available. */
  static INDArray take(DType dtype, long[] shape) {
    ConcurrentLinkedDeque<INDArray> q = IDLE.get(key(dtype.nd4j(), shape));
    INDArray x = q == null ? null : q.pollFirst();
    if (x != null) {
      IDLE_BYTES.addAndGet(-bytes(x));
      return x;
    }
    return Memory.track(Nd4j.createUninitialized(dtype.nd4j(), shape));
  }

  /** Takes back a block nobody else references; frees it if the pool is full or it is odd. */
  static void give(INDArray x) {
    if (x.isView() || !x.closeable() || x.ordering() != 'c' || x.length() == 0
        || !x.isR() && !x.isZ()) {
      if (x.closeable()) {
        x.close();
      }
      return;
    }
    long b = bytes(x);
    if (IDLE_BYTES.addAndGet(b) > MAX_BYTES) {
      IDLE_BYTES.addAndGet(-b);
      x.close();
      return;
    }
    IDLE.computeIfAbsent(key(x.dataType(), x.shape()), k -> new ConcurrentLinkedDeque<>())
        .push(x);
  }
}
