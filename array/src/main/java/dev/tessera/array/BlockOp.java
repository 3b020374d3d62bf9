package dev.tessera.array;

import java.io.Serializable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What an elementwise layer does to its aligned input blocks, already broadcast to the output
 * block's shape.
 */
interface BlockOp extends Serializable {
  INDArray apply(INDArray[] blocks) throws Exception;
}
