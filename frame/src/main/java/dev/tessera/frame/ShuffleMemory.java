package dev.tessera.frame;

import dev.tessera.schedulers.SpillArea;
import java.nio.file.Path;

/**
 * The memory budget of shuffles ({@link Frame#merge}, {@link Frame#setIndex},
 * {@link Frame#sortValues}) in this JVM: the pieces that split tasks cut and gather tasks have
 * not yet consumed stay in memory while their total stays within the budget; past it, pieces
 * go to files under the spill directory and are read back by the task that gathers them, so a
 * shuffle of more data than memory completes. Files are deleted once gathered, when a failed
 * or cancelled computation drops them, and at JVM exit; the directory of a JVM that could not
 * remove it (a worker JVM that was stopped) goes when another JVM next uses the same root.
 *
 * <pre>{@code
 * ShuffleMemory.setBudget(256L << 20);                 // 256 MiB of pieces, then spill
 * ShuffleMemory.setSpillDirectory(Path.of("/scratch"));
 * }</pre>
 *
 * <p>The defaults: a quarter of the maximum heap, and the system temp directory; the system
 * properties {@value #BUDGET_PROPERTY} (bytes, or with a suffix k, m or g) and
 * {@value #DIRECTORY_PROPERTY} set them for a JVM, worker JVMs included (pass them with
 * {@code ProcessOptions}' JVM flags). Each worker JVM applies its own budget.
 */
public final class ShuffleMemory {
  private ShuffleMemory() {}

  /** The system property that sets the budget: bytes, or a number with k, m or g. */
  public static final String BUDGET_PROPERTY = SpillArea.BUDGET_PROPERTY;

  /** The system property that sets the directory under which pieces spill. */
  public static final String DIRECTORY_PROPERTY = SpillArea.DIRECTORY_PROPERTY;

  /** The budget, the spill root and this JVM's spill directory. */
  static final SpillArea AREA = new SpillArea("tessera-shuffle-", "shuffle");

  /** {@return the budget in bytes of shuffle pieces held in memory in this JVM} */
  public static long budget() {
    return AREA.budget();
  }

  /**
   * Sets the budget for this JVM; 0 spills every non-empty piece.
   *
   * @param bytes the budget in bytes, at least 0
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
   * {@code tessera-shuffle-*} is made in it).
   *
   * @param dir the directory, created if needed
   */
  public static void setSpillDirectory(Path dir) {
    AREA.setRoot(dir);
  }

  /** {@return the bytes written to spill files in this JVM so far} */
  public static long spilledBytes() {
    return Spill.spilledBytes();
  }

  /** {@return the number of spill files written in this JVM so far} */
  public static long spilledFiles() {
    return Spill.spilledFiles();
  }

  /** {@return the bytes of shuffle pieces held in memory in this JVM now} */
  public static long heldBytes() {
    return Spill.held();
  }
}
