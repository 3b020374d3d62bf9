package dev.tessera.array;

import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.Tokens;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.ops.random.impl.UniformDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/** The creation functions behind {@link Array}'s static factories. */
final class Creation {
  private Creation() {}

  static long[] checkShape(long[] shape) {
    for (long s : shape) {
      if (s < 0) {
        throw new ArrayException("shape " + java.util.Arrays.toString(shape)
            + " has a negative length");
      }
    }
    return shape.clone();
  }

  /** One generator task per block; {@code make} builds each block's function. */
  static Array generate(String prefix, long[] shape, long[][] chunks, DType dtype,
      java.util.function.Function<BlockInfo, Generator> make, Object... tokenParts) {
    String name = Tokens.name(prefix, tokenParts, shape, chunks, dtype);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    int[] nb = Layout.numBlocks(chunks);
    for (int[] idx : Layout.blockIndices(nb)) {
      BlockInfo info = new BlockInfo(idx, Layout.blockOffset(chunks, idx),
          Layout.blockShape(chunks, idx));
      tasks.put(Key.of(name, idx), Task.of(make.apply(info)));
    }
    return Array.of(name, prefix, tasks, shape, chunks, dtype, List.of());
  }

  static Array full(long[] shape, double value, Chunks chunks, DType dtype) {
    long[] s = checkShape(shape);
    long[][] c = chunks.resolve(s, dtype);
    return generate("full", s, c, dtype, info -> new Full(info.shape(), value, dtype), value);
  }

  static Array fromINDArray(INDArray x, Chunks chunks) {
    DType dtype = DType.of(x.dataType());
    long[] shape = x.shape();
    long[][] c = chunks.resolve(shape, dtype);
    // hashing the data would read it all; a random token keeps the name unique instead
    String name = Tokens.name("array", UUID.randomUUID().toString());
    Map<Key, Task> tasks = new LinkedHashMap<>();
    for (int[] idx : Layout.blockIndices(Layout.numBlocks(c))) {
      INDArray block = Nd.view(x, Layout.blockOffset(c, idx), Layout.blockShape(c, idx)).dup('c');
      tasks.put(Key.of(name, idx), Task.constant(block));
    }
    return Array.of(name, "array", tasks, shape, c, dtype, List.of());
  }

  static Array arange(double start, double stop, double step, Chunks chunks, DType dtype) {
    if (step == 0 || Double.isNaN(step)) {
      throw new ArrayException("arange: step must be non-zero, got " + step);
    }
    long n = Math.max(0, (long) Math.ceil((stop - start) / step));
    long[] s = {n};
    long[][] c = chunks.resolve(s, dtype);
    return generate("arange", s, c, dtype,
        info -> new Linear(start + info.offset()[0] * step, step, info.shape()[0], dtype),
        start, stop, step);
  }

  static Array linspace(double start, double stop, long num, boolean endpoint, Chunks chunks,
      DType dtype) {
    if (num < 0) {
      throw new ArrayException("linspace: number of samples must be >= 0, got " + num);
    }
    long div = endpoint ? num - 1 : num;
    double step = div > 0 ? (stop - start) / div : 0;
    long[] s = {num};
    long[][] c = chunks.resolve(s, dtype);
    return generate("linspace", s, c, dtype,
        info -> new Linear(start + info.offset()[0] * step, step, info.shape()[0], dtype),
        start, stop, num, endpoint);
  }

  static Array eye(long n, long m, long k, Chunks chunks, DType dtype) {
    long[] s = checkShape(new long[] {n, m});
    long[][] c = chunks.resolve(s, dtype);
    return generate("eye", s, c, dtype,
        info -> new Eye(info.shape(), info.offset()[0], info.offset()[1], k, dtype), k);
  }

  static Array random(long seed, boolean normal, double p1, double p2, long[] shape,
      Chunks chunks, DType dtype) {
    if (!dtype.isFloat()) {
      throw new ArrayException("random numbers need a float dtype, got " + dtype);
    }
    long[] s = checkShape(shape);
    long[][] c = chunks.resolve(s, dtype);
    int[] nb = Layout.numBlocks(c);
    return generate(normal ? "normal" : "uniform", s, c, dtype,
        info -> new RandomBlock(blockSeed(seed, Layout.flatIndex(nb, info.index())),
            info.shape(), normal, p1, p2, dtype), seed, p1, p2);
  }

  static Array fromBlockFunction(BlockSupplier fn, long[] shape, Chunks chunks, DType dtype) {
    long[] s = checkShape(shape);
    long[][] c = chunks.resolve(s, dtype);
    return generate("from-function", s, c, dtype, info -> new Supplied(fn, info, dtype), fn);
  }

  /** SplitMix64 of seed and block: independent streams per block, whatever runs them. */
  static long blockSeed(long seed, long block) {
    long z = seed * 0x9E3779B97F4A7C15L + block + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  record Full(long[] shape, double value, DType dtype) implements Generator {
    @Override
    public Object apply(Object[] args) {
      INDArray x = Memory.track(Nd.zeros(dtype, shape));
      if (value != 0 && x.length() > 0) {
        x.assign(dtype == DType.BOOL ? (Number) (value != 0 ? 1.0 : 0.0) : (Number) value);
      }
      return x;
    }
  }

  record Linear(double start, double step, long n, DType dtype) implements Generator {
    @Override
    public Object apply(Object[] args) {
      double[] v = new double[(int) n];
      for (int i = 0; i < n; i++) {
        v[i] = start + i * step;
      }
      return Nd.cast(Nd4j.createFromArray(v), dtype);
    }
  }

  record Eye(long[] shape, long row0, long col0, long k, DType dtype) implements Generator {
    @Override
    public Object apply(Object[] args) {
      INDArray x = Nd.zeros(dtype, shape);
      for (long i = 0; i < shape[0]; i++) {
        long j = row0 + i + k - col0;
        if (j >= 0 && j < shape[1]) {
          x.putScalar(new long[] {i, j}, 1);
        }
      }
      return x;
    }
  }

  record RandomBlock(long seed, long[] shape, boolean normal, double p1, double p2, DType dtype)
      implements Generator {
    @Override
    public Object apply(Object[] args) {
      if (Layout.size(shape) == 0) {
        return Nd4j.create(dtype.nd4j(), shape);
      }
      INDArray x = Pool.take(dtype, shape);
      // a small state buffer: the generator is counter-based, the stream depends on the seed
      try (Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed, 16)) {
        if (normal) {
          Nd4j.getExecutioner().exec(new GaussianDistribution(x, p1, p2), rng);
        } else {
          Nd4j.getExecutioner().exec(new UniformDistribution(x, p1, p2), rng);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return x;
    }
  }

  record Supplied(BlockSupplier fn, BlockInfo info, DType dtype) implements Generator {
    @Override
    public Object apply(Object[] args) throws Exception {
      INDArray x = fn.apply(info);
      if (x == null || !Nd.sameShape(x, info.shape())) {
        throw new IllegalStateException("the block function returned "
            + (x == null ? "null" : "shape " + java.util.Arrays.toString(x.shape()))
            + " for " + info + "; it must return the block's shape");
      }
      return Nd.cast(x, dtype);
    }
  }
}
