package dev.tessera.bag;

import dev.tessera.graph.TesseraException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.ObjectStreamException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the pieces of a {@link Bag#groupby} wait between the split task that cut them and the
 * task that gathers them: in memory (a {@link HeldList} of (key, element) pairs) while the
 * pieces held in this JVM stay within {@link BagShuffleMemory#budget()}, otherwise appended to
 * the split task's one file in this JVM's spill directory, in Java serialization (one stream
 * per piece: an int count, then key and element per pair; the format bags' tasks and elements
 * already travel in between JVMs). A piece is released (its bytes given back, its file
 * deleted with its last piece) when the task that gathers it has succeeded; pieces a failed or
 * cancelled computation never gathered are released when they become unreachable (a
 * {@link Cleaner}), and the directory itself is removed when the JVM exits.
 *
 * <p>This mirrors frames' {@code Spill}, which keeps Tablesaw tables; only the directory and
 * file bookkeeping are alike, so each module keeps its own short copy rather than moving it
 * into the graph module.
 */
final class BagSpill {
  private BagSpill() {}

  /**
   * Bytes per pair in memory besides the serialized size of its key and element: two list
   * slots with the list's growth slack, and the object headers serialization does not count.
   */
  static final long OVERHEAD = 48;

  /** The bytes assumed for a pair whose sample does not serialize (it cannot spill anyway). */
  static final long UNKNOWN = 64;

  /** The pairs sampled per split task to estimate the bytes of its pieces. */
  static final int SAMPLE = 16;

  private static final Cleaner CLEANER = Cleaner.create();
  private static final AtomicLong HELD = new AtomicLong();
  private static final AtomicLong SPILLED_BYTES = new AtomicLong();
  private static final AtomicLong SPILLED_FILES = new AtomicLong();

  /** Receives the (key, element) pairs of a piece. */
  interface Sink {
    void accept(Object key, Object element);
  }

  static long held() {
    return HELD.get();
  }

  static long spilledBytes() {
    return SPILLED_BYTES.get();
  }

  static long spilledFiles() {
    return SPILLED_FILES.get();
  }

  /**
   * A bucket of a split task, and then a piece in memory: keys and elements alternately, in
   * bag order. Between JVMs it travels as the plain list it is (each element with its best
   * codec); the receiver gets an unaccounted copy.
   */
  static final class HeldList extends ArrayList<Object> {
    private static final long serialVersionUID = 1L;
    private transient Cleaner.Cleanable cleanable;

    void account(long bytes) {
      cleanable = BagSpill.account(this, bytes);
    }

    void release() {
      Cleaner.Cleanable c = cleanable;
      if (c != null) {
        c.clean();
      }
    }
  }

  /** Counts {@code bytes} as held and returns true if they fit the budget, else false. */
  static boolean reserve(long bytes) {
    if (HELD.addAndGet(bytes) <= BagShuffleMemory.budget()) {
      return true;
    }
    HELD.addAndGet(-bytes);
    return false;
  }

  /** Gives back what {@link #reserve} took, when no piece came of it. */
  static void unreserve(long bytes) {
    HELD.addAndGet(-bytes);
  }

  /** Gives reserved bytes back on release, or when {@code piece} becomes unreachable. */
  static Cleaner.Cleanable account(Object piece, long bytes) {
    return CLEANER.register(piece, new Account(bytes));
  }

  /**
   * Copies the runs of a piece received from another JVM ({@code count} times a length and
   * its bytes) into a file of its own in this JVM's spill directory (it did not fit the budget
   * here), as a piece of that file.
   */
  static Spilled receive(java.io.DataInputStream in, int count) throws IOException {
    SpillFile file = new SpillFile(BagShuffleMemory.AREA.directory().resolve(UUID.randomUUID() + ".bag"));
    List<long[]> runs = new ArrayList<>(count);
    long at = 0;
    try (OutputStream out = Files.newOutputStream(file.path)) {
      byte[] buf = new byte[1 << 16];
      for (int i = 0; i < count; i++) {
        long n = in.readLong();
        for (long left = n; left > 0; ) {
          int r = in.read(buf, 0, (int) Math.min(buf.length, left));
          if (r < 0) {
            throw new java.io.EOFException("a groupby piece ended " + left + " bytes early");
          }
          out.write(buf, 0, r);
          left -= r;
        }
        runs.add(new long[] {at, n});
        at += n;
      }
    } catch (IOException | RuntimeException e) {
      file.cleanable.clean();
      throw e;
    }
    file.refs.set(1);
    SPILLED_BYTES.addAndGet(at);
    SPILLED_FILES.incrementAndGet();
    return new Spilled(file, runs);
  }

  /** Gives a held piece's bytes back; must not reach the piece itself. */
  private record Account(long bytes) implements Runnable {
    @Override
    public void run() {
      HELD.addAndGet(-bytes);
    }
  }

  /** How many pairs a split task adds between two checks of the budget. */
  static final int CHECK = 4096;

  /**
   * The most a split fills past the budget before it spills (at most a sixteenth of the
   * budget): spilling all buckets at every check would cut them into runs of a few pairs.
   */
  static final long MAX_BUFFER = 8L << 20;

  /**
   * Cuts one split task's pairs into its pieces. The buckets fill as the partition's elements
   * arrive; every {@link #CHECK} pairs their estimated size is counted against the budget, and
   * past it (once they hold a sixteenth of the budget, at most {@link #MAX_BUFFER}) every
   * bucket is appended to the task's one spill file and starts again empty, so a split holds
   * little more than the budget allows whatever its partition's size. At the end each
   * bucket becomes a piece: kept in memory if nothing of it spilled and it fits the budget,
   * else the runs of it in the file, in order. {@link #abort} leaves nothing behind.
   */
  static final class Splitter {
    private final HeldList[] buckets;
    private final List<List<long[]>> runs = new ArrayList<>(); // per bucket: (offset, length)
    private final String bag;
    private final String task;
    private final List<Object> out = new ArrayList<>();
    private long pairs; // in the buckets now
    private int sinceCheck;
    private long perPair; // estimated at the first check (or at the end)
    private long reserved; // counted in HELD for the buckets now
    private SpillFile file;
    private CountingOutput stream;

    /**
     * @param n the number of buckets
     * @param bag the bag being grouped, for messages
     * @param task the split task's key, for messages
     */
    Splitter(int n, String bag, String task) {
      this.buckets = new HeldList[n];
      for (int j = 0; j < n; j++) {
        buckets[j] = new HeldList();
        runs.add(new ArrayList<>(0));
      }
      this.bag = bag;
      this.task = task;
    }

    void add(int j, Object key, Object element) {
      HeldList b = buckets[j];
      b.add(key);
      b.add(element);
      pairs++;
      if (++sinceCheck == CHECK) {
        check();
      }
    }

    private void check() {
      sinceCheck = 0;
      if (perPair == 0) {
        perPair = perPair(buckets, pairs);
      }
      long bytes = pairs * perPair;
      long held = HELD.addAndGet(bytes - reserved);
      reserved = bytes;
      long budget = BagShuffleMemory.budget();
      // past the budget a split still fills a small buffer, so its runs are not tiny
      if (held > budget && bytes >= Math.min(budget / 16, MAX_BUFFER)) {
        for (int j = 0; j < buckets.length; j++) {
          if (!buckets[j].isEmpty()) {
            runs.get(j).add(spill(buckets[j]));
            buckets[j] = new HeldList();
          }
        }
        HELD.addAndGet(-reserved);
        reserved = 0;
        pairs = 0;
      }
    }

    /**
     * Appends a bucket to the spill file; returns its (offset, length). A failure to write
     * (the disk, or an element that does not serialize) becomes an exception naming the bag,
     * the task and the fix; the source's own I/O errors pass through {@link #abort} as they are.
     */
    private long[] spill(HeldList b) {
      try {
        if (file == null) {
          file = new SpillFile(BagShuffleMemory.AREA.directory().resolve(UUID.randomUUID() + ".bag"));
          stream = new CountingOutput(new BufferedOutputStream(
              Files.newOutputStream(file.path), 1 << 16));
        }
        long from = stream.count;
        write(b, stream, file.loaders);
        SPILLED_BYTES.addAndGet(stream.count - from);
        return new long[] {from, stream.count - from};
      } catch (IOException e) {
        throw failure(e, file, bag, task);
      }
    }

    /** Returns the pieces, in bucket order. */
    List<Object> finish() {
      HELD.addAndGet(-reserved);
      reserved = 0;
      long per = perPair != 0 || pairs == 0 ? perPair : perPair(buckets, pairs);
      for (int j = 0; j < buckets.length; j++) {
        HeldList b = buckets[j];
        buckets[j] = null; // a spilled bucket's pairs can go as soon as they are written
        List<long[]> r = runs.get(j);
        long bytes = per * (b.size() / 2);
        if (r.isEmpty() && b.isEmpty()) {
          out.add(List.of());
        } else if (r.isEmpty() && reserve(bytes)) {
          b.account(bytes);
          out.add(b);
        } else {
          if (!b.isEmpty()) {
            r.add(spill(b));
          }
          file.refs.incrementAndGet();
          out.add(new Spilled(file, r));
        }
      }
      if (stream != null) {
        CountingOutput s = stream;
        stream = null;
        try {
          s.close();
        } catch (IOException e) {
          throw failure(e, file, bag, task);
        }
        SPILLED_FILES.incrementAndGet();
      }
      return out;
    }

    /**
     * Releases what this split made (pieces, reserved bytes, its file) after {@code e}, and
     * returns {@code e} to throw (an {@link Error} is thrown at once).
     */
    Exception abort(Throwable e) {
      HELD.addAndGet(-reserved);
      reserved = 0;
      for (Object p : out) {
        release(p);
      }
      if (file != null) {
        if (stream != null) {
          try {
            stream.close();
          } catch (IOException suppressed) {
            e.addSuppressed(suppressed);
          }
        }
        file.cleanable.clean();
      }
      if (e instanceof Error err) {
        throw err;
      }
      return (Exception) e;
    }
  }

  private static RuntimeException failure(IOException e, SpillFile file, String bag,
      String task) {
    String where = "groupby of bag '" + bag + "', task " + task + ": ";
    if (e instanceof NotSerializableException) {
      return new TesseraException(where + "the pieces of the shuffle exceed the memory budget ("
          + BagShuffleMemory.budget() + " bytes) and must spill to disk, but an element or key"
          + " of class " + e.getMessage() + " is not Serializable; make the elements and keys"
          + " Serializable, raise the budget (-D" + BagShuffleMemory.BUDGET_PROPERTY
          + "=SIZE or BagShuffleMemory.setBudget), or use foldby if a fold will do", e);
    }
    if (e instanceof ObjectStreamException) {
      return new TesseraException(where + "the pieces of the shuffle exceed the memory budget ("
          + BagShuffleMemory.budget() + " bytes) and must spill to disk, but an element or key"
          + " does not serialize (" + e + "); fix its serialization, raise the budget (-D"
          + BagShuffleMemory.BUDGET_PROPERTY + "=SIZE or BagShuffleMemory.setBudget), or use"
          + " foldby if a fold will do", e);
    }
    return new UncheckedIOException(where + "writing a piece to the spill file "
        + (file == null ? "under " + BagShuffleMemory.spillRoot() : file.path)
        + " (set another directory with BagShuffleMemory.setSpillDirectory or -D"
        + BagShuffleMemory.DIRECTORY_PROPERTY + "=DIR): " + e, e);
  }

  /**
   * Estimates the bytes per pair from the serialized size of up to {@link #SAMPLE} pairs
   * spread over the buckets (at most one in eight, so a small split is not written twice).
   */
  private static long perPair(HeldList[] buckets, long total) {
    int want = (int) Math.min(SAMPLE, (total + 7) / 8);
    long stride = Math.max(1, total / want);
    CountingOutput counter = new CountingOutput(OutputStream.nullOutputStream());
    try (ObjectOutputStream o = new ObjectOutputStream(counter)) {
      long header = counter.count;
      long next = 0;
      long seen = 0;
      int taken = 0;
      for (HeldList b : buckets) {
        int n = b.size() / 2;
        for (; taken < want && next < seen + n; taken++, next += stride) {
          int i = (int) (next - seen);
          o.writeObject(b.get(2 * i));
          o.writeObject(b.get(2 * i + 1));
        }
        seen += n;
      }
      o.flush();
      return OVERHEAD + (counter.count - header) / Math.max(1, taken);
    } catch (IOException | RuntimeException e) {
      return OVERHEAD + UNKNOWN; // not serializable: it fails with a clear message if it spills
    }
  }

  /** Writes a piece as one stream of Java serialization, noting the classes' loaders. */
  private static void write(List<Object> pairs, OutputStream out, Set<ClassLoader> loaders)
      throws IOException {
    ObjectOutputStream o = new ObjectOutputStream(out) {
      @Override
      protected void annotateClass(Class<?> c) {
        ClassLoader l = c.getClassLoader();
        if (l != null) {
          loaders.add(l); // a class only the caller's memory has (jshell): read it back there
        }
      }
    };
    o.writeInt(pairs.size() / 2);
    for (Object x : pairs) {
      o.writeObject(x);
    }
    o.flush(); // not closed: the file goes on with the split's next piece
  }

  /**
   * Reads what {@link #write} wrote from {@code in} (buffered by the caller), resolving classes
   * with the noted loaders first.
   */
  static void read(InputStream in, Collection<ClassLoader> loaders, Sink sink)
      throws IOException {
    ObjectInputStream o = new ObjectInputStream(in) {
      @Override
      protected Class<?> resolveClass(ObjectStreamClass desc)
          throws IOException, ClassNotFoundException {
        List<ClassLoader> ls = new ArrayList<>(loaders);
        ls.add(Thread.currentThread().getContextClassLoader()); // a worker's caller classes
        for (ClassLoader l : ls) {
          if (l != null) {
            try {
              return Class.forName(desc.getName(), false, l);
            } catch (ClassNotFoundException e) {
              // the next one
            }
          }
        }
        return super.resolveClass(desc);
      }
    };
    int n = o.readInt();
    try {
      for (int i = 0; i < n; i++) {
        Object key = o.readObject();
        sink.accept(key, o.readObject());
      }
    } catch (ClassNotFoundException e) {
      throw new IOException("a class of a spilled groupby piece is not found here: " + e, e);
    }
  }

  /** Feeds the pairs of any piece (a list in memory, or a {@link BagShufflePiece}). */
  static void forEach(Object piece, Sink sink) {
    if (piece instanceof BagShufflePiece p) {
      p.forEach(sink);
    } else {
      List<?> pairs = (List<?>) piece;
      for (int i = 0; i < pairs.size(); i += 2) {
        sink.accept(pairs.get(i), pairs.get(i + 1));
      }
    }
  }

  /** Releases a piece: once the task that gathers it has its result. */
  static void release(Object piece) {
    if (piece instanceof BagShufflePiece p) {
      p.release();
    } else if (piece instanceof HeldList h) {
      h.release();
    }
  }

  /**
   * One split task's spill file: deleted when the last of its pieces is released, or when no
   * piece reaches it any more (a failed or cancelled computation dropped them).
   */
  static final class SpillFile {
    final Path path;
    final AtomicInteger refs = new AtomicInteger();
    final Set<ClassLoader> loaders = ConcurrentHashMap.newKeySet();
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

  /** A piece in byte ranges (runs, in order) of a spill file; released at most once. */
  static final class Spilled extends BagShufflePiece {
    final SpillFile file;
    final long[] offsets;
    final long[] lengths;
    final long bytes;
    private final AtomicBoolean released = new AtomicBoolean();

    Spilled(SpillFile file, List<long[]> runs) {
      this.file = file;
      this.offsets = new long[runs.size()];
      this.lengths = new long[runs.size()];
      long sum = 0;
      for (int i = 0; i < offsets.length; i++) {
        offsets[i] = runs.get(i)[0];
        lengths[i] = runs.get(i)[1];
        sum += lengths[i];
      }
      this.bytes = sum;
    }

    @Override
    void forEach(Sink sink) {
      try (SeekableByteChannel ch = Files.newByteChannel(file.path)) {
        for (int i = 0; i < offsets.length; i++) {
          // a run may be a few hundred bytes: no 64 KiB buffer for each
          int buffer = (int) Math.min(1 << 16, Math.max(512, lengths[i]));
          read(new BufferedInputStream(run(ch, i), buffer), file.loaders, sink);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("reading a groupby piece from the spill file "
            + file.path + " (a piece is read only while its groupby runs; is the spill"
            + " directory on a disk that another process cleans?): " + e, e);
      }
    }

    /** Returns the bytes of run {@code i}, as {@link #write} wrote them; closes nothing. */
    InputStream run(SeekableByteChannel ch, int i) throws IOException {
      ch.position(offsets[i]);
      InputStream in = Channels.newInputStream(ch);
      return new InputStream() {
        long left = lengths[i];

        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          if (left <= 0) {
            return -1;
          }
          int n = in.read(b, off, (int) Math.min(len, left));
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
     * already gathered (released, its file maybe deleted): a split task's whole list may be
     * shipped for the one piece a task elsewhere needs after tasks here gathered others.
     * Each true is followed by {@link #unhold()}.
     */
    boolean holdUnlessGathered() {
      return !released.get() && file.retain();
    }

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
  private static final class CountingOutput extends FilterOutputStream {
    long count;

    CountingOutput(OutputStream out) {
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
