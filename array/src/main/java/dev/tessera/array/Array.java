package dev.tessera.array;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.Fn1;
import dev.tessera.graph.Lazy;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.Tessera;
import dev.tessera.graph.core.Checks;
import dev.tessera.graph.core.GraphIndex;
import dev.tessera.graph.core.Graphs;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Layer;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskGraph;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A lazy n-dimensional array made of a grid of ND4J blocks, like {@code dask.array}: every
 * operation adds tasks to a graph, and {@link #compute()} runs them and returns an
 * {@link INDArray}.
 *
 * <pre>{@code
 * Array x = Array.uniform(42, new long[] {20000, 20000}, Chunks.of(2000, 2000));
 * double total = x.add(x.T()).sum().compute().getDouble(0);   // 100 generated blocks, summed
 * }</pre>
 *
 * <p>An array is immutable: a graph, a name (block {@code (i, j, ...)} is the result of key
 * {@code (name, i, j, ...)}), a shape, chunk sizes per axis (Dask's {@code chunks}) and a
 * {@link DType}. Bad input (shapes that do not broadcast, chunks that do not sum to the
 * shape, axes or indices out of range) throws an {@link ArrayException} when the operation is
 * called, not when it is computed. Semantics follow NumPy and Dask unless noted.
 */
public final class Array implements Lazy<INDArray> {
  static {
    NativeBuild.select();   // before ND4J loads: its build for this CPU
  }

  private final TaskGraph graph;
  final String name;
  final long[] shape;
  final long[][] chunks;
  final DType dtype;

  Array(TaskGraph graph, String name, long[] shape, long[][] chunks, DType dtype) {
    this.graph = graph;
    this.name = name;
    this.shape = shape;
    this.chunks = chunks;
    this.dtype = dtype;
  }

  /** Returns an array made of one new layer on top of the inputs' graphs. */
  static Array of(String name, String operation, Map<Key, Task> tasks, long[] shape,
      long[][] chunks, DType dtype, List<Array> inputs) {
    List<TaskGraph> deps = new ArrayList<>(inputs.size());
    for (Array a : inputs) {
      deps.add(a.graph);
    }
    TaskGraph g = TaskGraph.of(Layer.of(name, operation, tasks)
        .withInfo(Layout.describe(shape, chunks, dtype)), deps);
    return new Array(g, name, shape, chunks, dtype);
  }

  // ---------------------------------------------------------------- creation

  /**
   * Returns a chunked copy of an existing array: each block becomes a constant task.
   *
   * @param x the array (double, float, int, long or bool)
   * @param chunks how to cut it
   * @return the array
   */
  public static Array fromINDArray(INDArray x, Chunks chunks) {
    Objects.requireNonNull(x, "x");
    Objects.requireNonNull(chunks, "chunks");
    return Creation.fromINDArray(x, chunks);
  }

  /**
   * Returns an array of zeros.
   *
   * @param shape the shape
   * @param chunks the chunks
   * @param dtype the element type
   * @return the array
   */
  public static Array zeros(long[] shape, Chunks chunks, DType dtype) {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(chunks, "chunks");
    Objects.requireNonNull(dtype, "dtype");
    return Creation.full(shape, 0, chunks, dtype);
  }

  /**
   * Returns an array of ones.
   *
   * @param shape the shape
   * @param chunks the chunks
   * @param dtype the element type
   * @return the array
   */
  public static Array ones(long[] shape, Chunks chunks, DType dtype) {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(chunks, "chunks");
    Objects.requireNonNull(dtype, "dtype");
    return Creation.full(shape, 1, chunks, dtype);
  }

  /**
   * Returns an array filled with one value.
   *
   * @param shape the shape
   * @param value the value (non-zero is true for bool)
   * @param chunks the chunks
   * @param dtype the element type
   * @return the array
   */
  public static Array full(long[] shape, double value, Chunks chunks, DType dtype) {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(chunks, "chunks");
    Objects.requireNonNull(dtype, "dtype");
    return Creation.full(shape, value, chunks, dtype);
  }

  /**
   * Returns {@code start, start + step, ...} below {@code stop} (above it for a negative step),
   * like {@code numpy.arange}.
   *
   * @param start the first value
   * @param stop the bound, excluded
   * @param step the step, non-zero
   * @param chunks the chunks of the one axis
   * @param dtype the element type
   * @return the 1-d array
   */
  public static Array arange(double start, double stop, double step, Chunks chunks,
      DType dtype) {
    Objects.requireNonNull(chunks, "chunks");
    Objects.requireNonNull(dtype, "dtype");
    return Creation.arange(start, stop, step, chunks, dtype);
  }

  /**
   * Returns {@code num} evenly spaced values from {@code start} to {@code stop} inclusive, like
   * {@code numpy.linspace}.
   *
   * @param start the first value
   * @param stop the last value
   * @param num how many values
   * @param chunks the chunks of the one axis
   * @param dtype the element type
   * @return the 1-d array
   */
  public static Array linspace(double start, double stop, long num, Chunks chunks,
      DType dtype) {
    Objects.requireNonNull(chunks, "chunks");
    Objects.requireNonNull(dtype, "dtype");
    return Creation.linspace(start, stop, num, true, chunks, dtype);
  }

  /**
   * Returns the {@code n x n} identity matrix.
   *
   * @param n the number of rows and columns
   * @param chunks the chunks
   * @param dtype the element type
   * @return the array
   */
  public static Array eye(long n, Chunks chunks, DType dtype) {
    Objects.requireNonNull(chunks, "chunks");
    Objects.requireNonNull(dtype, "dtype");
    return Creation.eye(n, n, 0, chunks, dtype);
  }

  /**
   * Returns uniform random numbers in [0, 1), float64. Each block is generated inside its own
   * task from a seed derived from {@code seed} and the block's index, so the same seed and
   * chunks give the same array on every scheduler, and no large array is ever on the client.
   *
   * @param seed the seed
   * @param shape the shape
   * @param chunks the chunks
   * @return the array
   */
  public static Array uniform(long seed, long[] shape, Chunks chunks) {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(chunks, "chunks");
    return Creation.random(seed, false, 0, 1, shape, chunks, DType.FLOAT64);
  }

  /**
   * Returns uniform random numbers in [low, high).
   *
   * @param seed the seed (see {@link #uniform(long, long[], Chunks)})
   * @param low the lower bound
   * @param high the upper bound
   * @param shape the shape
   * @param chunks the chunks
   * @param dtype float64 or float32
   * @return the array
   */
  public static Array uniform(long seed, double low, double high, long[] shape, Chunks chunks,
      DType dtype) {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(chunks, "chunks");
    Objects.requireNonNull(dtype, "dtype");
    return Creation.random(seed, false, low, high, shape, chunks, dtype);
  }

  /**
   * Returns normally distributed random numbers.
   *
   * @param seed the seed (see {@link #uniform(long, long[], Chunks)})
   * @param mean the mean
   * @param std the standard deviation
   * @param shape the shape
   * @param chunks the chunks
   * @param dtype float64 or float32
   * @return the array
   */
  public static Array normal(long seed, double mean, double std, long[] shape, Chunks chunks,
      DType dtype) {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(chunks, "chunks");
    Objects.requireNonNull(dtype, "dtype");
    return Creation.random(seed, true, mean, std, shape, chunks, dtype);
  }

  /**
   * Returns an array whose every block is made, inside its task, by a function of the block's
   * index, offset and shape.
   *
   * @param fn the function; must return an array of the block's shape
   * @param shape the shape
   * @param chunks the chunks
   * @param dtype the element type (blocks are cast to it)
   * @return the array
   */
  public static Array fromBlockFunction(BlockSupplier fn, long[] shape, Chunks chunks,
      DType dtype) {
    Objects.requireNonNull(fn, "fn");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(chunks, "chunks");
    Objects.requireNonNull(dtype, "dtype");
    return Creation.fromBlockFunction(fn, shape, chunks, dtype);
  }

  /**
   * Returns a one-block array whose block is a delayed value; several can be joined with
   * {@link #concatenate} or {@link #stack}.
   *
   * @param value the delayed block
   * @param shape its shape, checked when computed
   * @param dtype its element type
   * @return the array
   */
  public static Array fromDelayed(Delayed<INDArray> value, long[] shape, DType dtype) {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(dtype, "dtype");
    long[] s = Creation.checkShape(shape);
    long[][] c = new long[s.length][];
    for (int a = 0; a < s.length; a++) {
      c[a] = new long[] {s[a]};
    }
    String name = dev.tessera.graph.core.Tokens.name("from-delayed", value.key(), s, dtype);
    int[] zero = new int[s.length];
    Map<Key, Task> tasks = Map.of(Key.of(name, zero),
        Task.of(new Elementwise.CheckShape(s, dtype), value.key()));
    TaskGraph g = TaskGraph.of(Layer.of(name, "from-delayed", tasks), value.graph());
    return new Array(g, name, s, c, dtype);
  }

  /**
   * Returns an array stacked from row blocks that other computations produce (one block per
   * frame partition, for example): block i has {@code rows[i]} rows (-1: unknown until
   * {@link #computeChunkSizes()}) and the trailing shape {@code trailing}, checked when it runs.
   *
   * @param blocks the delayed blocks, in order
   * @param rows each block's row count, or -1
   * @param trailing the lengths of the other axes (empty for a 1-d array)
   * @param dtype the element type (blocks are cast to it)
   * @return the array, one block per row block
   */
  public static Array fromRowBlocks(List<? extends Delayed<INDArray>> blocks, long[] rows,
      long[] trailing, DType dtype) {
    Checks.noNulls(blocks, "blocks");
    Objects.requireNonNull(rows, "rows");
    Objects.requireNonNull(trailing, "trailing");
    Objects.requireNonNull(dtype, "dtype");
    return RowBlocks.of(blocks, rows, trailing, dtype);
  }

  /**
   * Returns the 1-d FLOAT64 array of a bag of numbers, one block per bag partition (block
   * lengths unknown until {@link #computeChunkSizes()}).
   *
   * @param numbers the bag of numbers
   * @return the array
   */
  public static Array fromBag(dev.tessera.bag.Bag<? extends Number> numbers) {
    Objects.requireNonNull(numbers, "numbers");
    return RowBlocks.fromBag(numbers, -1, DType.FLOAT64);
  }

  /**
   * Returns the 2-d FLOAT64 array of a bag of rows of {@code columns} numbers each
   * ({@code double[]}, {@code float[]}, {@code long[]}, {@code int[]}, lists of numbers or 1-d
   * INDArrays), one row block per bag partition (row counts unknown until
   * {@link #computeChunkSizes()}); a row of another length fails naming its element.
   *
   * @param rows the bag of rows
   * @param columns the number of values in every row
   * @return the array
   */
  public static Array fromBag(dev.tessera.bag.Bag<?> rows, long columns) {
    Objects.requireNonNull(rows, "rows");
    if (columns < 0) {
      throw new ArrayException("fromBag: columns must be >= 0, got " + columns);
    }
    return RowBlocks.fromBag(rows, columns, DType.FLOAT64);
  }

  // ---------------------------------------------------------------- elementwise

  private Array binary(Ops.Binary op, Array other) {
    DType t = op.operandType(dtype, other.dtype);
    return Elementwise.map(op.name().toLowerCase(java.util.Locale.ROOT), new Ops.Cast2(op, t),
        op.resultType(dtype, other.dtype), List.of(this, other));
  }

  private Array binary(Ops.Binary op, double s, boolean reversed) {
    DType st = s == Math.rint(s) && !Double.isInfinite(s) ? (dtype == DType.BOOL
        ? DType.INT64 : dtype) : DType.FLOAT64;
    if (op.logical()) {
      st = DType.BOOL;
    }
    DType t = dtype.isFloat() ? op.operandType(dtype, dtype) : op.operandType(dtype, st);
    DType r = dtype.isFloat() ? op.resultType(dtype, dtype) : op.resultType(dtype, st);
    return Elementwise.map(op.name().toLowerCase(java.util.Locale.ROOT) + "-scalar",
        new Ops.WithScalar(op, s, reversed, t), r, List.of(this));
  }

  private Array unary(Ops.Unary op) {
    DType in = op.floatResult() ? dtype.floatResult() : op == Ops.Unary.NOT ? DType.BOOL : dtype;
    return Elementwise.map(op.name().toLowerCase(java.util.Locale.ROOT),
        new Ops.CastUnary(op, in), op.resultType(dtype), List.of(this));
  }

  /**
   * Returns {@code this + other}, broadcast (NumPy rules; operands whose chunks differ are
   * rechunked to common chunks).
   *
   * @param other the other operand
   * @return the lazy sum
   * @throws ArrayException if the shapes do not broadcast
   */
  public Array add(Array other) {
    Objects.requireNonNull(other, "other");
    return binary(Ops.Binary.ADD, other);
  }

  /**
   * Returns {@code this + s}.
   *
   * @param s the scalar
   * @return the lazy result
   */
  public Array add(double s) {
    return binary(Ops.Binary.ADD, s, false);
  }

  /**
   * Returns {@code this - other}, broadcast.
   *
   * @param other the other operand
   * @return the lazy result
   */
  public Array sub(Array other) {
    Objects.requireNonNull(other, "other");
    return binary(Ops.Binary.SUB, other);
  }

  /**
   * Returns {@code this - s}.
   *
   * @param s the scalar
   * @return the lazy result
   */
  public Array sub(double s) {
    return binary(Ops.Binary.SUB, s, false);
  }

  /**
   * Returns {@code s - this}.
   *
   * @param s the scalar
   * @return the lazy result
   */
  public Array rsub(double s) {
    return binary(Ops.Binary.SUB, s, true);
  }

  /**
   * Returns {@code this * other}, broadcast.
   *
   * @param other the other operand
   * @return the lazy result
   */
  public Array mul(Array other) {
    Objects.requireNonNull(other, "other");
    return binary(Ops.Binary.MUL, other);
  }

  /**
   * Returns {@code this * s}.
   *
   * @param s the scalar
   * @return the lazy result
   */
  public Array mul(double s) {
    return binary(Ops.Binary.MUL, s, false);
  }

  /**
   * Returns {@code this / other}, broadcast; true division (integers give float64).
   *
   * @param other the other operand
   * @return the lazy result
   */
  public Array div(Array other) {
    Objects.requireNonNull(other, "other");
    return binary(Ops.Binary.DIV, other);
  }

  /**
   * Returns {@code this / s}.
   *
   * @param s the scalar
   * @return the lazy result
   */
  public Array div(double s) {
    return binary(Ops.Binary.DIV, s, false);
  }

  /**
   * Returns {@code s / this}.
   *
   * @param s the scalar
   * @return the lazy result
   */
  public Array rdiv(double s) {
    return binary(Ops.Binary.DIV, s, true);
  }

  /**
   * Returns {@code this ** other}, broadcast.
   *
   * @param other the exponents
   * @return the lazy result
   */
  public Array pow(Array other) {
    Objects.requireNonNull(other, "other");
    return binary(Ops.Binary.POW, other);
  }

  /**
   * Returns {@code this ** s}.
   *
   * @param s the exponent
   * @return the lazy result
   */
  public Array pow(double s) {
    return binary(Ops.Binary.POW, s, false);
  }

  /**
   * Returns the elementwise maximum, broadcast.
   *
   * @param other the other operand
   * @return the lazy result
   */
  public Array maximum(Array other) {
    Objects.requireNonNull(other, "other");
    return binary(Ops.Binary.MAXIMUM, other);
  }

  /**
   * Returns the elementwise minimum, broadcast.
   *
   * @param other the other operand
   * @return the lazy result
   */
  public Array minimum(Array other) {
    Objects.requireNonNull(other, "other");
    return binary(Ops.Binary.MINIMUM, other);
  }

  /**
   * Returns {@code this == other} as bool, broadcast.
   *
   * @param other the other operand
   * @return the lazy result
   */
  public Array eq(Array other) {
    Objects.requireNonNull(other, "other");
    return binary(Ops.Binary.EQ, other);
  }

  /**
   * Returns {@code this == s} as bool.
   *
   * @param s the scalar
   * @return the lazy result
   */
  public Array eq(double s) {
    return binary(Ops.Binary.EQ, s, false);
  }

  /**
   * Returns {@code this != other} as bool, broadcast.
   *
   * @param other the other operand
   * @return the lazy result
   */
  public Array ne(Array other) {
    Objects.requireNonNull(other, "other");
    return binary(Ops.Binary.NE, other);
  }

  /**
   * Returns {@code this < other} as bool, broadcast.
   *
   * @param other the other operand
   * @return the lazy result
   */
  public Array lt(Array other) {
    Objects.requireNonNull(other, "other");
    return binary(Ops.Binary.LT, other);
  }

  /**
   * Returns {@code this < s} as bool.
   *
   * @param s the scalar
   * @return the lazy result
   */
  public Array lt(double s) {
    return binary(Ops.Binary.LT, s, false);
  }

  /**
   * Returns {@code this <= other} as bool, broadcast.
   *
   * @param other the other operand
   * @return the lazy result
   */
  public Array le(Array other) {
    Objects.requireNonNull(other, "other");
    return binary(Ops.Binary.LE, other);
  }

  /**
   * Returns {@code this > other} as bool, broadcast.
   *
   * @param other the other operand
   * @return the lazy result
   */
  public Array gt(Array other) {
    Objects.requireNonNull(other, "other");
    return binary(Ops.Binary.GT, other);
  }

  /**
   * Returns {@code this > s} as bool.
   *
   * @param s the scalar
   * @return the lazy result
   */
  public Array gt(double s) {
    return binary(Ops.Binary.GT, s, false);
  }

  /**
   * Returns {@code this >= other} as bool, broadcast.
   *
   * @param other the other operand
   * @return the lazy result
   */
  public Array ge(Array other) {
    Objects.requireNonNull(other, "other");
    return binary(Ops.Binary.GE, other);
  }

  /**
   * Returns the logical and (operands read as bool), broadcast.
   *
   * @param other the other operand
   * @return the lazy result
   */
  public Array and(Array other) {
    Objects.requireNonNull(other, "other");
    return binary(Ops.Binary.AND, other);
  }

  /**
   * Returns the logical or, broadcast.
   *
   * @param other the other operand
   * @return the lazy result
   */
  public Array or(Array other) {
    Objects.requireNonNull(other, "other");
    return binary(Ops.Binary.OR, other);
  }

  /**
   * Returns the logical exclusive or, broadcast.
   *
   * @param other the other operand
   * @return the lazy result
   */
  public Array xor(Array other) {
    Objects.requireNonNull(other, "other");
    return binary(Ops.Binary.XOR, other);
  }

  /** {@return the logical not (read as bool)} */
  public Array not() {
    return unary(Ops.Unary.NOT);
  }

  /** {@return {@code -this}} */
  public Array neg() {
    return unary(Ops.Unary.NEG);
  }

  /** {@return the absolute values} */
  public Array abs() {
    return unary(Ops.Unary.ABS);
  }

  /** {@return the signs (-1, 0, 1)} */
  public Array sign() {
    return unary(Ops.Unary.SIGN);
  }

  /** {@return the squares} */
  public Array square() {
    return unary(Ops.Unary.SQUARE);
  }

  /** {@return {@code e ** this}; integers give float64} */
  public Array exp() {
    return unary(Ops.Unary.EXP);
  }

  /** {@return the natural logarithm} */
  public Array log() {
    return unary(Ops.Unary.LOG);
  }

  /** {@return the square root} */
  public Array sqrt() {
    return unary(Ops.Unary.SQRT);
  }

  /** {@return the sine} */
  public Array sin() {
    return unary(Ops.Unary.SIN);
  }

  /** {@return the cosine} */
  public Array cos() {
    return unary(Ops.Unary.COS);
  }

  /** {@return the tangent} */
  public Array tan() {
    return unary(Ops.Unary.TAN);
  }

  /** {@return the hyperbolic tangent} */
  public Array tanh() {
    return unary(Ops.Unary.TANH);
  }

  /** {@return the floor} */
  public Array floor() {
    return unary(Ops.Unary.FLOOR);
  }

  /** {@return the ceiling} */
  public Array ceil() {
    return unary(Ops.Unary.CEIL);
  }

  /** {@return the values rounded to the nearest integer} */
  public Array round() {
    return unary(Ops.Unary.ROUND);
  }

  /**
   * Returns the values clipped into [lo, hi].
   *
   * @param lo the lower bound
   * @param hi the upper bound
   * @return the lazy result
   */
  public Array clip(double lo, double hi) {
    if (lo > hi) {
      throw new ArrayException("clip: lower bound " + lo + " is above upper bound " + hi);
    }
    return Elementwise.map("clip", new Ops.Clip(lo, hi), dtype, List.of(this));
  }

  /**
   * Returns the array converted to another element type.
   *
   * @param to the type
   * @return the lazy result (this array if the type is the same)
   */
  public Array astype(DType to) {
    Objects.requireNonNull(to, "to");
    return to == dtype ? this : Elementwise.map("astype", new Ops.AsType(to), to, List.of(this));
  }

  /**
   * Returns {@code a} where {@code cond} is true and {@code b} elsewhere, all three broadcast.
   *
   * @param cond the condition (read as bool)
   * @param a values where true
   * @param b values where false
   * @return the lazy result
   */
  public static Array where(Array cond, Array a, Array b) {
    Objects.requireNonNull(cond, "cond");
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    DType t = DType.promote(a.dtype, b.dtype);
    return Elementwise.map("where", new Ops.Where(t), t, List.of(cond, a, b));
  }

  /**
   * Applies a function to every block; it must keep the block's shape.
   *
   * @param fn the function of one block
   * @param dtype the type of the result
   * @return the lazy result, with the same chunks
   */
  public Array mapBlocks(BlockFunction fn, DType dtype) {
    Objects.requireNonNull(fn, "fn");
    Objects.requireNonNull(dtype, "dtype");
    return Elementwise.map("map-blocks", new Ops.User(fn, dtype), dtype, List.of(this));
  }

  /**
   * Applies a function to the aligned blocks of several arrays, broadcast against each other
   * like an elementwise operation (each block is broadcast to the output block's shape before
   * the call); the function must return the output block's shape.
   *
   * @param fn the function, called with one block per array
   * @param dtype the type of the result
   * @param arrays the inputs
   * @return the lazy result
   */
  public static Array mapBlocks(BlockFunction fn, DType dtype, Array... arrays) {
    Objects.requireNonNull(fn, "fn");
    Objects.requireNonNull(dtype, "dtype");
    Checks.noNulls(arrays, "arrays");
    return Elementwise.map("map-blocks", new Ops.User(fn, dtype), dtype, List.of(arrays));
  }

  /**
   * Dask's general {@code blockwise}: calls {@code fn} once per output block, with index
   * letters saying which blocks it receives. Letters in {@code outIndex} are the output's axes;
   * a letter only in inputs is contracted, and the function receives the blocks along it
   * joined into one array. Example, a blockwise matrix product:
   * {@code Array.blockwise(b -> b[0].mmul(b[1]), "ik", DType.FLOAT64, a, "ij", c, "jk")}.
   *
   * @param fn the function; must return the output block's shape
   * @param outIndex one letter per output axis
   * @param dtype the output type
   * @param arraysAndIndices alternating arrays and their index strings
   * @return the lazy result
   * @throws ArrayException if letters or lengths do not match
   */
  public static Array blockwise(BlockFunction fn, String outIndex, DType dtype,
      Object... arraysAndIndices) {
    Objects.requireNonNull(fn, "fn");
    Objects.requireNonNull(outIndex, "outIndex");
    Objects.requireNonNull(dtype, "dtype");
    Checks.noNulls(arraysAndIndices, "arraysAndIndices");
    List<Array> arrays = new ArrayList<>();
    List<String> indices = new ArrayList<>();
    for (int i = 0; i + 1 < arraysAndIndices.length; i += 2) {
      if (!(arraysAndIndices[i] instanceof Array a)
          || !(arraysAndIndices[i + 1] instanceof String ix)) {
        throw new ArrayException("blockwise: expected (Array, String) pairs after the dtype");
      }
      arrays.add(a);
      indices.add(ix);
    }
    if (arraysAndIndices.length % 2 != 0) {
      throw new ArrayException("blockwise: expected (Array, String) pairs after the dtype");
    }
    return Blockwise.blockwise(fn, outIndex, dtype, arrays, indices);
  }

  // ---------------------------------------------------------------- reductions

  /** {@return the sum of all elements, as a 0-d array} */
  public Array sum() {
    return Reductions.reduce(this, Reductions.Kind.SUM, null, false,
        Reductions.DEFAULT_SPLIT_EVERY, 0);
  }

  /**
   * Returns the sum over the given axes.
   *
   * @param axes the axes to reduce (negative counts from the end)
   * @return the lazy result, without the reduced axes
   * @throws ArrayException if an axis is out of range
   */
  public Array sum(int... axes) {
    return Reductions.reduce(this, Reductions.Kind.SUM, axes, false,
        Reductions.DEFAULT_SPLIT_EVERY, 0);
  }

  /**
   * Returns the sum over the given axes, keeping them with length 1 if asked.
   *
   * @param axes the axes to reduce, or null for all
   * @param keepdims whether to keep the reduced axes with length 1
   * @return the lazy result
   */
  public Array sum(int[] axes, boolean keepdims) {
    return Reductions.reduce(this, Reductions.Kind.SUM, axes, keepdims,
        Reductions.DEFAULT_SPLIT_EVERY, 0);
  }

  /** {@return the product of all elements, as a 0-d array} */
  public Array prod() {
    return Reductions.reduce(this, Reductions.Kind.PROD, null, false,
        Reductions.DEFAULT_SPLIT_EVERY, 0);
  }

  /**
   * Returns the product over the given axes.
   *
   * @param axes the axes to reduce (negative counts from the end)
   * @return the lazy result, without the reduced axes
   * @throws ArrayException if an axis is out of range
   */
  public Array prod(int... axes) {
    return Reductions.reduce(this, Reductions.Kind.PROD, axes, false,
        Reductions.DEFAULT_SPLIT_EVERY, 0);
  }

  /**
   * Returns the product over the given axes, keeping them with length 1 if asked.
   *
   * @param axes the axes to reduce, or null for all
   * @param keepdims whether to keep the reduced axes with length 1
   * @return the lazy result
   */
  public Array prod(int[] axes, boolean keepdims) {
    return Reductions.reduce(this, Reductions.Kind.PROD, axes, keepdims,
        Reductions.DEFAULT_SPLIT_EVERY, 0);
  }

  /** {@return the minimum of all elements, as a 0-d array} */
  public Array min() {
    return Reductions.reduce(this, Reductions.Kind.MIN, null, false,
        Reductions.DEFAULT_SPLIT_EVERY, 0);
  }

  /**
   * Returns the minimum over the given axes.
   *
   * @param axes the axes to reduce (negative counts from the end)
   * @return the lazy result, without the reduced axes
   * @throws ArrayException if an axis is out of range
   */
  public Array min(int... axes) {
    return Reductions.reduce(this, Reductions.Kind.MIN, axes, false,
        Reductions.DEFAULT_SPLIT_EVERY, 0);
  }

  /**
   * Returns the minimum over the given axes, keeping them with length 1 if asked.
   *
   * @param axes the axes to reduce, or null for all
   * @param keepdims whether to keep the reduced axes with length 1
   * @return the lazy result
   */
  public Array min(int[] axes, boolean keepdims) {
    return Reductions.reduce(this, Reductions.Kind.MIN, axes, keepdims,
        Reductions.DEFAULT_SPLIT_EVERY, 0);
  }

  /** {@return the maximum of all elements, as a 0-d array} */
  public Array max() {
    return Reductions.reduce(this, Reductions.Kind.MAX, null, false,
        Reductions.DEFAULT_SPLIT_EVERY, 0);
  }

  /**
   * Returns the maximum over the given axes.
   *
   * @param axes the axes to reduce (negative counts from the end)
   * @return the lazy result, without the reduced axes
   * @throws ArrayException if an axis is out of range
   */
  public Array max(int... axes) {
    return Reductions.reduce(this, Reductions.Kind.MAX, axes, false,
        Reductions.DEFAULT_SPLIT_EVERY, 0);
  }

  /**
   * Returns the maximum over the given axes, keeping them with length 1 if asked.
   *
   * @param axes the axes to reduce, or null for all
   * @param keepdims whether to keep the reduced axes with length 1
   * @return the lazy result
   */
  public Array max(int[] axes, boolean keepdims) {
    return Reductions.reduce(this, Reductions.Kind.MAX, axes, keepdims,
        Reductions.DEFAULT_SPLIT_EVERY, 0);
  }

  /** {@return whether any element is true (non-zero) of all elements, as a 0-d array} */
  public Array any() {
    return Reductions.reduce(this, Reductions.Kind.ANY, null, false,
        Reductions.DEFAULT_SPLIT_EVERY, 0);
  }

  /**
   * Returns whether any element is true (non-zero) over the given axes.
   *
   * @param axes the axes to reduce (negative counts from the end)
   * @return the lazy result, without the reduced axes
   * @throws ArrayException if an axis is out of range
   */
  public Array any(int... axes) {
    return Reductions.reduce(this, Reductions.Kind.ANY, axes, false,
        Reductions.DEFAULT_SPLIT_EVERY, 0);
  }

  /**
   * Returns whether any element is true (non-zero) over the given axes, keeping them with length 1 if asked.
   *
   * @param axes the axes to reduce, or null for all
   * @param keepdims whether to keep the reduced axes with length 1
   * @return the lazy result
   */
  public Array any(int[] axes, boolean keepdims) {
    return Reductions.reduce(this, Reductions.Kind.ANY, axes, keepdims,
        Reductions.DEFAULT_SPLIT_EVERY, 0);
  }

  /** {@return whether all elements are true (non-zero) of all elements, as a 0-d array} */
  public Array all() {
    return Reductions.reduce(this, Reductions.Kind.ALL, null, false,
        Reductions.DEFAULT_SPLIT_EVERY, 0);
  }

  /**
   * Returns whether all elements are true (non-zero) over the given axes.
   *
   * @param axes the axes to reduce (negative counts from the end)
   * @return the lazy result, without the reduced axes
   * @throws ArrayException if an axis is out of range
   */
  public Array all(int... axes) {
    return Reductions.reduce(this, Reductions.Kind.ALL, axes, false,
        Reductions.DEFAULT_SPLIT_EVERY, 0);
  }

  /**
   * Returns whether all elements are true (non-zero) over the given axes, keeping them with length 1 if asked.
   *
   * @param axes the axes to reduce, or null for all
   * @param keepdims whether to keep the reduced axes with length 1
   * @return the lazy result
   */
  public Array all(int[] axes, boolean keepdims) {
    return Reductions.reduce(this, Reductions.Kind.ALL, axes, keepdims,
        Reductions.DEFAULT_SPLIT_EVERY, 0);
  }

  /** {@return the mean of all elements, as a 0-d array} */
  public Array mean() {
    return Reductions.reduce(this, Reductions.Kind.MEAN, null, false,
        Reductions.DEFAULT_SPLIT_EVERY, 0);
  }

  /**
   * Returns the mean over the given axes.
   *
   * @param axes the axes to reduce (negative counts from the end)
   * @return the lazy result, without the reduced axes
   * @throws ArrayException if an axis is out of range
   */
  public Array mean(int... axes) {
    return Reductions.reduce(this, Reductions.Kind.MEAN, axes, false,
        Reductions.DEFAULT_SPLIT_EVERY, 0);
  }

  /**
   * Returns the mean over the given axes, keeping them with length 1 if asked.
   *
   * @param axes the axes to reduce, or null for all
   * @param keepdims whether to keep the reduced axes with length 1
   * @return the lazy result
   */
  public Array mean(int[] axes, boolean keepdims) {
    return Reductions.reduce(this, Reductions.Kind.MEAN, axes, keepdims,
        Reductions.DEFAULT_SPLIT_EVERY, 0);
  }

  /**
   * Returns the variance over the given axes, combining (count, mean, M2) per block.
   *
   * @param ddof delta degrees of freedom: the divisor is {@code n - ddof}
   * @param axes the axes to reduce, or null for all
   * @param keepdims whether to keep the reduced axes with length 1
   * @return the lazy result
   */
  public Array var(int ddof, int[] axes, boolean keepdims) {
    return Reductions.reduce(this, Reductions.Kind.VAR, axes, keepdims,
        Reductions.DEFAULT_SPLIT_EVERY, ddof);
  }

  /** {@return the population variance (ddof 0) of all elements} */
  public Array var() {
    return var(0, null, false);
  }

  /**
   * Returns the standard deviation over the given axes.
   *
   * @param ddof delta degrees of freedom
   * @param axes the axes to reduce, or null for all
   * @param keepdims whether to keep the reduced axes with length 1
   * @return the lazy result
   */
  public Array std(int ddof, int[] axes, boolean keepdims) {
    return Reductions.reduce(this, Reductions.Kind.STD, axes, keepdims,
        Reductions.DEFAULT_SPLIT_EVERY, ddof);
  }

  /** {@return the population standard deviation (ddof 0) of all elements} */
  public Array std() {
    return std(0, null, false);
  }

  /** {@return the index of the smallest element in the flattened array (first if tied)} */
  public Array argmin() {
    return Reductions.reduce(this, Reductions.Kind.ARGMIN, null, false,
        Reductions.DEFAULT_SPLIT_EVERY, 0);
  }

  /**
   * Returns the indices of the smallest elements along one axis.
   *
   * @param axis the axis
   * @return the lazy int64 result
   */
  public Array argmin(int axis) {
    return Reductions.reduce(this, Reductions.Kind.ARGMIN, new int[] {axis}, false,
        Reductions.DEFAULT_SPLIT_EVERY, 0);
  }

  /** {@return the index of the largest element in the flattened array (first if tied)} */
  public Array argmax() {
    return Reductions.reduce(this, Reductions.Kind.ARGMAX, null, false,
        Reductions.DEFAULT_SPLIT_EVERY, 0);
  }

  /**
   * Returns the indices of the largest elements along one axis.
   *
   * @param axis the axis
   * @return the lazy int64 result
   */
  public Array argmax(int axis) {
    return Reductions.reduce(this, Reductions.Kind.ARGMAX, new int[] {axis}, false,
        Reductions.DEFAULT_SPLIT_EVERY, 0);
  }

  /**
   * The general reduction: any of {@code sum prod min max any all mean var std argmin argmax},
   * with an explicit fan-in per combine task.
   *
   * @param op the reduction's name, such as {@code "sum"}
   * @param axes the axes to reduce, or null for all
   * @param keepdims whether to keep the reduced axes with length 1
   * @param splitEvery how many partial results one combine task merges, at least 2
   * @param ddof delta degrees of freedom, for var and std
   * @return the lazy result
   */
  public Array reduce(String op, int[] axes, boolean keepdims, int splitEvery, int ddof) {
    Objects.requireNonNull(op, "op");
    Reductions.Kind k;
    try {
      k = Reductions.Kind.valueOf(op.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ArrayException("unknown reduction '" + op + "'; use one of "
          + Arrays.toString(Reductions.Kind.values()).toLowerCase(java.util.Locale.ROOT));
    }
    return Reductions.reduce(this, k, axes, keepdims, splitEvery, ddof);
  }

  // ---------------------------------------------------------------- shape and indexing

  /**
   * Returns the array with new chunks. Memory-safe: when each new block would read many old
   * ones (an all-to-all change), it goes through an intermediate chunking so no task holds more
   * than about one old or new block of input.
   *
   * @param chunks the new chunks
   * @return the lazy result
   */
  public Array rechunk(Chunks chunks) {
    Objects.requireNonNull(chunks, "chunks");
    return Rechunk.rechunk(this, chunks.resolve(shape, dtype));
  }

  /**
   * Returns {@code x[index...]}: slices (with steps, negative too) and integer positions, one
   * per leading axis; missing trailing axes are whole. Only the blocks holding selected
   * elements are read.
   *
   * @param index the index expression
   * @return the lazy result
   * @throws ArrayException if there are too many indices or a position is out of range
   */
  public Array get(Index... index) {
    Checks.noNulls(index, "index");
    return Indexing.get(this, index);
  }

  /**
   * Boolean mask indexing, like NumPy's {@code x[mask]}. A mask of this array's shape selects
   * elements: the result is 1-d, in C order. A 1-d mask with one entry per row (length
   * {@code shape()[0]}) selects rows along axis 0: the result has shape
   * {@code (-1, shape()[1], ...)}, one block row per block row of this array (the mask is
   * rechunked to match), and keeps the chunks of the other axes. Either way the sizes along
   * axis 0 are unknown (-1) until computed; {@link #compute()} works at once, other operations
   * need {@link #computeChunkSizes()} first. For example
   * {@code x.get(x.get(Index.all(), Index.at(0)).gt(0))} keeps the rows of a 2-d {@code x}
   * whose first column is positive.
   *
   * @param mask a bool array of the same shape, or 1-d with one entry per row
   * @return the lazy result
   * @throws ArrayException if the mask is not bool, has another shape (a 1-d mask of another
   *     length included), or either array has unknown chunk sizes
   */
  public Array get(Array mask) {
    Objects.requireNonNull(mask, "mask");
    return Indexing.mask(this, mask);
  }

  /**
   * Returns this array with its unknown chunk sizes computed (runs the graph once to measure
   * the blocks along each axis with unknown sizes; the other axes keep their chunks), so
   * operations that need them (reductions, elementwise operations, rechunking, slicing)
   * can follow.
   *
   * @return the array with known chunks, the same graph
   */
  public Array computeChunkSizes() {
    if (Layout.known(chunks)) {
      return this;
    }
    String lname = dev.tessera.graph.core.Tokens.name("chunk-sizes", this);
    Map<Key, Task> tasks = new java.util.LinkedHashMap<>();
    List<Key> lengths = new ArrayList<>();
    List<int[]> measured = new ArrayList<>();
    // one block per position along each axis with unknown sizes (index 0 on the others)
    for (int d = 0; d < shape.length; d++) {
      if (Arrays.stream(chunks[d]).allMatch(c -> c != Layout.UNKNOWN)) {
        continue;
      }
      for (int i = 0; i < chunks[d].length; i++) {
        int[] idx = new int[shape.length];
        idx[d] = i;
        Key k = Key.of(lname, lengths.size());
        tasks.put(k, Task.of(new Indexing.Size(d), blockKey(idx)));
        lengths.add(k);
        measured.add(new int[] {d, i});
      }
    }
    TaskGraph g = TaskGraph.of(Layer.of(lname, "chunk-sizes", tasks), graph);
    List<Object> sizes = Lazy.of(g, lengths, values -> values).compute();
    long[][] c = Layout.copy(chunks);
    for (int j = 0; j < sizes.size(); j++) {
      int[] at = measured.get(j);
      c[at[0]][at[1]] = ((Number) sizes.get(j)).longValue();
    }
    long[] s = new long[shape.length];
    for (int d = 0; d < s.length; d++) {
      s[d] = Arrays.stream(c[d]).sum();
    }
    return new Array(graph, name, s, c, dtype);
  }

  /** {@return the transpose (axes reversed), like NumPy's {@code x.T}} */
  public Array T() {
    return Shapes.transpose(this, null);
  }

  /**
   * Returns the array with its axes permuted.
   *
   * @param axes a permutation of the axes
   * @return the lazy result
   */
  public Array transpose(int... axes) {
    Objects.requireNonNull(axes, "axes");
    return Shapes.transpose(this, axes.length == 0 ? null : axes);
  }

  /**
   * Returns the array with two axes exchanged.
   *
   * @param a one axis
   * @param b the other
   * @return the lazy result
   */
  public Array swapaxes(int a, int b) {
    int x = Layout.axis(a, ndim(), "swapaxes");
    int y = Layout.axis(b, ndim(), "swapaxes");
    int[] perm = new int[ndim()];
    for (int i = 0; i < perm.length; i++) {
      perm[i] = i;
    }
    perm[x] = y;
    perm[y] = x;
    return Shapes.transpose(this, perm);
  }

  /**
   * Returns the array with a new shape of the same size, in C order (one length may be -1).
   * Cheap, block for block, where Dask's is: axes that merge are first rechunked so that all
   * but the first of them are whole.
   *
   * @param newShape the new shape
   * @return the lazy result
   */
  public Array reshape(long... newShape) {
    Objects.requireNonNull(newShape, "newShape");
    return Shapes.reshape(this, newShape);
  }

  /**
   * Removes axes of length 1: the given ones, or all if none are given.
   *
   * @param axes the axes, each of length 1
   * @return the lazy result
   */
  public Array squeeze(int... axes) {
    Objects.requireNonNull(axes, "axes");
    return Shapes.squeeze(this, axes.length == 0 ? null : axes);
  }

  /**
   * Inserts an axis of length 1.
   *
   * @param axis its position in the result
   * @return the lazy result
   */
  public Array expandDims(int axis) {
    return Shapes.expandDims(this, axis);
  }

  /**
   * Joins arrays along an existing axis; other axes must have equal lengths.
   *
   * @param axis the axis
   * @param arrays the arrays
   * @return the lazy result
   */
  public static Array concatenate(int axis, Array... arrays) {
    Checks.noNulls(arrays, "arrays");
    return Shapes.concatenate(axis, List.of(arrays));
  }

  /**
   * Joins arrays of equal shape along a new axis.
   *
   * @param axis the new axis's position
   * @param arrays the arrays
   * @return the lazy result
   */
  public static Array stack(int axis, Array... arrays) {
    Checks.noNulls(arrays, "arrays");
    return Shapes.stack(axis, List.of(arrays));
  }

  // ---------------------------------------------------------------- linear algebra

  /**
   * Returns the matrix product, like NumPy's {@code a @ b}: blockwise, each output block
   * accumulating its products with GEMM, partial sums added in a tree. Operands of more than
   * 2 dimensions are stacks of matrices (the last two axes), their leading axes broadcast
   * against each other as in NumPy: {@code (2, 1, 5, 4) @ (3, 4, 6)} has shape
   * {@code (2, 3, 5, 6)}. A 1-d operand is a row (left) or column (right) vector whose axis
   * is dropped from the result.
   *
   * @param other the right operand
   * @return the lazy product
   * @throws ArrayException if the inner lengths differ, the leading axes do not broadcast, an
   *     operand is zero-dimensional, or the arrays are not float
   */
  public Array matmul(Array other) {
    Objects.requireNonNull(other, "other");
    if (ndim() < 1 || other.ndim() < 1) {
      throw new ArrayException("matmul: zero-dimensional operands are not supported, got "
          + ndim() + "-d and " + other.ndim() + "-d; use mul for scalars");
    }
    Array a = ndim() == 1 ? expandDims(0) : this;
    Array b = other.ndim() == 1 ? other.expandDims(1) : other;
    if (ndim() > 2 || other.ndim() > 2) {
      // batched: a 1-d operand is a matrix whose added axis is dropped again
      Array c = Contraction.matmul(a, b);
      if (ndim() == 1) {
        return c.squeeze(c.ndim() - 2);
      }
      return other.ndim() == 1 ? c.squeeze(c.ndim() - 1) : c;
    }
    if (a.shape[1] != b.shape[0]) {
      throw new ArrayException("matmul: contraction over axes of different length: "
          + Arrays.toString(shape) + " @ " + Arrays.toString(other.shape) + " (" + a.shape[1]
          + " vs " + b.shape[0] + ")");
    }
    Array c = Contraction.tensordot(a, b, new int[] {1}, new int[] {0});
    if (ndim() == 1 && other.ndim() == 1) {
      return c.squeeze();
    }
    if (ndim() == 1) {
      return c.squeeze(0);
    }
    return other.ndim() == 1 ? c.squeeze(1) : c;
  }

  /**
   * Returns NumPy's {@code dot}: the inner product of 1-d arrays, the matrix product of 2-d
   * ones, and otherwise a sum over the last axis of this and the second-to-last of other (the
   * only axis if other is 1-d).
   *
   * @param other the right operand
   * @return the lazy result
   */
  public Array dot(Array other) {
    Objects.requireNonNull(other, "other");
    if (ndim() <= 2 && other.ndim() <= 2 && ndim() >= 1 && other.ndim() >= 1) {
      return matmul(other);
    }
    int axisB = other.ndim() == 1 ? 0 : other.ndim() - 2;
    return Contraction.tensordot(this, other, new int[] {ndim() - 1}, new int[] {axisB});
  }

  // ---------------------------------------------------------------- scans, histograms, stencils, top k, sets, einsum

  /**
   * Returns the cumulative sum along an axis, like NumPy's {@code cumsum(axis)}: each block is
   * scanned on its own, then the running totals are carried from block to block along the axis
   * (only one slice per block travels). A NaN makes every later element NaN, as in NumPy;
   * integers and bools give int64.
   *
   * @param axis the axis (negative counts from the end)
   * @return the lazy result, with this array's shape and chunks
   * @throws ArrayException if the axis is out of range or the chunk sizes are unknown
   */
  public Array cumsum(int axis) {
    return Scans.scan(this, axis, false);
  }

  /**
   * Returns the cumulative product along an axis, like NumPy's {@code cumprod(axis)} (see
   * {@link #cumsum(int)}).
   *
   * @param axis the axis (negative counts from the end)
   * @return the lazy result
   * @throws ArrayException if the axis is out of range or the chunk sizes are unknown
   */
  public Array cumprod(int axis) {
    return Scans.scan(this, axis, true);
  }

  /**
   * Returns the histogram of all elements in {@code bins} equal bins over {@code [lo, hi]},
   * like {@code numpy.histogram(x, bins, range=(lo, hi))}: a tree reduction of per-block
   * counts. Bin {@code i} is {@code [e[i], e[i+1])}, the last bin also holds {@code hi}; values
   * outside the range and NaN are not counted.
   *
   * @param bins the number of bins, at least 1
   * @param lo the lower end of the range
   * @param hi the upper end (if equal to lo, the range is widened by 0.5 each side, as NumPy)
   * @return the lazy int64 counts and the edges
   * @throws ArrayException if bins is below 1 or the range is not finite and ordered
   */
  public Histogram histogram(int bins, double lo, double hi) {
    return Histograms.histogram(this, Histograms.uniformEdges(bins, lo, hi), true, null);
  }

  /**
   * Returns the histogram over explicit bin edges, optionally weighted: like
   * {@code numpy.histogram(x, bins=edges, weights=w)}.
   *
   * @param edges the bin edges, non-decreasing, at least 2
   * @param weights one weight per element (same shape; float64 sums), or null for counts
   * @return the lazy counts (int64, or float64 with weights) and the edges
   * @throws ArrayException if the edges decrease or the weights have another shape
   */
  public Histogram histogram(double[] edges, Array weights) {
    Objects.requireNonNull(edges, "edges");
    return Histograms.histogram(this, edges, false, weights);
  }

  /**
   * Counts the occurrences of each non-negative integer in a 1-d array, like
   * {@code numpy.bincount(x, weights, minlength)}: a tree reduction of per-block counts. The
   * result has length {@code max(x) + 1} (at least {@code minlength}), unknown (-1) until
   * computed, as in Dask.
   *
   * @param weights one weight per element (float64 sums), or null for counts (int64)
   * @param minlength the least length of the result
   * @return the lazy 1-d counts, one block
   * @throws ArrayException if the array is not 1-d integers, or the weights' shape differs;
   *     a negative element fails the computation with its position
   */
  public Array bincount(Array weights, long minlength) {
    return Histograms.bincount(this, weights, minlength);
  }

  /**
   * Returns the {@code k} largest elements along the last axis ({@code k > 0}, descending) or
   * the {@code -k} smallest ({@code k < 0}, ascending), like Dask's {@code topk}: a tree
   * reduction in which each block keeps only its best {@code |k|} candidates.
   *
   * @param k how many, non-zero, {@code |k|} at most the axis length
   * @return the lazy result; the axis has length {@code |k|}, in one block
   * @throws ArrayException if k is 0 or too large, or the array is 0-d or int64
   */
  public Array topk(int k) {
    return TopK.topk(this, k, -1, false);
  }

  /**
   * Returns the {@code k} largest (k &gt; 0) or {@code -k} smallest (k &lt; 0) elements along
   * an axis (see {@link #topk(int)}); NaN ranks above every number, as in NumPy's sort, and
   * equal values keep their order along the axis.
   *
   * @param k how many, non-zero
   * @param axis the axis
   * @return the lazy result
   * @throws ArrayException if k is 0 or too large, or the axis is out of range
   */
  public Array topk(int k, int axis) {
    return TopK.topk(this, k, axis, false);
  }

  /**
   * Returns the indices along the last axis of the elements {@link #topk(int)} returns, like
   * Dask's {@code argtopk}.
   *
   * @param k how many, non-zero
   * @return the lazy int64 indices
   * @throws ArrayException if k is 0 or too large
   */
  public Array argtopk(int k) {
    return TopK.topk(this, k, -1, true);
  }

  /**
   * Returns the indices along an axis of the elements {@link #topk(int, int)} returns.
   *
   * @param k how many, non-zero
   * @param axis the axis
   * @return the lazy int64 indices
   * @throws ArrayException if k is 0 or too large, or the axis is out of range
   */
  public Array argtopk(int k, int axis) {
    return TopK.topk(this, k, axis, true);
  }

  /**
   * Returns the sorted distinct elements and their counts, like
   * {@code numpy.unique(x, return_counts=True)}: a tree reduction that merges sorted lists of
   * distinct values (all NaNs count as one value, sorted last).
   *
   * @return the lazy values and counts, 1-d of unknown length until computed
   */
  public Unique unique() {
    return SetOps.unique(this);
  }

  /**
   * Returns whether each element is among the elements of {@code test}, like
   * {@code numpy.isin}: the distinct test values are found by a tree reduction, then each
   * block looks its elements up in them. NaN is in nothing, as in NumPy.
   *
   * @param test the values to look for, any shape
   * @return the lazy bool result, with this array's shape and chunks
   * @throws ArrayException if either array has unknown chunk sizes
   */
  public Array isin(Array test) {
    Objects.requireNonNull(test, "test");
    return SetOps.isin(this, test);
  }

  /**
   * Applies a function to every block extended by ghost cells from its neighbours, then trims
   * them off, like Dask's {@code map_overlap}: for stencils and image filters that need
   * {@code depth[d]} neighbours along axis {@code d}. Beyond the array's edges the
   * {@link Boundary} supplies the cells. The function receives the extended block and must
   * return an array of the same shape; for example a 3 x 3 mean filter is
   * {@code x.mapOverlap(b -> ..., new int[] {1, 1}, Boundary.reflect(), DType.FLOAT64)}.
   *
   * @param fn the function of one extended block
   * @param depth the ghost cells on each side, one per axis (or one for all axes)
   * @param boundary what lies beyond the edges
   * @param dtype the type of the result
   * @return the lazy result, with this array's shape and chunks
   * @throws ArrayException if a depth is negative, there are not one per axis, or a
   *     reflect/periodic depth exceeds the axis length
   */
  public Array mapOverlap(BlockFunction fn, int[] depth, Boundary boundary, DType dtype) {
    Objects.requireNonNull(fn, "fn");
    Objects.requireNonNull(depth, "depth");
    Objects.requireNonNull(boundary, "boundary");
    Objects.requireNonNull(dtype, "dtype");
    return Overlap.mapOverlap(this, fn, depth, boundary, dtype);
  }

  /**
   * Applies a function to every block extended by {@code depth} ghost cells along every axis
   * (see {@link #mapOverlap(BlockFunction, int[], Boundary, DType)}), keeping the type.
   *
   * @param fn the function of one extended block
   * @param depth the ghost cells on each side of every axis
   * @param boundary what lies beyond the edges
   * @return the lazy result
   */
  public Array mapOverlap(BlockFunction fn, int depth, Boundary boundary) {
    Objects.requireNonNull(fn, "fn");
    Objects.requireNonNull(boundary, "boundary");
    return Overlap.mapOverlap(this, fn, new int[] {depth}, boundary, dtype);
  }

  /**
   * Evaluates an Einstein summation over chunked operands, like {@code numpy.einsum}, planned
   * into the blockwise contraction ({@code tensordot}), the batched matmul, tree-reduced sums
   * and broadcast products: {@code "ij,jk->ik"} (matmul), {@code "bij,bjk->bik"} (batched),
   * {@code "ij->ji"}, {@code "ii->"} (trace), {@code "ii->i"} (diagonal), {@code "i,j->ij"}
   * (outer), {@code "ijk,jkl->il"} (several contracted indices), {@code "ij->i"} (a sum).
   * Without {@code "->"} the output is the indices used once, sorted (NumPy's implicit mode).
   * Products need float operands, as {@link #matmul} does.
   *
   * @param subscripts the subscripts, one letter per axis, operands separated by commas
   * @param operands the arrays, one per operand
   * @return the lazy result
   * @throws ArrayException for ellipses, a letter repeated within an operand of other than 2
   *     dimensions, subscripts that do not match the operands, or one index with two lengths
   */
  public static Array einsum(String subscripts, Array... operands) {
    Objects.requireNonNull(subscripts, "subscripts");
    Checks.noNulls(operands, "operands");
    return Einsum.einsum(subscripts, operands);
  }

  // ---------------------------------------------------------------- storage

  /**
   * Returns one delayed value per block, in C order of the block indices (the last axis
   * fastest), sharing this array's graph, like Dask's {@code to_delayed()} flattened; the same
   * as {@code Frame.toDelayed()} and {@code Bag.toDelayed()}, one per partition.
   *
   * @return the blocks
   */
  public List<Delayed<INDArray>> toDelayed() {
    TaskGraph g = graph();
    List<Delayed<INDArray>> out = new ArrayList<>();
    for (Key k : outputKeys()) {
      out.add(Delayed.fromKey(k, g));
    }
    return out;
  }

  /**
   * Computes and returns the first {@code n} entries along axis 0 (all of them if there are
   * fewer), reading only the blocks that hold them; {@code head} of frames and bags is the
   * same: the first rows or elements, computing no more partitions than needed.
   *
   * @param n how many, at least 0
   * @return an array of at most {@code n} entries along axis 0
   * @throws ArrayException if the array is 0-d, its length is unknown or {@code n} is
   *     negative
   */
  public INDArray head(long n) {
    if (ndim() == 0 || n < 0 || shape[0] < 0) {
      throw new ArrayException("head(" + n + "): needs n >= 0 and an array of at least one"
          + " dimension whose length is known (computeChunkSizes() first); " + this
          + " has shape " + Arrays.toString(shape));
    }
    Index[] idx = new Index[ndim()];
    Arrays.fill(idx, Index.all());
    idx[0] = Index.slice(0, Math.min(n, shape[0]));
    return get(idx).compute();
  }

  /**
   * Writes the array as Dask's npy stack, now, on the scheduler in scope: a directory of
   * {@code .npy} files, one per block along {@code axis} ({@code 0.npy, 1.npy, ...}, each
   * readable with {@code numpy.load}), plus Dask's pickled {@code info} file (every axis's
   * chunks, the dtype and the axis), so that {@code dask.array.from_npy_stack(dir)} reads it;
   * other axes are first rechunked whole. Files of an older stack in the directory (its
   * {@code info.json}, blocks past the new last one) are removed; other files are left alone.
   *
   * @param dir the directory, created if missing
   * @param axis the axis along which blocks are split
   * @return the block files written, in order (like every writer: it runs now)
   * @throws ArrayException if the axis is out of range, the chunks are unknown, or the array
   *     reads from {@code dir} itself
   */
  public List<String> toNpyStack(java.nio.file.Path dir, int axis) {
    Objects.requireNonNull(dir, "dir");
    return NpyStack.write(this, dir, axis, Tessera.scheduler());
  }

  /**
   * Returns a lazy array reading an npy stack: one written by {@link #toNpyStack} or by Dask's
   * {@code to_npy_stack} (its pickled {@code info} gives the chunks, dtype and axis), one with
   * the {@code info.json} of earlier Tessera versions, or plain files {@code 0.npy, 1.npy,
   * ...} that NumPy wrote, joined along axis 0 (their headers give the chunks; a gap in the
   * numbering is refused with the list of files found; a single 0-d file is a 0-d array).
   * Files may be little- or big-endian (converted on read), in C or Fortran order, of format
   * 1.0 to 3.0 and with headers of any length; a truncated or damaged file fails naming it.
   *
   * @param dir the directory
   * @return the array, one block per file
   * @throws ArrayException if the directory holds no stack, a file is missing or a header is
   *     damaged
   */
  public static Array fromNpyStack(java.nio.file.Path dir) {
    Objects.requireNonNull(dir, "dir");
    return NpyStack.read(dir);
  }

  /**
   * Computes the array block by block into a preallocated array of the same shape (each block
   * is copied into its region by its own task; the whole array is never assembled twice).
   *
   * @param target the destination, of the same shape; converted to its type
   * @return the target
   */
  public INDArray store(INDArray target) {
    Objects.requireNonNull(target, "target");
    return Storage.store(this, target, Tessera.scheduler());
  }

  // ---------------------------------------------------------------- layout

  /** {@return the shape; a copy} */
  public long[] shape() {
    return shape.clone();
  }

  /** {@return the number of dimensions} */
  public int ndim() {
    return shape.length;
  }

  /** {@return the number of elements} */
  public long size() {
    return Layout.size(shape);
  }

  /** {@return the element type} */
  public DType dtype() {
    return dtype;
  }

  /**
   * {@return the chunk sizes per axis, Dask's {@code chunks}; a copy} A size of -1 is unknown
   * (after boolean mask indexing; see {@link #computeChunkSizes()}).
   */
  public long[][] chunks() {
    return Layout.copy(chunks);
  }

  /** {@return the number of blocks along each axis} */
  public int[] numBlocks() {
    return Layout.numBlocks(chunks);
  }

  /** {@return the name shared by this array's block keys} */
  public String name() {
    return name;
  }

  /**
   * Returns the key of one block.
   *
   * @param index the block index, one entry per axis
   * @return the key
   */
  public Key blockKey(int... index) {
    Objects.requireNonNull(index, "index");
    return Key.of(name, index);
  }

  // ---------------------------------------------------------------- Lazy

  @Override
  public TaskGraph graph() {
    return graph;
  }

  @Override
  public List<Key> outputKeys() {
    List<Key> keys = new ArrayList<>();
    for (int[] idx : Layout.blockIndices(Layout.numBlocks(chunks))) {
      keys.add(Key.of(name, idx));
    }
    return keys;
  }

  @Override
  public Fn1<List<Object>, INDArray> assembler() {
    if (!Layout.known(chunks)) {
      return new AssembleUnknown(chunks, dtype);
    }
    return new Assemble(shape, chunks, dtype);
  }

  @Override
  public Array withGraph(TaskGraph graph) {
    Objects.requireNonNull(graph, "graph");
    return new Array(graph, name, shape, chunks, dtype);
  }

  /**
   * Culls, fuses an elementwise arithmetic operation into the sum or mean over every axis
   * that is its only user (the elementwise block is then never written), then inlines block
   * generators into their users when the generated data is larger than
   * {@link #inlineThresholdBytes()} (so a block is regenerated rather than held: what keeps
   * {@code (x + x.T).sum()} over an array larger than memory in bounded memory), then fuses
   * linear chains of block operations into single tasks. Before inlining, blocks private
   * to one consumer are marked to be freed by it right after use, so their memory is reused
   * at once rather than after the next garbage collection.
   */
  @Override
  public TaskGraph optimize(TaskGraph graph, List<Key> keys) {
    Objects.requireNonNull(graph, "graph");
    Checks.noNulls(keys, "keys");
    TaskGraph g = Fusion.apply(Graphs.cull(graph, keys), keys);
    long generated = 0;
    GraphIndex idx = g.index();
    for (int i = 0; i < idx.size(); i++) {
      Task t = idx.task(i);
      if (t.function() instanceof Generator gen && t.dependencyCount() == 0) {
        generated += Optimize.bytes(gen);
      }
    }
    boolean inline = generated > inlineThresholdBytes();
    g = Release.apply(g, keys, inline);
    if (inline) {
      g = Graphs.inline(g, keys, t -> t.function() instanceof Generator
          && t.dependencyCount() == 0);
    }
    return Graphs.fuse(g, keys);
  }

  /**
   * {@return the size of generated data above which generator tasks are inlined into their
   * users: the system property {@code tessera.array.inlineBytes}, or half the JVM's maximum
   * heap (ND4J's off-heap memory is capped at the same size by default)}
   */
  public static long inlineThresholdBytes() {
    String p = System.getProperty("tessera.array.inlineBytes");
    return p != null ? Long.parseLong(p) : Runtime.getRuntime().maxMemory() / 2;
  }

  /**
   * Sets how many threads each ND4J operation may use (OpenMP, master and BLAS threads). A
   * threaded scheduler already runs one block per core, so 1 avoids oversubscribing the cores
   * (the same as {@code OMP_NUM_THREADS=1}); the ND4J default uses every core per operation.
   * Process-wide.
   *
   * @param threads threads per operation, at least 1
   */
  public static void setNd4jThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxThreads(threads);
    org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxMasterThreads(threads);
    org.nd4j.linalg.factory.Nd4j.factory().blas().setMaxThreads(threads);
  }

  @Override
  public Array persist() {
    return (Array) Lazy.super.persist();
  }

  @Override
  public Array persist(Scheduler scheduler) {
    Objects.requireNonNull(scheduler, "scheduler");
    return (Array) Lazy.super.persist(scheduler);
  }

  /**
   * Computes several arrays at once; the work they share runs once.
   *
   * @param arrays the arrays
   * @return their values, in order
   */
  public static List<INDArray> compute(Array... arrays) {
    Checks.noNulls(arrays, "arrays");
    List<INDArray> out = new ArrayList<>();
    for (Object o : Tessera.compute(arrays)) {
      out.add((INDArray) o);
    }
    return out;
  }

  @Override
  public String toString() {
    return "Array(" + name + ", shape=" + Arrays.toString(shape) + ", dtype=" + dtype
        + ", chunks=" + Arrays.deepToString(chunks) + ")";
  }

  /** Concatenates the computed blocks into the result. */
  record Assemble(long[] shape, long[][] chunks, DType dtype)
      implements Fn1<List<Object>, INDArray> {
    @Override
    public INDArray apply(List<Object> blocks) {
      return Nd.assemble(blocks, shape, chunks, dtype);
    }
  }

  /**
   * Assembles blocks whose sizes are unknown along some axes (after boolean mask indexing):
   * those sizes are read off the computed blocks, then the blocks are placed as usual.
   */
  record AssembleUnknown(long[][] chunks, DType dtype) implements Fn1<List<Object>, INDArray> {
    @Override
    public INDArray apply(List<Object> blocks) {
      int[] numBlocks = Layout.numBlocks(chunks);
      List<int[]> indices = Layout.blockIndices(numBlocks);
      long[][] c = Layout.copy(chunks);
      for (int i = 0; i < indices.size(); i++) {
        int[] idx = indices.get(i);
        long[] bs = ((INDArray) blocks.get(i)).shape();
        for (int d = 0; d < c.length; d++) {
          if (c[d][idx[d]] == Layout.UNKNOWN) {
            c[d][idx[d]] = bs.length == c.length ? bs[d] : ((INDArray) blocks.get(i)).length();
          }
        }
      }
      long[] shape = new long[c.length];
      for (int d = 0; d < c.length; d++) {
        shape[d] = Arrays.stream(c[d]).sum();
      }
      return Nd.assemble(blocks, shape, c, dtype);
    }
  }
}
