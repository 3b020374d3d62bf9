package dev.tessera.array;

import dev.tessera.graph.Lazy;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Layer;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskFunction;
import dev.tessera.graph.core.TaskGraph;
import dev.tessera.graph.core.Tokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Dask's npy stack: a directory of {@code 0.npy, 1.npy, ...}, one per block along one axis,
 * and Dask's pickled {@code info} ({@link DaskInfo}) with every axis's chunks, the dtype and
 * the axis. Read: Dask's {@code info}, else the {@code info.json} that earlier Tessera
 * versions wrote, else plain numbered files joined along axis 0 (their headers give the
 * chunks), which must be numbered without gaps. Written: the blocks and {@code info}, after
 * which files of an older, longer stack in the same directory are removed.
 */
final class NpyStack {
  private NpyStack() {}

  static final String OLD_INFO = "info.json";
  private static final Pattern NUMBERED = Pattern.compile("(0|[1-9][0-9]{0,8})\\.npy");

  static List<String> write(Array a, Path dirIn, int axisIn, Scheduler scheduler) {
    Objects.requireNonNull(dirIn, "dir");
    int axis = Layout.axis(axisIn, a.ndim(), "toNpyStack");
    if (!Layout.known(a.chunks)) {
      throw new ArrayException("toNpyStack: " + a + " has unknown chunk sizes; call"
          + " computeChunkSizes() first");
    }
    Path dir = dirIn.toAbsolutePath().normalize();
    refuseSelfOverwrite(a, dir);
    long[][] want = Layout.copy(a.chunks);
    for (int d = 0; d < a.ndim(); d++) {
      if (d != axis) {
        want[d] = new long[] {a.shape[d]};
      }
    }
    Array x = Rechunk.rechunk(a, want);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("toNpyStack: cannot create " + dir, e);
    }
    String name = Tokens.name("to-npy-stack", x, dir.toString());
    Map<Key, Task> tasks = new LinkedHashMap<>();
    List<Key> keys = new ArrayList<>();
    int n = x.chunks[axis].length;
    for (int i = 0; i < n; i++) {
      int[] idx = new int[a.ndim()];
      idx[axis] = i;
      Key k = Key.of(name, i);
      tasks.put(k, Task.of(new WriteNpy(dir.resolve(i + ".npy").toString(), a.dtype),
          x.blockKey(idx)));
      keys.add(k);
    }
    TaskGraph g = TaskGraph.of(Layer.of(name, "to-npy-stack", tasks), x.graph());
    List<String> files = new ArrayList<>();
    for (Object f : Lazy.of(g, keys, values -> values).compute(scheduler)) {
      files.add((String) f);
    }
    try {
      DaskInfo.write(dir.resolve(DaskInfo.FILE), x.chunks, a.dtype, axis);
      // what an older stack left: its info.json and the blocks past our last one
      Files.deleteIfExists(dir.resolve(OLD_INFO));
      for (Map.Entry<Integer, Path> e : numbered(dir).entrySet()) {
        if (e.getKey() >= n) {
          Files.delete(e.getValue());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("toNpyStack: cannot finish the stack in " + dir + ": "
          + e.getMessage(), e);
    }
    return files;
  }

  /** Writing over the files the array reads would read half-written blocks: refused. */
  private static void refuseSelfOverwrite(Array a, Path dir) {
    for (Task t : a.graph().tasks().values()) {
      if (t.function() instanceof ReadNpy r && Path.of(r.file()).toAbsolutePath().normalize()
          .getParent().equals(dir)) {
        throw new ArrayException("toNpyStack: " + a + " reads " + r.file() + ", in the"
            + " directory it would write; write to another directory (then move it), or"
            + " persist() the array first");
      }
    }
  }

  record WriteNpy(String file, DType dtype) implements TaskFunction {
    @Override
    public Object apply(Object[] args) throws IOException {
      Npy.write((INDArray) args[0], dtype, Path.of(file));
      return file;
    }
  }

  record ReadNpy(String file, long[] shape, DType dtype) implements TaskFunction {
    @Override
    public Object apply(Object[] args) throws IOException {
      INDArray x = Memory.track(Npy.read(Path.of(file)));
      if (!Nd.sameShape(x, shape)) {
        throw new IOException(file + " holds shape " + Arrays.toString(x.shape())
            + " but the stack's metadata says " + Arrays.toString(shape));
      }
      return Nd.cast(x, dtype);
    }
  }

  static Array read(Path dir) {
    Objects.requireNonNull(dir, "dir");
    if (!Files.isDirectory(dir)) {
      throw new ArrayException("fromNpyStack: no such directory: " + dir.toAbsolutePath());
    }
    long[] shape;
    int axis;
    DType dtype;
    long[][] chunks;
    try {
      Map<Integer, Path> files = numbered(dir);
      Path info = dir.resolve(DaskInfo.FILE);
      Path json = dir.resolve(OLD_INFO);
      if (Files.exists(info)) {
        DaskInfo.Info i = DaskInfo.read(info);
        chunks = i.chunks();
        axis = i.axis();
        dtype = i.dtype();
        shape = new long[chunks.length];
        for (int d = 0; d < chunks.length; d++) {
          shape[d] = Arrays.stream(chunks[d]).sum();
        }
        requireFiles(dir, files, axis < chunks.length ? chunks[axis].length : 0, info);
      } else if (Files.exists(json)) {
        String s = Files.readString(json, StandardCharsets.UTF_8);
        shape = longs(field(s, "shape", json));
        axis = Integer.parseInt(field(s, "axis", json).trim());
        dtype = DType.ofNpy(field(s, "dtype", json).replace("\"", "").trim());
        long[] axisChunks = longs(field(s, "chunks", json));
        chunks = new long[shape.length][];
        for (int d = 0; d < shape.length; d++) {
          chunks[d] = d == axis ? axisChunks : new long[] {shape[d]};
        }
        requireFiles(dir, files, axisChunks.length, json);
      } else {
        return plain(dir, files);
      }
    } catch (IOException e) {
      ArrayException x = new ArrayException("fromNpyStack: cannot read " + dir + ": "
          + e.getMessage());
      x.initCause(e);
      throw x;
    }
    if (axis < 0 || axis >= Math.max(1, shape.length)) {
      throw new ArrayException("fromNpyStack: " + dir + " stacks along axis " + axis + " but"
          + " its arrays have " + shape.length + " dimensions");
    }
    return of(dir, shape, chunks, axis, dtype);
  }

  /** A stack without metadata: numbered files, without gaps, joined along axis 0. */
  private static Array plain(Path dir, Map<Integer, Path> files) throws IOException {
    if (files.isEmpty()) {
      throw new ArrayException("fromNpyStack: " + dir + " has neither Dask's " + DaskInfo.FILE
          + " nor " + OLD_INFO + " nor 0.npy; a stack is 0.npy, 1.npy, ... in one directory");
    }
    requireFiles(dir, files, files.size(), null);
    List<NpyHeader> hs = new ArrayList<>();
    for (Path f : files.values()) {
      hs.add(NpyHeader.read(f));
    }
    NpyHeader first = hs.get(0);
    if (first.shape().length == 0) {
      if (hs.size() > 1) {
        throw new ArrayException("fromNpyStack: " + dir + " holds " + hs.size() + " 0-d arrays"
            + " (0.npy is 0-d), which cannot be joined along an axis; save them as one 1-d"
            + " array");
      }
      return of(dir, new long[0], new long[0][], 0, first.dtype());
    }
    long[] shape = first.shape().clone();
    long[] axisChunks = new long[hs.size()];
    long total = 0;
    for (int i = 0; i < hs.size(); i++) {
      NpyHeader h = hs.get(i);
      boolean same = h.shape().length == shape.length && h.dtype() == first.dtype();
      for (int d = 1; same && d < shape.length; d++) {
        same = h.shape()[d] == shape[d];
      }
      if (!same) {
        throw new ArrayException("fromNpyStack: " + dir.resolve(i + ".npy") + " has shape "
            + Arrays.toString(h.shape()) + " and dtype " + h.dtype() + " but 0.npy has "
            + Arrays.toString(shape) + " and " + first.dtype() + "; without an info file the"
            + " files are joined along axis 0, so every other axis and the dtype must agree");
      }
      axisChunks[i] = h.shape()[0];
      total += h.shape()[0];
    }
    shape[0] = total;
    long[][] chunks = new long[shape.length][];
    for (int d = 0; d < shape.length; d++) {
      chunks[d] = d == 0 ? axisChunks : new long[] {shape[d]};
    }
    return of(dir, shape, chunks, 0, first.dtype());
  }

  private static Array of(Path dir, long[] shape, long[][] chunks, int axis, DType dtype) {
    Layout.validate(shape, chunks);
    String name = Tokens.name("from-npy-stack", dir.toAbsolutePath().toString(),
        UUID.randomUUID().toString());
    Map<Key, Task> tasks = new LinkedHashMap<>();
    int blocks = shape.length == 0 ? 1 : chunks[axis].length;
    for (int i = 0; i < blocks; i++) {
      int[] idx = new int[shape.length];
      if (shape.length > 0) {
        idx[axis] = i;
      }
      tasks.put(Key.of(name, idx), Task.of(new ReadNpy(dir.resolve(i + ".npy").toString(),
          Layout.blockShape(chunks, idx), dtype)));
    }
    return Array.of(name, "from-npy-stack", tasks, shape, chunks, dtype, List.of());
  }

  /** The files {@code 0.npy, 1.npy, ...} of a directory, by number. */
  static Map<Integer, Path> numbered(Path dir) throws IOException {
    Map<Integer, Path> out = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.list(dir)) {
      s.forEach(p -> {
        Matcher m = NUMBERED.matcher(p.getFileName().toString());
        if (m.matches() && Files.isRegularFile(p)) {
          out.put(Integer.parseInt(m.group(1)), p);
        }
      });
    }
    return out;
  }

