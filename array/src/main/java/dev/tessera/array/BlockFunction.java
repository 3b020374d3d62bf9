package dev.tessera.array;

import java.io.Serializable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A user function applied to blocks: for {@link Array#mapBlocks} and {@link Array#blockwise}.
 * It must not modify its input blocks, nor keep references to them after returning: a block
 * no other task needs may be recycled for the next block once the function is done.
 */
@FunctionalInterface
public interface BlockFunction extends Serializable {
  /**
   * Computes one output block.
   *
   * @param blocks the input blocks, one per input array, in order (for a contracted index of
   *     {@link Array#blockwise}, the blocks along it joined)
   * @return the output block
   * @throws Exception anything; reported with the block's key
   */
  INDArray apply(INDArray... blocks) throws Exception;
}
