package dev.tessera.frame;

import tech.tablesaw.api.Table;

/**
 * A piece of a shuffle in flight, between the task that cut it and the task that gathers it:
 * a table in memory, or in a spill file when the pieces held in memory would pass
 * {@link ShuffleMemory#budget()}. Only the shuffle's own tasks use it; between processes it
 * travels as its table ({@link ShufflePieceCodec}).
 */
public abstract class ShufflePiece {
  ShufflePiece() {}

  /** Returns the table (a spilled piece reads its file, which stays until release). */
  abstract Table table();

  /** Gives the piece's memory or file back; idempotent. */
  abstract void release();
}
