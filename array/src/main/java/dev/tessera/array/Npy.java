package dev.tessera.array;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * NumPy's {@code .npy} format: version 1.0 written (little-endian, C order), 1.0 to 3.0 read
 * (C or Fortran order, little- or big-endian, any shape including 0-d; see {@link NpyHeader}).
 */
final class Npy {
  private Npy() {}

  private static final byte[] MAGIC = NpyHeader.MAGIC;

  static void write(INDArray x, DType dtype, Path file) throws IOException {
    long[] shape = x.shape();
    StringBuilder sh = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sh.append(shape[i]).append(shape.length == 1 ? ",)" : i == shape.length - 1 ? ")" : ", ");
    }
    if (shape.length == 0) {
      sh.append(')');
    }
    String dict = "{'descr': '" + dtype.npyDescr() + "', 'fortran_order': False, 'shape': "
        + sh + ", }";
    int total = MAGIC.length + 2 + 2 + dict.length() + 1;
    int pad = (64 - total % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    long n = Layout.size(shape);
    ByteBuffer buf = ByteBuffer.allocate((int) (MAGIC.length + 4 + header.length()
        + n * dtype.itemSize())).order(ByteOrder.LITTLE_ENDIAN);
    buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length())
        .put(header.getBytes(StandardCharsets.US_ASCII));
    INDArray c = n == 0 ? x : Nd.cast(x, dtype).dup('c');
    switch (dtype) {
      case FLOAT64: for (double v : n == 0 ? new double[0] : c.data().asDouble()) buf.putDouble(v); break;
      case FLOAT32: for (float v : n == 0 ? new float[0] : c.data().asFloat()) buf.putFloat(v); break;
      case INT32: for (int v : n == 0 ? new int[0] : c.data().asInt()) buf.putInt(v); break;
      case INT64: for (long v : n == 0 ? new long[0] : c.data().asLong()) buf.putLong(v); break;
      default:
        for (long i = 0; i < n; i++) {
          buf.put((byte) (c.getDouble(i) != 0 ? 1 : 0));
        }
    }
    Files.write(file, buf.array());
  }

  static NpyHeader readHeader(Path file) throws IOException {
    return NpyHeader.read(file);
  }

  /**
   * Reads a whole file: little- or big-endian data (converted to the native order), C or
   * Fortran order, any shape including 0-d.
   *
   * @throws IOException naming the file when it is not a .npy file, its header is damaged or
   *     its data is shorter than the header promises
   */
  static INDArray read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    NpyHeader h = NpyHeader.parse(bytes, file);
    long need = h.dataBytes();
    long have = bytes.length - (long) h.dataOffset();
    if (have < need) {
      throw new IOException(file + ": truncated .npy data: shape " + Arrays.toString(h.shape())
          + " of " + h.dtype() + " needs " + need + " bytes after the header but the file has"
          + " only " + have + "; the file was cut short (an interrupted copy or write?)");
    }
    int n = (int) Layout.size(h.shape());
    ByteBuffer b = ByteBuffer.wrap(bytes, h.dataOffset(), (int) need).order(h.order());
    INDArray flat;
    switch (h.dtype()) {
      case FLOAT64: { double[] v = new double[n]; b.asDoubleBuffer().get(v); flat = Nd4j.createFromArray(v); break; }
      case FLOAT32: { float[] v = new float[n]; b.asFloatBuffer().get(v); flat = Nd4j.createFromArray(v); break; }
      case INT32: { int[] v = new int[n]; b.asIntBuffer().get(v); flat = Nd4j.createFromArray(v); break; }
      case INT64: { long[] v = new long[n]; b.asLongBuffer().get(v); flat = Nd4j.createFromArray(v); break; }
      default: {
        boolean[] v = new boolean[n];
        for (int i = 0; i < n; i++) {
          v[i] = b.get() != 0;
        }
        flat = Nd4j.createFromArray(v);
      }
    }
    if (n == 0) {
      return Nd4j.create(h.dtype().nd4j(), h.shape());
    }
    if (h.shape().length == 0) {
      return flat.reshape(new long[0]);
    }
    return h.fortran() ? flat.reshape('f', h.shape()).dup('c') : flat.reshape('c', h.shape());
  }

}
