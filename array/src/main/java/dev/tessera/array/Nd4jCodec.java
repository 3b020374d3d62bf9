package dev.tessera.array;

import dev.tessera.graph.spi.Codec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Ships ND4J arrays between processes in ND4J's own binary form (shape, data type and the raw
 * buffer), so a block costs its size in bytes and no per-element work. Found by every process
 * through {@code META-INF/services}.
 */
public final class Nd4jCodec implements Codec<INDArray> {
  /** Creates the codec; the service loader calls this. */
  public Nd4jCodec() {}

  @Override
  public String id() {
    return "nd4j";
  }

  @Override
  public Class<INDArray> type() {
    return INDArray.class;
  }

  @Override
  public void write(INDArray value, DataOutputStream out) throws IOException {
    // a view would drag its whole parent buffer along (or be written wrongly): copy it
    Nd4j.write(value.isView() ? value.dup() : value, out);
  }

  @Override
  public INDArray read(DataInputStream in) throws IOException {
    return Nd4j.read(in);
  }

  @Override
  public long sizeOf(INDArray value) {
    return value.length() * value.dataType().width();
  }
}
