package dev.tessera.array;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The header of a NumPy {@code .npy} file (format versions 1.0, 2.0 and 3.0): the magic
 * string, the version, the header length (2 bytes in 1.0, 4 in 2.0 and 3.0, so a header may
 * be longer than 64 KB there) and a Python dict literal with {@code descr}, {@code
 * fortran_order} and {@code shape}. The dict is parsed as the Python literal it is (strings in
 * either quote, {@code True}/{@code False}, tuples, trailing commas), not matched by patterns.
 *
 * <p>Every problem is an {@link IOException} naming the file and what is wrong: a file too
 * short for its preamble, a header cut short, a descriptor that is not supported.
 *
 * @param dtype the element type
 * @param order the byte order of the data: little-endian, or big-endian for {@code '>'}
 *     descriptors (converted on read)
 * @param fortran whether the data is in Fortran (column-major) order
 * @param shape the shape; empty for a 0-d array
 * @param dataOffset where the data starts
 */
record NpyHeader(DType dtype, ByteOrder order, boolean fortran, long[] shape, int dataOffset) {
  static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  /** The largest header read: NumPy itself refuses headers above 10 KB unless told. */
  static final int MAX_HEADER = 1 << 24;

  /** Returns the number of data bytes the header promises. */
  long dataBytes() {
    return Layout.size(shape) * dtype.itemSize();
  }

