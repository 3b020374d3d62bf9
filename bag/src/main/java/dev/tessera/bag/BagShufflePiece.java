package dev.tessera.bag;

/**
 * A piece of a {@link Bag#groupby} shuffle that is not simply in this JVM's memory: spilled to
 * a file of this JVM's spill directory (past {@link BagShuffleMemory#budget()}), or received
 * from another JVM as the bytes of such a file. Pieces in memory are plain lists. Only the
 * groupby's own tasks use it; between processes it travels as its bytes
 * ({@link BagShufflePieceCodec}).
 */
public abstract class BagShufflePiece {
  BagShufflePiece() {}

  /** Feeds the piece's (key, element) pairs to {@code sink}, in bag order. */
  abstract void forEach(BagSpill.Sink sink);

  /** Gives the piece's file back; idempotent. */
  abstract void release();
}
