package dev.tessera.array;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Where one block sits in its array: its block index, the global index of its first element,
 * and its shape. Given to {@link BlockSupplier}s.
 *
 * @param index the block index, one entry per axis
 * @param offset the global position of the block's first element
 * @param shape the block's shape
 */
public record BlockInfo(int[] index, long[] offset, long[] shape) implements Serializable {
  @Override
  public String toString() {
    return "BlockInfo(index=" + Arrays.toString(index) + ", offset=" + Arrays.toString(offset)
        + ", shape=" + Arrays.toString(shape) + ")";
  }
}