  /** Reads only the header of a file, however long it is. */
  static NpyHeader read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] pre = in.readNBytes(12);
      int[] lenAndStart = preamble(pre, file);
      byte[] all = Arrays.copyOf(pre, lenAndStart[1] + lenAndStart[0]);
      int have = Math.min(pre.length, all.length);
      int got = in.readNBytes(all, have, all.length - have);
      return parse(Arrays.copyOf(all, have + got), file);
    }
  }

  /** Parses the header at the start of {@code bytes} (the whole file, or at least the header). */
  static NpyHeader parse(byte[] bytes, Path file) throws IOException {
    int[] lenAndStart = preamble(bytes, file);
    int len = lenAndStart[0];
    int start = lenAndStart[1];
    if (bytes.length < start + len) {
      throw new IOException(file + ": truncated .npy header: the preamble announces "
          + len + " header bytes but the file ends after " + (bytes.length - start)
          + " of them; the file was cut short (an interrupted copy or write?)");
    }
    String text = new String(bytes, start, len, bytes[6] == 3 ? StandardCharsets.UTF_8
        : StandardCharsets.ISO_8859_1);
    Object parsed;
    try {
      parsed = new Literal(text).top();
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": the .npy header is not a Python dict literal ("
          + e.getMessage() + "): " + abbreviate(text));
    }
    if (!(parsed instanceof Map<?, ?> dict)) {
      throw new IOException(file + ": the .npy header is not a dict: " + abbreviate(text));
    }
    Object descr = dict.get("descr");
    Object fortran = dict.get("fortran_order");
    Object shape = dict.get("shape");
    if (descr == null || fortran == null || shape == null) {
      throw new IOException(file + ": the .npy header lacks 'descr', 'fortran_order' or"
          + " 'shape': " + abbreviate(text));
    }
    if (!(descr instanceof String d)) {
      throw new IOException(file + ": structured dtype " + abbreviate(descr.toString())
          + " is not supported; save each field as its own array");
    }
    if (!(fortran instanceof Boolean f) || !(shape instanceof List<?> dims)) {
      throw new IOException(file + ": the .npy header has a malformed 'fortran_order' or"
          + " 'shape': " + abbreviate(text));
    }
    long[] sh = new long[dims.size()];
    for (int i = 0; i < sh.length; i++) {
      if (!(dims.get(i) instanceof Long v) || v < 0) {
        throw new IOException(file + ": the .npy header has a malformed shape " + dims);
      }
      sh[i] = v;
    }
    ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    String base = d;
    if (!d.isEmpty() && "<>|=".indexOf(d.charAt(0)) >= 0) {
      order = d.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
      base = d.substring(1);
    }
    DType t;
    try {
      t = DType.ofNpy((base.equals("b1") || base.equals("?") ? "|" : "<") + base);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": unsupported NumPy dtype '" + d + "'; supported: f8, f4,"
          + " i4, i8 (either byte order, such as '<f8' or '>f8') and b1; convert it with"
          + " numpy's astype before saving");
    }
    return new NpyHeader(t, order, f, sh, start + len);
  }

  /** Checks the magic string and version; returns {header length, header start}. */
  private static int[] preamble(byte[] bytes, Path file) throws IOException {
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes.length <= i || bytes[i] != MAGIC[i]) {
        throw new IOException(file + ": not a .npy file: " + (bytes.length <= i
            ? "it has only " + bytes.length + " bytes" : "it does not start with \\x93NUMPY"));
      }
    }
    if (bytes.length < 10) {
      throw new IOException(file + ": truncated .npy file: " + bytes.length
          + " bytes, fewer than the 10-byte preamble");
    }
    int major = bytes[6];
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (major == 1) {
      return new int[] {b.getShort(8) & 0xffff, 10};
    }
    if (major != 2 && major != 3) {
      throw new IOException(file + ": .npy format version " + major + "." + bytes[7]
          + " is not supported (1.0, 2.0 and 3.0 are)");
    }
    if (bytes.length < 12) {
      throw new IOException(file + ": truncated .npy file: " + bytes.length
          + " bytes, fewer than the 12-byte preamble of format " + major + ".0");
    }
    long len = b.getInt(8) & 0xffffffffL;
    if (len > MAX_HEADER) {
      throw new IOException(file + ": the .npy header announces " + len + " bytes, more than"
          + " the " + MAX_HEADER + " read; the file is damaged or not a plain array");
    }
    return new int[] {(int) len, 12};
  }

  private static String abbreviate(String s) {
    String t = s.trim();
    return t.length() > 200 ? t.substring(0, 200) + "..." : t;
  }

  /**
   * A parser of the Python literals a {@code .npy} header holds: dicts, tuples and lists
   * (both become lists), strings, integers (an {@code L} suffix allowed), booleans and None.
   */
  private static final class Literal {
    private final String s;
    private int p;

    Literal(String s) {
      this.s = s;
    }

    Object top() {
      Object v = value();
      space();
      if (p != s.length()) {
        throw new IllegalArgumentException("unexpected '" + s.charAt(p) + "' at " + p);
      }
      return v;
    }

    private void space() {
      while (p < s.length() && Character.isWhitespace(s.charAt(p))) {
        p++;
      }
    }

    private Object value() {
      space();
      if (p >= s.length()) {
        throw new IllegalArgumentException("it ends early");
      }
      char c = s.charAt(p);
      if (c == '{') {
        Map<Object, Object> m = new LinkedHashMap<>();
        p++;
        while (!close('}')) {
          Object k = value();
          space();
          expect(':');
          m.put(k, value());
          comma('}');
        }
        return m;
      }
      if (c == '(' || c == '[') {
        char end = c == '(' ? ')' : ']';
        List<Object> xs = new ArrayList<>();
        p++;
        while (!close(end)) {
          xs.add(value());
          comma(end);
        }
        return xs;
      }
      if (c == '\'' || c == '"') {
        int e = s.indexOf(c, p + 1);
        if (e < 0) {
          throw new IllegalArgumentException("a string is not closed");
        }
        String v = s.substring(p + 1, e);
        p = e + 1;
        return v;
      }
      int from = p;
      while (p < s.length() && (Character.isLetterOrDigit(s.charAt(p)) || s.charAt(p) == '-'
          || s.charAt(p) == '_')) {
        p++;
      }
      String w = s.substring(from, p);
      switch (w) {
        case "True": return Boolean.TRUE;
        case "False": return Boolean.FALSE;
        case "None": return "None";
        default:
          try {
            return Long.parseLong(w.endsWith("L") ? w.substring(0, w.length() - 1) : w);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unexpected '" + (w.isEmpty()
                ? String.valueOf(c) : w) + "' at " + from);
          }
      }
    }

    private boolean close(char end) {
      space();
      if (p < s.length() && s.charAt(p) == end) {
        p++;
        return true;
      }
      if (p >= s.length()) {
        throw new IllegalArgumentException("it ends before '" + end + "'");
      }
      return false;
    }

    private void comma(char end) {
      space();
      if (p < s.length() && s.charAt(p) == ',') {
        p++;
      } else if (p >= s.length() || s.charAt(p) != end) {
        throw new IllegalArgumentException("expected ',' or '" + end + "' at " + p);
      }
    }

    private void expect(char c) {
      if (p >= s.length() || s.charAt(p) != c) {
        throw new IllegalArgumentException("expected '" + c + "' at " + p);
      }
      p++;
    }
  }
}
