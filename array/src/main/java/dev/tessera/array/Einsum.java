package dev.tessera.array;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code einsum} planned into the existing machinery, operand by operand from the left. For
 * each pair (the running result and the next operand), with "kept" the letters of the output
 * and of the operands still to come:
 * <ul>
 *   <li>a letter in one operand only and not kept is summed out first (a tree reduction);</li>
 *   <li>letters in both and not kept are contracted: with no shared kept letter this is
 *       {@link Contraction#tensordot}; with shared kept letters (batch letters) both operands
 *       are transposed and reshaped to {@code (batch..., M, K)} and {@code (batch..., K, N)} and
 *       multiplied with the batched matmul;</li>
 *   <li>with nothing to contract it is a broadcast elementwise product (outer products,
 *       {@code "ij,ij->ij"}).</li>
 * </ul>
 * A letter repeated within a 2-d operand ({@code "ii"}) takes the diagonal (the operand times
 * the identity, summed over one axis); finally the result is transposed to the output order.
 * Not supported, with an error that says so: ellipses ({@code "..."}) and a letter repeated
 * within an operand of other than 2 dimensions.
 */
final class Einsum {
  private Einsum() {}

  /** An operand with one letter per axis. */
  record Term(Array array, String letters) {}

  static Array einsum(String spec, Array... operands) {
    String s = spec.replace(" ", "");
    if (s.contains(".")) {
      throw new ArrayException("einsum: ellipses ('...') are not supported in '" + spec
          + "'; name every axis with a letter");
    }
    String[] io = s.split("->", -1);
    if (io.length > 2) {
      throw new ArrayException("einsum: more than one '->' in '" + spec + "'");
    }
    String[] inputs = io[0].split(",", -1);
    if (inputs.length != operands.length) {
      throw new ArrayException("einsum: '" + spec + "' has " + inputs.length
          + " operand(s) but " + operands.length + " array(s) were given");
    }
    Map<Character, Long> lengths = new LinkedHashMap<>();
    Map<Character, Integer> uses = new LinkedHashMap<>();
    List<Term> terms = new ArrayList<>();
    for (int i = 0; i < inputs.length; i++) {
      String t = inputs[i];
      Array a = operands[i];
      if (t.length() != a.ndim()) {
        throw new ArrayException("einsum: operand " + i + " has " + a.ndim()
            + " dimensions but its subscripts '" + t + "' name " + t.length());
      }
      for (int d = 0; d < t.length(); d++) {
        char c = t.charAt(d);
        if (!Character.isLetter(c) || c > 127) {
          throw new ArrayException("einsum: subscript '" + c + "' in '" + spec
              + "' is not a letter a-z or A-Z");
        }
        Long had = lengths.putIfAbsent(c, a.shape[d]);
        if (had != null && had != a.shape[d]) {
          throw new ArrayException("einsum: index '" + c + "' has length " + had
              + " in one place and " + a.shape[d] + " in operand " + i + " (axis " + d
              + "); lengths of one index must match");
        }
        uses.merge(c, 1, Integer::sum);
      }
      terms.add(new Term(a, t));
    }
    String out;
    if (io.length == 2) {
      out = io[1];
      for (int d = 0; d < out.length(); d++) {
        char c = out.charAt(d);
        if (!lengths.containsKey(c)) {
          throw new ArrayException("einsum: output index '" + c + "' does not appear in the"
              + " inputs of '" + spec + "'");
        }
        if (out.indexOf(c) != d) {
          throw new ArrayException("einsum: output index '" + c + "' appears twice in '"
              + spec + "'");
        }
      }
    } else {
      // NumPy's implicit mode: the letters used once, in alphabetical order
      StringBuilder b = new StringBuilder();
      for (char c : new TreeSet<>(uses.keySet())) {
        if (uses.get(c) == 1) {
          b.append(c);
        }
      }
      out = b.toString();
    }
    for (int i = 0; i < terms.size(); i++) {
      terms.set(i, diagonal(terms.get(i), i));
    }
    Term acc = terms.get(0);
    for (int i = 1; i < terms.size(); i++) {
      StringBuilder keep = new StringBuilder(out);
      for (int j = i + 1; j < terms.size(); j++) {
        keep.append(terms.get(j).letters());
      }
      acc = pair(acc, terms.get(i), keep.toString());
    }
    acc = sumOut(acc, out, "");
    return permute(acc, out);
  }

  /** Takes the diagonal for a letter repeated in a 2-d operand. */
  static Term diagonal(Term t, int i) {
    String l = t.letters();
    for (int d = 0; d < l.length(); d++) {
      if (l.indexOf(l.charAt(d)) != d) {
        if (l.length() != 2) {
          throw new ArrayException("einsum: index '" + l.charAt(d) + "' repeats within operand "
              + i + " ('" + l + "'); a repeated index is supported only in a 2-d operand"
              + " ('ii', the diagonal)");
        }
        Array a = t.array();
        Array eye = Array.eye(a.shape[0], Chunks.explicit(a.chunks[0], a.chunks[1]), a.dtype);
        return new Term(a.mul(eye).sum(1), l.substring(0, 1));
      }
    }
    return t;
  }

  /** Sums out the letters of {@code t} that are neither in {@code keep} nor in {@code other}. */
  static Term sumOut(Term t, String keep, String other) {
    List<Integer> axes = new ArrayList<>();
    StringBuilder rest = new StringBuilder();
    for (int d = 0; d < t.letters().length(); d++) {
      char c = t.letters().charAt(d);
      if (keep.indexOf(c) < 0 && other.indexOf(c) < 0) {
        axes.add(d);
      } else {
        rest.append(c);
      }
    }
    if (axes.isEmpty()) {
      return t;
    }
    int[] ax = axes.stream().mapToInt(Integer::intValue).toArray();
    return new Term(t.array().sum(ax), rest.toString());
  }

  /** The array with its axes in the order of {@code want} (a permutation of its letters). */
  static Array permute(Term t, String want) {
    int[] perm = new int[want.length()];
    boolean identity = true;
    for (int d = 0; d < perm.length; d++) {
      perm[d] = t.letters().indexOf(want.charAt(d));
      identity &= perm[d] == d;
    }
    return identity ? t.array() : t.array().transpose(perm);
  }

  static Term pair(Term a0, Term b0, String keep) {
    Term a = sumOut(a0, keep, b0.letters());
    Term b = sumOut(b0, keep, a.letters());
    StringBuilder batch = new StringBuilder();
    StringBuilder contracted = new StringBuilder();
    StringBuilder freeA = new StringBuilder();
    StringBuilder freeB = new StringBuilder();
    for (char c : a.letters().toCharArray()) {
      if (b.letters().indexOf(c) >= 0) {
        (keep.indexOf(c) >= 0 ? batch : contracted).append(c);
      } else {
        freeA.append(c);
      }
    }
    for (char c : b.letters().toCharArray()) {
      if (a.letters().indexOf(c) < 0) {
        freeB.append(c);
      }
    }
    String result = "" + batch + freeA + freeB;
    if (contracted.length() == 0) {
      // nothing to contract: a broadcast product over (batch, freeA, freeB)
      Array x = withUnitAxes(permute(a, "" + batch + freeA), batch.length() + freeA.length(),
          freeB.length());
      Array y = withUnitAxes(permute(b, "" + batch + freeB), batch.length(), freeA.length());
      return new Term(x.mul(y), result);
    }
    if (batch.length() == 0 && freeA.length() == 0 && freeB.length() == 0) {
      // a full contraction ("ij,ij->"): a product then a tree-reduced sum (ND4J's tensordot
      // cannot give a 0-d block)
      return new Term(a.array().mul(permute(b, a.letters())).sum(), "");
    }
    if (batch.length() == 0) {
      int[] ca = new int[contracted.length()];
      int[] cb = new int[contracted.length()];
      for (int i = 0; i < ca.length; i++) {
        ca[i] = a.letters().indexOf(contracted.charAt(i));
        cb[i] = b.letters().indexOf(contracted.charAt(i));
      }
      // tensordot keeps a's free axes, then b's, each in their own order. ND4J's tensorMmul
      // fails when an operand has no free axis, so such an operand gets a unit axis, dropped
      // again from the result.
      Array x = freeA.length() == 0 ? a.array().expandDims(a.array().ndim()) : a.array();
      Array y = freeB.length() == 0 ? b.array().expandDims(b.array().ndim()) : b.array();
      Array p = Contraction.tensordot(x, y, ca, cb);
      if (freeB.length() == 0) {
        p = p.squeeze(p.ndim() - 1);
      }
      if (freeA.length() == 0) {
        p = p.squeeze(0);
      }
      return new Term(p, "" + freeA + freeB);
    }
    // batched: (batch..., M, K) @ (batch..., K, N)
    Array x = permute(a, "" + batch + freeA + contracted);
    Array y = permute(b, "" + batch + contracted + freeB);
    long[] bs = new long[batch.length()];
    for (int i = 0; i < bs.length; i++) {
      bs[i] = x.shape[i];
    }
    long m = prod(x.shape, batch.length(), batch.length() + freeA.length());
    long k = prod(x.shape, batch.length() + freeA.length(), x.ndim());
    long n = prod(y.shape, batch.length() + contracted.length(), y.ndim());
    Array p = Contraction.matmul(x.reshape(concat(bs, m, k)), y.reshape(concat(bs, k, n)));
    long[] shape = Arrays.copyOf(bs, bs.length + freeA.length() + freeB.length());
    for (int i = 0; i < freeA.length(); i++) {
      shape[bs.length + i] = x.shape[bs.length + i];
    }
    for (int i = 0; i < freeB.length(); i++) {
      shape[bs.length + freeA.length() + i] = y.shape[bs.length + contracted.length() + i];
    }
    return new Term(p.reshape(shape), result);
  }

  static long prod(long[] s, int from, int to) {
    long p = 1;
    for (int i = from; i < to; i++) {
      p *= s[i];
    }
    return p;
  }

  static long[] concat(long[] head, long m, long n) {
    long[] o = Arrays.copyOf(head, head.length + 2);
    o[head.length] = m;
    o[head.length + 1] = n;
    return o;
  }

  /** Inserts {@code count} axes of length 1 at position {@code at}. */
  static Array withUnitAxes(Array a, int at, int count) {
    Array r = a;
    for (int i = 0; i < count; i++) {
      r = r.expandDims(at);
    }
    return r;
  }
}
