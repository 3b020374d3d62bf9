package dev.tessera.bag;

import dev.tessera.graph.spi.Codec;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Ships a {@link BagShufflePiece} between processes as the bytes of its spill file, copied as
 * they are (Java serialization of its keys and elements, run by run); the receiver keeps the
 * bytes in memory if they fit its own {@link BagShuffleMemory#budget()}, else in a file of its
 * own spill directory, and reads them when its gathering task runs, with that task's class
 * loader. A spilled piece that its gathering task already consumed here travels as a one-byte
 * marker: the receiver needs another piece of the same list, and a gathered piece's file may
 * be gone. Pieces in memory
 * are plain lists and travel with the ordinary codecs. Found by every process through
 * {@code META-INF/services}.
 */
public final class BagShufflePieceCodec implements Codec<BagShufflePiece> {
  private static final int BYTES = 0;
  private static final int GATHERED = 1;

  /** Creates the codec; the service loader calls this. */
  public BagShufflePieceCodec() {}

  @Override
  public String id() {
    return "bag-shuffle-piece";
  }

  @Override
  public Class<BagShufflePiece> type() {
    return BagShufflePiece.class;
  }

  @Override
  public void write(BagShufflePiece value, DataOutputStream out) throws IOException {
    if (value instanceof BagSpill.Spilled s) {
      if (!s.holdUnlessGathered()) {
        out.writeByte(GATHERED);
        return;
      }
      try {
        out.writeByte(BYTES);
        out.writeLong(s.bytes);
        out.writeInt(s.lengths.length);
        try (java.nio.channels.SeekableByteChannel ch = java.nio.file.Files.newByteChannel(
            s.file.path)) {
          for (int i = 0; i < s.lengths.length; i++) {
            out.writeLong(s.lengths[i]);
            s.run(ch, i).transferTo(out);
          }
        }
      } finally {
        s.unhold();
      }
    } else if (value instanceof Received r) {
      out.writeByte(BYTES);
      out.writeLong(r.bytes);
      out.writeInt(r.runs.size());
      for (byte[] run : r.runs) {
        out.writeLong(run.length);
        out.write(run);
      }
    } else {
      out.writeByte(GATHERED);
    }
  }

  @Override
  public BagShufflePiece read(DataInputStream in) throws IOException {
    int marker = in.readUnsignedByte();
    if (marker == GATHERED) {
      return new Gathered();
    }
    if (marker != BYTES) {
      throw new IOException("not a bag shuffle piece: marker byte " + marker);
    }
    long total = in.readLong();
    int count = in.readInt();
    if (total < 0 || count < 0) {
      throw new IOException("not a bag shuffle piece: " + total + " bytes in " + count + " runs");
    }
    if (BagSpill.reserve(total)) {
      List<byte[]> runs = new ArrayList<>(count);
      try {
        for (int i = 0; i < count; i++) {
          long n = in.readLong();
          if (n > Integer.MAX_VALUE - 8) {
            throw new IOException("a run of " + n + " bytes does not fit an array");
          }
          byte[] run = new byte[(int) n];
          in.readFully(run);
          runs.add(run);
        }
      } catch (IOException | RuntimeException | Error e) {
        BagSpill.unreserve(total);
        throw e;
      }
      Received r = new Received(runs, total);
      r.cleanable = BagSpill.account(r, total);
      return r;
    }
    return BagSpill.receive(in, count); // past this JVM's budget too: into a file here
  }

  @Override
  public long sizeOf(BagShufflePiece value) {
    return value instanceof BagSpill.Spilled s ? 13 + s.bytes + 8L * s.lengths.length
        : value instanceof Received r ? 13 + r.bytes + 8L * r.runs.size() : 1;
  }

  /**
   * A spilled piece received from another process: the bytes of its runs, counted against
   * this JVM's budget, read when gathered.
   */
  static final class Received extends BagShufflePiece {
    final List<byte[]> runs;
    final long bytes;
    java.lang.ref.Cleaner.Cleanable cleanable;

    Received(List<byte[]> runs, long bytes) {
      this.runs = runs;
      this.bytes = bytes;
    }

    @Override
    void forEach(BagSpill.Sink sink) {
      try {
        for (byte[] run : runs) {
          BagSpill.read(new ByteArrayInputStream(run), List.of(), sink);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("reading a groupby piece received from another"
            + " process: " + e, e);
      }
    }

    @Override
    void release() {
      cleanable.clean();
    }
  }

  /** A piece its gatherer consumed in the process it came from: no task here reads it. */
  static final class Gathered extends BagShufflePiece {
    @Override
    void forEach(BagSpill.Sink sink) {
      throw new IllegalStateException("this groupby piece was gathered in the process that cut"
          + " it before its list was shipped here; only the list's other pieces can be read");
    }

    @Override
    void release() {}
  }
}
