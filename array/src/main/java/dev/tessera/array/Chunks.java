package dev.tessera.array;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * How to cut an array into blocks: a regular block shape, explicit (possibly ragged) chunk
 * sizes per axis in Dask's style, or {@code auto} from a target block size in bytes.
 *
 * <pre>{@code
 * Chunks.of(1000, 1000)                           // blocks of 1000 x 1000, the last ones smaller
 * Chunks.explicit(new long[] {3, 3, 4}, new long[] {10})  // ragged rows, one column block
 * Chunks.auto()                                   // about 128 MiB per block
 * }</pre>
 *
 * <p>Immutable. A value of -1 in {@link #of(long...)} means "the whole axis".
 */
public final class Chunks implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Dask's default target block size. */
  static final long DEFAULT_AUTO_BYTES = 128L << 20;

  private final long[] blockShape;
  private final long[][] explicit;
  private final long autoBytes;

  private Chunks(long[] blockShape, long[][] explicit, long autoBytes) {
    this.blockShape = blockShape;
    this.explicit = explicit;
    this.autoBytes = autoBytes;
  }

  /**
   * Returns regular chunks: blocks of this shape, the last block along each axis smaller.
   *
   * @param blockShape one size per axis, at least 1, or -1 for the whole axis
   * @return the specification
   */
  public static Chunks of(long... blockShape) {
    Objects.requireNonNull(blockShape, "blockShape");
    for (long b : blockShape) {
      if (b == 0 || b < -1) {
        throw new IllegalArgumentException("block sizes must be positive (or -1 for a whole"
            + " axis), got " + Arrays.toString(blockShape));
      }
    }
    return new Chunks(blockShape.clone(), null, 0);
  }

  /**
   * Returns explicit chunk sizes, one array per axis, which must sum to the shape.
   *
   * @param perAxis for each axis the sizes of its chunks, in order
   * @return the specification
   */
  public static Chunks explicit(long[]... perAxis) {
    Objects.requireNonNull(perAxis, "perAxis");
    long[][] copy = new long[perAxis.length][];
    for (int i = 0; i < perAxis.length; i++) {
      copy[i] = perAxis[i].clone();
    }
    return new Chunks(null, copy, 0);
  }

  /** {@return automatic chunks of about 128 MiB per block, as square as the shape allows} */
  public static Chunks auto() {
    return auto(DEFAULT_AUTO_BYTES);
  }

  /**
   * Returns automatic chunks of about {@code bytes} per block.
   *
   * @param bytes the target block size in bytes, positive
   * @return the specification
   */
  public static Chunks auto(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("auto chunk size must be positive, got " + bytes);
    }
    return new Chunks(null, null, bytes);
  }

  /**
   * Resolves this specification for an array's shape and type.
   *
   * @throws ArrayException if the rank does not match, or explicit chunks do not sum to the shape
   */
  long[][] resolve(long[] shape, DType dtype) {
    if (explicit != null) {
      return Layout.validate(shape, explicit);
    }
    if (blockShape != null) {
      if (blockShape.length != shape.length) {
        throw new ArrayException("chunks " + Arrays.toString(blockShape) + " have "
            + blockShape.length + " axes but the shape " + Arrays.toString(shape) + " has "
            + shape.length + "; give one block size per axis");
      }
      long[][] out = new long[shape.length][];
      for (int a = 0; a < shape.length; a++) {
        out[a] = Layout.regular(shape[a], blockShape[a] == -1 ? Math.max(1, shape[a])
            : blockShape[a]);
      }
      return out;
    }
    return Layout.auto(shape, dtype, autoBytes);
  }

  @Override
  public String toString() {
    if (explicit != null) {
      return "Chunks" + Arrays.deepToString(explicit);
    }
    return blockShape != null ? "Chunks" + Arrays.toString(blockShape)
        : "Chunks.auto(" + autoBytes + ")";
  }
}
