package dev.tessera.frame;

import java.nio.file.Path;
import java.util.Objects;

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
  public static final String BUDGET_PROPERTY = "tessera.shuffle.memory";

  /** The system property that sets the directory under which pieces spill. */
  public static final String DIRECTORY_PROPERTY = "tessera.shuffle.dir";

  private static volatile long budget = -1;
  private static volatile Path root;

  /** {@return the budget in bytes of shuffle pieces held in memory in this JVM} */
  public static long budget() {
    long b = budget;
    if (b >= 0) {
      return b;
    }
    String p = System.getProperty(BUDGET_PROPERTY);
    return p == null ? Runtime.getRuntime().maxMemory() / 4 : parse(p);
  }

  /**
   * Sets the budget for this JVM; 0 spills every non-empty piece.
   *
   * @param bytes the budget in bytes, at least 0
   */
  public static void setBudget(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("the shuffle memory budget must be >= 0, got " + bytes);
    }
    budget = bytes;
  }

  /** Returns to the default budget (the system property, or a quarter of the heap). */
  public static void resetBudget() {
    budget = -1;
  }

  /** {@return the directory under which this JVM's spill directory is made} */
  public static Path spillRoot() {
    Path r = root;
    if (r != null) {
      return r;
    }
    String p = System.getProperty(DIRECTORY_PROPERTY);
    return Path.of(p != null ? p : System.getProperty("java.io.tmpdir"));
  }

  /**
   * Sets the directory under which pieces spill from now on (a directory
   * {@code tessera-shuffle-*} is made in it).
   *
   * @param dir the directory, created if needed
   */
  public static void setSpillDirectory(Path dir) {
    Objects.requireNonNull(dir, "dir");
    root = dir;
    Spill.reset();
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

  static long parse(String s) {
    String t = s.trim().toLowerCase(java.util.Locale.ROOT);
    long mult = 1;
    if (t.endsWith("k") || t.endsWith("m") || t.endsWith("g")) {
      mult = t.endsWith("k") ? 1L << 10 : t.endsWith("m") ? 1L << 20 : 1L << 30;
      t = t.substring(0, t.length() - 1);
    }
    try {
      return Long.parseLong(t) * mult;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + BUDGET_PROPERTY + "=" + s + ": expected bytes,"
          + " or a number with k, m or g (such as 512m)");
    }
  }
}
