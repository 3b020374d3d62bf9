package dev.tessera.schedulers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * One kind of shuffle's memory budget and spill directory in this JVM: how many bytes of pieces
 * may stay in memory, and the directory ({@code <prefix><pid>-*} under a root) that pieces
 * spill to past it. Frames' shuffles ({@code ShuffleMemory}) and bags' groupby
 * ({@code BagShuffleMemory}) each keep one, read from the same system properties; this class
 * is the code they share, not an API of its own.
 *
 * <p>The directory is made on first use and removed when the JVM exits; directories of JVMs
 * that no longer run (a worker JVM that was killed had no chance to remove its own) are removed
 * when another JVM next uses the same root. Thread-safe.
 */
public final class SpillArea {
  /** The system property that sets the budget: bytes, or a number with k, m or g. */
  public static final String BUDGET_PROPERTY = "tessera.shuffle.memory";

  /** The system property that sets the root under which pieces spill. */
  public static final String DIRECTORY_PROPERTY = "tessera.shuffle.dir";

  private final String prefix;
  private final String what;
  private volatile long budget = -1;
  private volatile Path root;
  private volatile Path directory;

  /**
   * Makes the area of one kind of shuffle.
   *
   * @param prefix the start of its directories' names, such as {@code tessera-shuffle-}
   * @param what what spills there, for messages, such as {@code "shuffle"}
   */
  public SpillArea(String prefix, String what) {
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    this.what = Objects.requireNonNull(what, "what");
  }

  /** {@return the budget in bytes: set, else the system property, else a quarter of the heap} */
  public long budget() {
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
   * @param bytes at least 0
   * @throws IllegalArgumentException if {@code bytes < 0}
   */
  public void setBudget(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("the " + what + " memory budget must be >= 0, got "
          + bytes);
    }
    budget = bytes;
  }

  /** Returns to the default budget (the system property, or a quarter of the heap). */
  public void resetBudget() {
    budget = -1;
  }

  /** {@return the root under which this JVM's spill directory is made} */
  public Path root() {
    Path r = root;
    if (r != null) {
      return r;
    }
    String p = System.getProperty(DIRECTORY_PROPERTY);
    return Path.of(p != null ? p : System.getProperty("java.io.tmpdir"));
  }

  /**
   * Spills under {@code dir} from now on: the current directory is removed if empty, and the
   * new root is swept of dead JVMs' directories.
   *
   * @param dir the root, created when first needed
   */
  public synchronized void setRoot(Path dir) {
    root = Objects.requireNonNull(dir, "dir");
    Path d = directory;
    directory = null;
    sweep(root());
    if (d != null) {
      try (Stream<Path> s = Files.list(d)) {
        if (s.findAny().isEmpty()) {
          Files.deleteIfExists(d);
        }
      } catch (IOException e) {
        // removed at exit
      }
    }
  }

  /** {@return this JVM's spill directory, created on first use and removed at exit} */
  public Path directory() {
    Path d = directory;
    if (d != null) {
      return d;
    }
    synchronized (this) {
      if (directory == null) {
        Path r = root();
        try {
          Files.createDirectories(r);
          sweep(r);
          d = Files.createTempDirectory(r, prefix + ProcessHandle.current().pid() + "-");
        } catch (IOException e) {
          throw new UncheckedIOException("creating the " + what + " spill directory under " + r
              + ": " + e, e);
        }
        Path created = d;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(created),
            prefix + "cleanup"));
        directory = d;
      }
      return directory;
    }
  }

  /** Removes the directories under {@code root} of JVMs that no longer run. */
  private void sweep(Path under) {
    if (!Files.isDirectory(under)) {
      return;
    }
    try (Stream<Path> s = Files.list(under)) {
      s.filter(p -> p.getFileName().toString().startsWith(prefix)).forEach(p -> {
        String rest = p.getFileName().toString().substring(prefix.length());
        int dash = rest.indexOf('-');
        try {
          long pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
          if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty()) {
            deleteTree(p);
          }
        } catch (NumberFormatException e) {
          // not one of ours
        }
      });
    } catch (IOException e) {
      // best effort: a later sweep tries again
    }
  }

  /**
   * Deletes a directory and everything in it, as far as it can.
   *
   * @param d the directory; nothing happens if it does not exist
   */
  public static void deleteTree(Path d) {
    if (!Files.exists(d)) {
      return;
    }
    try (Stream<Path> s = Files.walk(d)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // best effort at exit
        }
      });
    } catch (IOException e) {
      // best effort at exit
    }
  }

  /**
   * Reads a budget: bytes, or a number with k, m or g (such as {@code 512m}).
   *
   * @param s the text
   * @return the bytes
   * @throws IllegalArgumentException naming the property and the expected form
   */
  public static long parse(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
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
