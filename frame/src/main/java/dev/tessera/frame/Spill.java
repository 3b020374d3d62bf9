package dev.tessera.frame;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import tech.tablesaw.api.Table;

/**
 * Where the pieces of a shuffle wait between the task that cut them and the task that gathers
 * them: in memory while the pieces held in this JVM stay within {@link ShuffleMemory#budget()},
 * otherwise in a file of this JVM's spill directory, in {@link TableCodec}'s format (the one
 * every table travels in between processes). A piece is released (its bytes given back, its
 * file deleted) when the task that gathers it has succeeded; pieces a failed or cancelled
 * computation never gathered are released when they become unreachable (a {@link Cleaner}),
 * and the directory itself is removed when the JVM exits.
 */
final class Spill {
  private Spill() {}

  private static final Cleaner CLEANER = Cleaner.create();
  private static final AtomicLong HELD = new AtomicLong();
  private static final AtomicLong SPILLED_BYTES = new AtomicLong();
  private static final AtomicLong SPILLED_FILES = new AtomicLong();
  private static final TableCodec CODEC = new TableCodec();

  /**
   * Keeps the pieces of one split task: each in memory if it fits the budget, else appended to
   * the task's one spill file (so a split makes at most one file, whatever the piece count).
   * {@link #finish()} closes the file before the pieces are handed on.
   */
  static final class Batch {
    private SpillFile file;
    private CountingOutput out;

    /** Returns {@code t} as a piece: kept in memory if it fits the budget, else spilled. */
    ShufflePiece keep(Table t) {
      if (t.rowCount() == 0) {
        return new Held(t, NOTHING);
      }
      long bytes = CODEC.sizeOf(t);
      if (HELD.addAndGet(bytes) <= ShuffleMemory.budget()) {
        return new Held(t, account(bytes));
      }
      HELD.addAndGet(-bytes);
      try {
        if (file == null) {
          file = new SpillFile(ShuffleMemory.AREA.directory().resolve(UUID.randomUUID() + ".tbl"));
          out = new CountingOutput(new BufferedOutputStream(Files.newOutputStream(file.path),
              1 << 16));
        }
        long from = out.count;
        DataOutputStream d = new DataOutputStream(out);
        CODEC.write(t, d);
        d.flush();
        file.refs.incrementAndGet();
        SPILLED_BYTES.addAndGet(out.count - from);
        return new Spilled(file, from, out.count - from);
      } catch (IOException e) {
        throw new UncheckedIOException("writing a shuffle piece of " + t.rowCount() + " rows to "
            + file.path + " (set another directory with ShuffleMemory.setSpillDirectory or -D"
            + ShuffleMemory.DIRECTORY_PROPERTY + "=DIR): " + e, e);
      }
    }

    /** Closes the spill file, if any. */
    void finish() {
      if (out != null) {
        try {
          out.close();
        } catch (IOException e) {
          throw new UncheckedIOException("closing the shuffle spill file " + file.path + ": " + e,
              e);
        }
        SPILLED_FILES.incrementAndGet();
        out = null;
      }
    }
  }

  private static final Runnable NOTHING = () -> { };

  /** Bytes of pieces held in memory in this JVM now. */
  static long held() {
    return HELD.get();
  }

  static long spilledBytes() {
    return SPILLED_BYTES.get();
  }

  static long spilledFiles() {
    return SPILLED_FILES.get();
  }

  private static Runnable account(long bytes) {
    return new Runnable() { // the action must not reach the piece itself
      @Override
      public void run() {
        HELD.addAndGet(-bytes);
      }
    };
  }

  /** A piece in memory; released at most once, by its gatherer or when unreachable. */
  static final class Held extends ShufflePiece {
    private final Table table;
    private final Cleaner.Cleanable cleanable;

    Held(Table table, Runnable onRelease) {
      this.table = table;
      this.cleanable = CLEANER.register(this, onRelease);
    }

    @Override
    Table table() {
      return table;
    }

    @Override
    void release() {
      cleanable.clean();
    }
  }

  /**
   * One split task's spill file: deleted when the last of its pieces is released, or when no
   * piece reaches it any more (a failed or cancelled computation dropped them).
   */
  static final class SpillFile {
    final Path path;
    final java.util.concurrent.atomic.AtomicInteger refs =
        new java.util.concurrent.atomic.AtomicInteger();
    private final Cleaner.Cleanable cleanable;

    SpillFile(Path path) {
      this.path = path;
      this.cleanable = CLEANER.register(this, new Delete(path));
    }

    void unref() {
      if (refs.decrementAndGet() == 0) {
        cleanable.clean();
      }
    }

    /** Takes one more reference unless the file is already gone (its last piece released). */
    boolean retain() {
      for (int r = refs.get(); r > 0; r = refs.get()) {
        if (refs.compareAndSet(r, r + 1)) {
          return true;
        }
      }
      return false;
    }
  }

  /** A piece in a byte range of a spill file; released at most once. */
  static final class Spilled extends ShufflePiece {
    final SpillFile file;
    final long offset;
    final long bytes;
    private final java.util.concurrent.atomic.AtomicBoolean released =
        new java.util.concurrent.atomic.AtomicBoolean();

    Spilled(SpillFile file, long offset, long bytes) {
      this.file = file;
      this.offset = offset;
      this.bytes = bytes;
    }

    @Override
    Table table() {
      try (InputStream in = open()) {
        return CODEC.read(new DataInputStream(new BufferedInputStream(in, 1 << 16)));
      } catch (IOException e) {
        throw new UncheckedIOException("reading a shuffle piece from the spill file " + file.path
            + " (a piece is read only while its shuffle runs; is the spill directory on a"
            + " disk that another process cleans?): " + e, e);
      }
    }

    /** Returns the piece's bytes, in TableCodec's format. */
    InputStream open() throws IOException {
      java.nio.channels.SeekableByteChannel ch = Files.newByteChannel(file.path);
      ch.position(offset);
      InputStream in = java.nio.channels.Channels.newInputStream(ch);
      return new java.io.FilterInputStream(in) {
        long left = bytes;

        @Override
        public int read() throws IOException {
          if (left <= 0) {
            return -1;
          }
          int b = super.read();
          left -= b < 0 ? 0 : 1;
          return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          if (left <= 0) {
            return -1;
          }
          int n = super.read(b, off, (int) Math.min(len, left));
          left -= Math.max(n, 0);
          return n;
        }
      };
    }

    @Override
    void release() {
      if (released.compareAndSet(false, true)) {
        file.unref();
      }
    }

    /**
     * Holds the piece's file for a copy and returns true, or returns false when the piece was
     * already gathered (released, its file maybe deleted). A split task's whole list of pieces
     * can be shipped to another process for the one piece a task there needs, after tasks here
     * gathered (and released) other pieces of the same list; while held, a release cannot
     * delete the file under the copy. Each true is followed by {@link #unhold()}.
     */
    boolean holdUnlessGathered() {
      return !released.get() && file.retain();
    }

    /** Gives back what {@link #holdUnlessGathered()} took. */
    void unhold() {
      file.unref();
    }
  }

  private record Delete(Path file) implements Runnable {
    @Override
    public void run() {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // the directory goes at exit anyway
      }
    }
  }

  /** Counts the bytes written: the offsets of the pieces in a spill file. */
  private static final class CountingOutput extends java.io.FilterOutputStream {
    long count;

    CountingOutput(java.io.OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
