package dev.tessera.bag;

import dev.tessera.schedulers.SpillArea;
import java.nio.file.Path;

/**
 * The memory budget of {@link Bag#groupby} shuffles in this JVM, the bags' counterpart of
 * frames' {@code ShuffleMemory}: the pieces that split tasks cut and gather tasks have not yet
 * consumed stay in memory while their estimated total stays within the budget; past it, pieces
 * go to files under the spill directory (elements in Java serialization) and are read back, in
 * order, by the task that gathers them, so a groupby of more data than memory completes. Files
 * are deleted once gathered, when a failed or cancelled computation drops them, and at JVM
 * exit; the directory of a JVM that could not remove it (a worker JVM that was stopped) goes
 * when another JVM next uses the same root.
 *
 * <pre>{@code
 * BagShuffleMemory.setBudget(256L << 20);                 // 256 MiB of pieces, then spill
 * BagShuffleMemory.setSpillDirectory(Path.of("/scratch"));
 * }</pre>
 *
 * <p>The defaults: a quarter of the maximum heap, and the system temp directory. The system
 * properties {@value #BUDGET_PROPERTY} (bytes, or with a suffix k, m or g) and
 * {@value #DIRECTORY_PROPERTY} set them for a JVM, worker JVMs included (pass them with
 * {@code ProcessOptions}' JVM flags); they are the same properties as frames', but bags and
 * frames count their pieces separately, so a JVM running both kinds of shuffle at once may hold
 * up to both budgets. Each worker JVM applies its own budget.
 *
 * <p>The bytes of a piece in memory are an estimate: the Java-serialized size of a sample of
 * its elements and keys, plus a fixed overhead per element. A piece can spill only if its
 * elements and keys are {@link java.io.Serializable}; one that is not, past the budget, fails
 * the groupby with a message naming the bag, the task and the fix (never a silent loss).
 */
public final class BagShuffleMemory {
  private BagShuffleMemory() {}

  /** The system property that sets the budget: bytes, or a number with k, m or g. */
  public static final String BUDGET_PROPERTY = SpillArea.BUDGET_PROPERTY;

  /** The system property that sets the directory under which pieces spill. */
  public static final String DIRECTORY_PROPERTY = SpillArea.DIRECTORY_PROPERTY;

  /** The budget, the spill root and this JVM's spill directory. */
  static final SpillArea AREA = new SpillArea("tessera-bag-spill-", "bag shuffle");

  /** {@return the budget in bytes of groupby pieces held in memory in this JVM} */
  public static long budget() {
    return AREA.budget();
  }

  /**
   * Sets the budget for this JVM; 0 spills every non-empty piece.
   *
   * @param bytes the budget in bytes, at least 0
   * @throws IllegalArgumentException if {@code bytes < 0}
   */
  public static void setBudget(long bytes) {
    AREA.setBudget(bytes);
  }

  /** Returns to the default budget (the system property, or a quarter of the heap). */
  public static void resetBudget() {
    AREA.resetBudget();
  }

  /** {@return the directory under which this JVM's spill directory is made} */
  public static Path spillRoot() {
    return AREA.root();
  }

  /**
   * Sets the directory under which pieces spill from now on (a directory
   * {@code tessera-bag-spill-*} is made in it).
   *
   * @param dir the directory, created if needed
   */
  public static void setSpillDirectory(Path dir) {
    AREA.setRoot(dir);
  }

  /** {@return the bytes written to groupby spill files in this JVM so far} */
  public static long spilledBytes() {
    return BagSpill.spilledBytes();
  }

  /** {@return the number of groupby spill files written in this JVM so far} */
  public static long spilledFiles() {
    return BagSpill.spilledFiles();
  }

  /** {@return the estimated bytes of groupby pieces held in memory in this JVM now} */
  public static long heldBytes() {
    return BagSpill.held();
  }
}
