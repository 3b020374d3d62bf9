package dev.tessera.array;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Pickler;
import net.razorvine.pickle.Unpickler;

/**
 * The {@code info} file of Dask's {@code to_npy_stack}: a pickled dict {@code {'chunks':
 * ((c00, c01, ...), (c10, ...), ...), 'dtype': numpy.dtype('float64'), 'axis': a}}, read
 * and written with Pyrolite (a pickle library for Java), so that stacks move between Dask and
 * Tessera both ways. Only this dict is accepted: the unpickler builds plain values and knows
 * one class, {@code numpy.dtype}, which it turns into a descriptor string, never running code
 * named by the file.
 */
final class DaskInfo {
  private DaskInfo() {}

  static final String FILE = "info";

  /** What the file says: every axis's chunks, the element type and the stacking axis. */
  record Info(long[][] chunks, DType dtype, int axis) {}

  static {
    // Pyrolite keeps its class table per JVM; these two entries are ours alone
    Unpickler.registerConstructor("numpy", "dtype", new DtypeConstructor());
    Pickler.registerCustomPickler(NumpyDtype.class, DaskInfo::pickleDtype);
  }

  /** Reads an {@code info} file. */
  static Info read(Path file) throws IOException {
    Object o;
    try {
      o = new Unpickler().loads(Files.readAllBytes(file));
    } catch (PickleException | IllegalArgumentException e) {
      throw new IOException(file + ": not a Dask npy-stack info pickle: " + e.getMessage(), e);
    }
    if (!(o instanceof Map<?, ?> m) || !(m.get("chunks") instanceof Object[] cs)
        || !(m.get("dtype") instanceof NumpyDtype dt) || !(m.get("axis") instanceof Number ax)) {
      throw new IOException(file + ": a Dask npy-stack info holds a dict with 'chunks' (a tuple"
          + " of tuples), 'dtype' (a numpy dtype) and 'axis'; this one holds " + o);
    }
    long[][] chunks = new long[cs.length][];
    for (int d = 0; d < cs.length; d++) {
      if (!(cs[d] instanceof Object[] c)) {
        throw new IOException(file + ": the chunks of axis " + d + " are not a tuple: " + cs[d]);
      }
      chunks[d] = new long[c.length];
      for (int i = 0; i < c.length; i++) {
        if (!(c[i] instanceof Number n) || n.doubleValue() != n.longValue()) {
          throw new IOException(file + ": chunk " + i + " of axis " + d + " is " + c[i]
              + ", not a whole number (Dask writes stacks only of arrays with known chunks)");
        }
        chunks[d][i] = n.longValue();
      }
    }
    DType t;
    try {
      t = DType.ofNpy(dt.descr());
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage());
    }
    return new Info(chunks, t, ax.intValue());
  }

  /** Writes an {@code info} file that Dask's {@code from_npy_stack} reads. */
  static void write(Path file, long[][] chunks, DType dtype, int axis) throws IOException {
    Object[] cs = new Object[chunks.length];
    for (int d = 0; d < chunks.length; d++) {
      Object[] c = new Object[chunks[d].length];
      for (int i = 0; i < c.length; i++) {
        c[i] = chunks[d][i];
      }
      cs[d] = c;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("chunks", cs);
    m.put("dtype", new NumpyDtype(dtype.npyDescr()));
    m.put("axis", axis);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new Pickler(false).dump(m, out);
    Files.write(file, out.toByteArray());
  }

  /**
   * A numpy dtype as pickled: {@code numpy.dtype('f8', False, True)}, then its state {@code
   * (3, '<', None, None, None, -1, -1, 0)} whose second item is the byte order. Public only
   * because the unpickler calls {@link #__setstate__} by reflection.
   */
  public static final class NumpyDtype {
    private String code;
    private String order = "|";

    NumpyDtype(String descr) {
      this.order = descr.substring(0, 1);
      this.code = descr.substring(1);
    }

    private NumpyDtype() {}

    /**
     * Takes the pickled state of a numpy dtype.
     *
     * @param state {@code (version, byteorder, ...)}
     */
    public void __setstate__(Object[] state) {
      if (state.length > 1 && state[1] instanceof String s) {
        order = s;
      }
    }

    String descr() {
      String o = order.equals("=") ? "<" : order;
      return (code.equals("b1") || code.equals("?") ? "|" : o.equals("|") ? "<" : o) + code;
    }
  }

  /** Builds {@link NumpyDtype} from {@code numpy.dtype(code, align, copy)}. */
  static final class DtypeConstructor implements IObjectConstructor {
    @Override
    public Object construct(Object[] args) {
      if (args.length < 1 || !(args[0] instanceof String code)) {
        throw new PickleException("numpy.dtype needs a type code, got " + List.of(args));
      }
      NumpyDtype d = new NumpyDtype();
      d.code = code;
      return d;
    }
  }

  private static void pickleDtype(Object o, OutputStream out, Pickler p) throws IOException {
    NumpyDtype d = (NumpyDtype) o;
    out.write(Opcodes.GLOBAL);
    out.write("numpy\ndtype\n".getBytes(StandardCharsets.US_ASCII));
    p.save(new Object[] {d.code, false, true});
    out.write(Opcodes.REDUCE);
    p.save(new Object[] {3, d.order, null, null, null, -1, -1, 0});
    out.write(Opcodes.BUILD);
  }
}
