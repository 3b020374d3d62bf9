package dev.tessera.array;

import dev.tessera.graph.Key;
import dev.tessera.graph.Lazy;
import dev.tessera.graph.Layer;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.Task;
import dev.tessera.graph.TaskFunction;
import dev.tessera.graph.TaskGraph;
import dev.tessera.graph.Tokens;
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
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Stores arrays: a directory of {@code .npy} blocks (Dask's npy stack: blocks {@code 0.npy,
 * 1.npy, ...} along one axis, plus {@code info.json} with the shape, chunks, dtype and axis),
 * and into a preallocated {@link INDArray}.
 */
final class Storage {
  private Storage() {}

  static final String INFO = "info.json";

  static void toNpyStack(Array a, Path dir, int axisIn, Scheduler scheduler) {
    int axis = Layout.axis(axisIn, a.ndim(), "toNpyStack");
    if (!Layout.known(a.chunks)) {
      throw new ArrayException("toNpyStack: " + a + " has unknown chunk sizes; call"
          + " computeChunkSizes() first");
    }
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
    for (int i = 0; i < x.chunks[axis].length; i++) {
      int[] idx = new int[a.ndim()];
      idx[axis] = i;
      Key k = Key.of(name, i);
      tasks.put(k, Task.of(new WriteNpy(dir.resolve(i + ".npy").toString(), a.dtype),
          x.blockKey(idx)));
      keys.add(k);
    }
    TaskGraph g = TaskGraph.of(Layer.of(name, "to-npy-stack", tasks), x.graph());
    Lazy.of(g, keys, values -> values).compute(scheduler);
    StringBuilder info = new StringBuilder("{\"shape\": ").append(Arrays.toString(a.shape))
        .append(", \"axis\": ").append(axis).append(", \"dtype\": \"")
        .append(a.dtype.npyDescr()).append("\", \"chunks\": ")
        .append(Arrays.toString(x.chunks[axis])).append("}\n");
    try {
      Files.writeString(dir.resolve(INFO), info.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("toNpyStack: cannot write " + dir.resolve(INFO), e);
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

  static Array fromNpyStack(Path dir) {
    Path info = dir.resolve(INFO);
    long[] shape;
    int axis;
    DType dtype;
    long[] axisChunks;
    try {
      if (Files.exists(info)) {
        String s = Files.readString(info, StandardCharsets.UTF_8);
        shape = longs(field(s, "shape", info));
        axis = Integer.parseInt(field(s, "axis", info).trim());
        dtype = DType.ofNpy(field(s, "dtype", info).replace("\"", "").trim());
        axisChunks = longs(field(s, "chunks", info));
      } else {
        // a stack NumPy wrote: 0.npy, 1.npy, ... joined along axis 0
        List<Npy.Header> hs = new ArrayList<>();
        for (int i = 0; Files.exists(dir.resolve(i + ".npy")); i++) {
          hs.add(Npy.readHeader(dir.resolve(i + ".npy")));
        }
        if (hs.isEmpty()) {
          throw new ArrayException("fromNpyStack: " + dir + " has neither " + INFO
              + " nor 0.npy");
        }
        axis = 0;
        dtype = hs.get(0).dtype();
        shape = hs.get(0).shape().clone();
        axisChunks = new long[hs.size()];
        long total = 0;
        for (int i = 0; i < hs.size(); i++) {
          Npy.Header h = hs.get(i);
          long[] expect = shape.clone();
          expect[0] = h.shape().length > 0 ? h.shape()[0] : -1;
          if (h.shape().length != shape.length || !Arrays.equals(expect, h.shape())
              || h.dtype() != dtype) {
            throw new ArrayException("fromNpyStack: " + dir.resolve(i + ".npy") + " has shape "
                + Arrays.toString(h.shape()) + " and dtype " + h.dtype() + ", unlike 0.npy");
          }
          axisChunks[i] = h.shape()[0];
          total += h.shape()[0];
        }
        shape[0] = total;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("fromNpyStack: cannot read " + dir, e);
    }
    long[][] chunks = new long[shape.length][];
    for (int d = 0; d < shape.length; d++) {
      chunks[d] = d == axis ? axisChunks : new long[] {shape[d]};
    }
    Layout.validate(shape, chunks);
    String name = Tokens.name("from-npy-stack", dir.toAbsolutePath().toString(),
        UUID.randomUUID().toString());
    Map<Key, Task> tasks = new LinkedHashMap<>();
    for (int i = 0; i < axisChunks.length; i++) {
      int[] idx = new int[shape.length];
      idx[axis] = i;
      tasks.put(Key.of(name, idx), Task.of(new ReadNpy(dir.resolve(i + ".npy").toString(),
          Layout.blockShape(chunks, idx), dtype)));
    }
    return Array.of(name, "from-npy-stack", tasks, shape, chunks, dtype, List.of());
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

  static INDArray store(Array a, INDArray target, Scheduler scheduler) {
    if (!Arrays.equals(target.shape(), a.shape)) {
      throw new ArrayException("store: target shape " + Arrays.toString(target.shape())
          + " differs from the array's " + Arrays.toString(a.shape));
    }
    // the target is a live object of this JVM: a random name, never hashed
    String name = "store-" + UUID.randomUUID().toString().replace("-", "");
    Map<Key, Task> tasks = new LinkedHashMap<>();
    List<Key> keys = new ArrayList<>();
    Target t = new Target(target);
    for (int[] idx : Layout.blockIndices(a.numBlocks())) {
      Key k = Key.of(name, idx);
      tasks.put(k, Task.of(new StoreBlock(t, Layout.blockOffset(a.chunks, idx)),
          a.blockKey(idx)));
      keys.add(k);
    }
    Lazy.of(TaskGraph.of(Layer.of(name, "store", tasks), a.graph()), keys, values -> values)
        .compute(scheduler);
    return target;
  }

  /** Holds the target array; not serializable across JVMs by design. */
  static final class Target implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final transient INDArray array;

    Target(INDArray array) {
      this.array = array;
    }
  }

  record StoreBlock(Target target, long[] offset) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      if (target.array == null) {
        throw new IllegalStateException("store: the target array lives in another JVM");
      }
      Nd.put(target.array, offset, Nd.cast((INDArray) args[0], DType.of(target.array
          .dataType())));
      return offset.length;
    }
  }
}