  /** Refuses a stack whose files are not exactly {@code 0.npy ... (n-1).npy} (extra ones allowed with metadata). */
  private static void requireFiles(Path dir, Map<Integer, Path> files, int n, Path info) {
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (!files.containsKey(i)) {
        missing.add(i);
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    List<String> found = new ArrayList<>();
    files.keySet().forEach(i -> found.add(i + ".npy"));
    List<String> want = new ArrayList<>();
    missing.forEach(i -> want.add(i + ".npy"));
    if (info == null) {
      throw new ArrayException("fromNpyStack: " + dir + " has no info file and its numbered"
          + " files " + found + " have a gap: " + want + " missing; a stack is 0.npy, 1.npy,"
          + " ... without gaps: restore the missing files or remove the ones after the gap");
    }
    throw new ArrayException("fromNpyStack: " + info + " describes " + n + " blocks but "
        + want + " are missing (found " + found + "); restore them or write the stack again");
  }

  private static String field(String json, String key, Path file) {
    Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*(\\[[^\\]]*\\]|\"[^\"]*\"|-?\\d+)")
        .matcher(json);
    if (!m.find()) {
      throw new ArrayException("fromNpyStack: " + file + " has no \"" + key + "\"");
    }
    return m.group(1);
  }

  private static long[] longs(String list) {
    String inner = list.trim().replaceAll("^\\[|\\]$", "");
    if (inner.isBlank()) {
      return new long[0];
    }
    return Arrays.stream(inner.split(",")).mapToLong(x -> Long.parseLong(x.trim())).toArray();
  }
}
