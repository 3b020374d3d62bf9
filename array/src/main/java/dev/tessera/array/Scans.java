package dev.tessera.array;

import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskFunction;
import dev.tessera.graph.core.Tokens;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.transforms.custom.CumProd;
import org.nd4j.linalg.api.ops.impl.transforms.custom.CumSum;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Cumulative sums and products along one axis, as Dask's {@code cumreduction}: three layers.
 * <ol>
 *   <li><b>local</b>: every block is scanned along the axis on its own (ND4J's cumsum and
 *       cumprod; an exact loop for int64);</li>
 *   <li><b>carry</b>: along the axis, carry {@code i} is carry {@code i - 1} combined with the
 *       last slice of local block {@code i - 1} (a chain of small tasks, one slice each, so only
 *       slices travel along the axis);</li>
 *   <li><b>out</b>: block {@code i} is local block {@code i} combined with carry {@code i},
 *       broadcast along the axis (block 0 is the local scan itself).</li>
 * </ol>
 * NaN and infinities propagate exactly as in NumPy's sequential scan: a NaN makes every later
 * element NaN, since it enters the carry. Integer and bool inputs give int64, as NumPy does.
 */
final class Scans {
  private Scans() {}

  static Array scan(Array a, int axisIn, boolean product) {
    String op = product ? "cumprod" : "cumsum";
    if (!Layout.known(a.chunks)) {
      throw new ArrayException(op + ": " + a + " has unknown chunk sizes; call"
          + " computeChunkSizes() first");
    }
    if (a.ndim() == 0) {
      throw new ArrayException(op + ": a 0-d array has no axis to scan; reshape(1) it first");
    }
    int axis = Layout.axis(axisIn, a.ndim(), op);
    DType t = a.dtype.isFloat() ? a.dtype : DType.INT64;
    Array in = a.astype(t);
    String localName = Tokens.name(op + "-local", in, axis);
    String carryName = Tokens.name(op + "-carry", in, axis);
    String outName = Tokens.name(op, in, axis);
    Map<Key, Task> local = new LinkedHashMap<>();
    Map<Key, Task> carry = new LinkedHashMap<>();
    Map<Key, Task> out = new LinkedHashMap<>();
    for (int[] idx : Layout.blockIndices(in.numBlocks())) {
      local.put(Key.of(localName, idx), Task.of(new Local(axis, product), in.blockKey(idx)));
    }
    for (int[] idx : Layout.blockIndices(in.numBlocks())) {
      Key lk = Key.of(localName, idx);
      if (idx[axis] == 0) {
        out.put(Key.of(outName, idx), Task.alias(lk));
        continue;
      }
      int[] prev = idx.clone();
      prev[axis]--;
      Key prevLocal = Key.of(localName, prev);
      // carry i = carry (i - 1) (absent for i = 1) + last slice of local (i - 1)
      Task c = prev[axis] == 0 ? Task.of(new Carry(axis, product, false), prevLocal)
          : Task.of(new Carry(axis, product, true), prevLocal, Key.of(carryName, prev));
      carry.put(Key.of(carryName, idx), c);
      out.put(Key.of(outName, idx), Task.of(new Apply(axis, product), lk,
          Key.of(carryName, idx)));
    }
    Array l = Array.of(localName, op + "-local", local, a.shape, a.chunks, t, List.of(in));
    Array deps = carry.isEmpty() ? l
        : Array.of(carryName, op + "-carry", carry, a.shape, a.chunks, t, List.of(l));
    return Array.of(outName, op, out, a.shape, a.chunks, t, carry.isEmpty() ? List.of(l)
        : List.of(l, deps));
  }

  /** The block scanned along the axis on its own. */
  record Local(int axis, boolean product) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      INDArray x = (INDArray) args[0];
      if (x.length() == 0) {
        return x;
      }
      if (!x.dataType().isFPType()) {
        return Memory.track(longScan(x, axis, product));
      }
      INDArray r = product ? Nd4j.exec(new CumProd(x, false, false, axis))[0]
          : Nd4j.exec(new CumSum(x, false, false, axis))[0];
      return Memory.track(Nd.shaped(r, x.shape()));
    }
  }

  /** ND4J's cumsum/cumprod take floats only: an exact int64 scan in C order. */
  static INDArray longScan(INDArray x, int axis, boolean product) {
    long[] s = x.shape();
    long[] v = Histograms.longs(x);
    long n = s[axis];
    long inner = 1;
    for (int d = axis + 1; d < s.length; d++) {
      inner *= s[d];
    }
    long outer = v.length / (n * inner);
    for (long o = 0; o < outer; o++) {
      for (long i = 1; i < n; i++) {
        int at = (int) ((o * n + i) * inner);
        int prev = at - (int) inner;
        for (int j = 0; j < inner; j++) {
          v[at + j] = product ? v[prev + j] * v[at + j] : v[prev + j] + v[at + j];
        }
      }
    }
    return Nd4j.createFromArray(v).reshape('c', s);
  }

  /**
   * The running total before a block: the last slice of the previous local block (keeping the
   * axis, length 1), combined with the carry before that one.
   */
  record Carry(int axis, boolean product, boolean withPrevious) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      INDArray prevLocal = (INDArray) args[0];
      INDArray before = withPrevious ? (INDArray) args[1] : null;
      long[] s = prevLocal.shape();
      long n = s[axis];
      long[] one = s.clone();
      one[axis] = 1;
      if (Layout.size(one) == 0) {
        return Nd4j.create(prevLocal.dataType(), one);   // other axes empty: nothing to carry
      }
      if (n == 0) {
        // an empty block adds nothing: pass the carry on (or the identity)
        if (before != null) {
          return before;
        }
        INDArray id = Nd4j.create(prevLocal.dataType(), one);
        return product ? id.assign(1) : id;
      }
      long[] off = new long[s.length];
      off[axis] = n - 1;
      INDArray last = Nd.view(prevLocal, off, one).dup('c');
      if (before == null) {
        return last;
      }
      return product ? last.muli(before) : last.addi(before);
    }
  }

  /**
   * Local block combined with its carry, broadcast along the axis by ND4J's broadcast ops
   * over the other axes (materializing the broadcast carry first took 3 times as long).
   */
  record Apply(int axis, boolean product) implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      INDArray x = (INDArray) args[0];
      INDArray c = (INDArray) args[1];
      if (x.length() == 0) {
        return x;
      }
      long[] s0 = x.shape();
      // a 1-d block as (n, 1), its carry broadcast along axis 1 (ND4J's scalar ops with a
      // NaN scalar do not give NaN, so they cannot be used)
      boolean flat = s0.length == 1;
      INDArray in = flat ? x.reshape('c', s0[0], 1) : x;
      int ax = flat ? 0 : axis;
      long[] s = in.shape();
      int[] dims = new int[s.length - 1];
      for (int d = 0, j = 0; d < s.length; d++) {
        if (d != ax) {
          dims[j++] = d;
        }
      }
      INDArray y = c.reshape('c', TopK.withoutAxis(s, ax));
      INDArray z = Nd4j.createUninitialized(x.dataType(), s);
      Nd4j.exec(product ? new BroadcastMulOp(in, y, z, dims)
          : new BroadcastAddOp(in, y, z, dims));
      return Memory.track(flat ? z.reshape('c', s0) : z);
    }
  }
}
