package dev.tessera.frame;

import dev.tessera.graph.spi.Codec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Ships a {@link ShufflePiece} between processes as its table, in {@link TableCodec}'s format
 * (a spilled piece's bytes in its file are that format already: they are copied as they are). The
 * receiving process gets the piece in memory. Found by every process through
 * {@code META-INF/services}.
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
      try (InputStream in = s.open()) {
        in.transferTo(out);
      }
    } else {
      TABLES.write(value.table(), out);
    }
  }

  @Override
  public ShufflePiece read(DataInputStream in) throws IOException {
    return new Spill.Held(TABLES.read(in), () -> {});
  }

  @Override
  public long sizeOf(ShufflePiece value) {
    return value instanceof Spill.Spilled s ? s.bytes : TABLES.sizeOf(value.table());
  }
}
