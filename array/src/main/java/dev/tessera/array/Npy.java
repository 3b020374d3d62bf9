package dev.tessera.array;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** NumPy's {@code .npy} format, version 1.0 written, 1.0 to 3.0 read; C or Fortran order. */
final class Npy {
  private Npy() {}

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  /** What a header says. */
  record Header(DType dtype, boolean fortran, long[] shape, int dataOffset) {}

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

  static Header header(byte[] bytes, Path file) throws IOException {
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes.length < 10 || bytes[i] != MAGIC[i]) {
        throw new IOException(file + ": not a .npy file (bad magic)");
      }
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int major = bytes[6];
    int len;
    int start;
    if (major == 1) {
      len = b.getShort(8) & 0xffff;
      start = 10;
    } else {
      len = b.getInt(8);
      start = 12;
    }
    String h = new String(bytes, start, len, StandardCharsets.ISO_8859_1);
    Matcher d = Pattern.compile("'descr':\\s*'([^']*)'").matcher(h);
    Matcher f = Pattern.compile("'fortran_order':\\s*(True|False)").matcher(h);
    Matcher s = Pattern.compile("'shape':\\s*\\(([^)]*)\\)").matcher(h);
    if (!d.find() || !f.find() || !s.find()) {
      throw new IOException(file + ": cannot parse .npy header " + h.trim());
    }
    DType t;
    try {
      t = DType.ofNpy(d.group(1));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage());
    }
    List<Long> dims = new ArrayList<>();
    for (String part : s.group(1).split(",")) {
      if (!part.isBlank()) {
        dims.add(Long.parseLong(part.trim().replace("L", "")));
      }
    }
    return new Header(t, f.group(1).equals("True"), dims.stream().mapToLong(Long::longValue)
        .toArray(), start + len);
  }

  static Header readHeader(Path file) throws IOException {
    byte[] head;
    try (var in = Files.newInputStream(file)) {
      head = in.readNBytes(4096);
    }
    return header(head, file);
  }

  static INDArray read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    Header h = header(bytes, file);
    int n = (int) Layout.size(h.shape());
    ByteBuffer b = ByteBuffer.wrap(bytes, h.dataOffset(), bytes.length - h.dataOffset())
        .order(ByteOrder.LITTLE_ENDIAN);
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
