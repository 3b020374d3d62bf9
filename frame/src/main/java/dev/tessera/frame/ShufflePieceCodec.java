package dev.tessera.frame;

import dev.tessera.graph.spi.Codec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Ships a {@link ShufflePiece} between processes as its table, in {@link TableCodec}'s format
 * (a spilled piece's bytes in its file are that format already: they are copied as they are). The
 * receiving process gets the piece in memory. A piece that its gathering task already consumed
 * here travels as a one-byte marker: the receiver needs another piece of the same list, and a
 * gathered piece's file may be gone. Found by every process through {@code META-INF/services}.
 */
public final class ShufflePieceCodec implements Codec<ShufflePiece> {
  private static final TableCodec TABLES = new TableCodec();

  /** Creates the codec; the service loader calls this. */
  public ShufflePieceCodec() {}

  @Override
  public String id() {
    return "shuffle-piece";
  }

  @Override
  public Class<ShufflePiece> type() {
    return ShufflePiece.class;
  }

  @Override
  public void write(ShufflePiece value, DataOutputStream out) throws IOException {
    if (value instanceof Spill.Spilled s) {
      if (!s.holdUnlessGathered()) {
        out.writeByte(GATHERED);
        return;
      }
      try (InputStream in = s.open()) {
        out.writeByte(TABLE);
        in.transferTo(out);
      } finally {
        s.unhold();
      }
    } else {
      out.writeByte(TABLE);
      TABLES.write(value.table(), out);
    }
  }

  @Override
  public ShufflePiece read(DataInputStream in) throws IOException {
    int marker = in.readUnsignedByte();
    if (marker == GATHERED) {
      return new Gathered();
    }
    if (marker != TABLE) {
      throw new IOException("not a shuffle piece: marker byte " + marker);
    }
    return new Spill.Held(TABLES.read(in), () -> {});
  }

  @Override
  public long sizeOf(ShufflePiece value) {
    return 1 + (value instanceof Spill.Spilled s ? s.bytes : TABLES.sizeOf(value.table()));
  }

  private static final int TABLE = 0;
  private static final int GATHERED = 1;

  /** A piece its gatherer consumed in the process it came from: no task here reads it. */
  private static final class Gathered extends ShufflePiece {
    @Override
    tech.tablesaw.api.Table table() {
      throw new IllegalStateException("this shuffle piece was gathered in the process that cut"
          + " it before its list was shipped here; only the list's other pieces can be read");
    }

    @Override
    void release() {}
  }
}
