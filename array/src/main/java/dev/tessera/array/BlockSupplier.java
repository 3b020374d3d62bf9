package dev.tessera.array;

import java.io.Serializable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Makes one block from its position, inside that block's task: for
 * {@link Array#fromBlockFunction}.
 */
@FunctionalInterface
public interface BlockSupplier extends Serializable {
  /**
   * Returns the block.
   *
   * @param info the block's index, offset and shape
   * @return an array of exactly {@code info.shape()}
   * @throws Exception anything; reported with the block's key
   */
  INDArray apply(BlockInfo info) throws Exception;
}
