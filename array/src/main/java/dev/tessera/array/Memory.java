package dev.tessera.array;

import java.util.concurrent.atomic.AtomicLong;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keeps ND4J's off-heap garbage bounded. ND4J frees a block's native memory only when the
 * Java garbage collector collects the small {@link INDArray} object that owns it, and array
 * tasks allocate gigabytes off-heap while allocating almost nothing on the Java heap, so
 * without help no collection happens and freed blocks pile up (150 dropped 32 MB blocks left
 * a 4.8 GB resident set). Block-producing tasks report what they allocate here; after every
 * {@link #threshold()} bytes a collection is requested, which returns the dead blocks' memory.
 */
final class Memory {
  private Memory() {}

  private static final AtomicLong SINCE_GC = new AtomicLong();
  private static final long THRESHOLD = threshold();

  /**
   * Bytes allocated between requested collections: the system property
   * {@code tessera.array.gcBytes}, or an eighth of the maximum heap, between 256 MiB and 1 GiB.
   */
  static long threshold() {
    String p = System.getProperty("tessera.array.gcBytes");
    if (p != null) {
      return Long.parseLong(p);
    }
    long eighth = Runtime.getRuntime().maxMemory() / 8;
    return Math.max(256L << 20, Math.min(1L << 30, eighth));
  }

  /** Records a newly allocated block and returns it. */
  static INDArray track(INDArray x) {
    if (x != null && !x.isView()) {
      long bytes = x.length() * x.dataType().width();
      if (SINCE_GC.addAndGet(bytes) > THRESHOLD) {
        collect();
      }
    }
    return x;
  }

  private static void collect() {
    synchronized (SINCE_GC) {
      if (SINCE_GC.get() > THRESHOLD) {
        SINCE_GC.set(0);
        System.gc();
      }
    }
  }
}
