package dev.tessera.bag;

import dev.tessera.graph.Fn1;
import dev.tessera.graph.Fn2;
import dev.tessera.graph.core.TaskFunction;
import java.nio.charset.Charset;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The task functions of bag graphs: small serializable records, one per kind of task. */
@SuppressWarnings({"unchecked", "rawtypes"})
final class Tasks {
  private Tasks() {}

  /** Runs a partition's pipeline into a new list: args = {input}. */
  record Collect(Pipeline.Source source, List<Pipeline.Step> steps, String bag, int partition)
      implements TaskFunction {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(Object[] args) throws Exception {
      List<Object> out = new ArrayList<>();
      Pipeline.run(source, args[0], steps, out::add, bag, partition);
      return out;
    }
  }

  /** Runs a partition's pipeline into a reducer: its partial result. args = {input}. */
  record Chunk(Pipeline.Source source, List<Pipeline.Step> steps, Reducer reducer, String bag,
      int partition) implements TaskFunction {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(Object[] args) throws Exception {
      Object[] acc = {reducer.start()};
      Pipeline.run(source, args[0], steps, x -> acc[0] = reducer.add(acc[0], x), bag, partition);
      return reducer.endChunk(acc[0]);
    }
  }

  /** Combines partial results: args = {list of partials}. */
  record Combine(Reducer reducer) implements TaskFunction {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(Object[] args) throws Exception {
      return reducer.combine((List<Object>) args[0]);
    }
  }

  /** The reduction's value from the last partials: args = {list of partials}. */
  record Aggregate(Reducer reducer) implements TaskFunction {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(Object[] args) throws Exception {
      return reducer.finish(reducer.combine((List<Object>) args[0]));
    }
  }

  /** A user function of a whole partition: args = {partition}. */
  record MapPartition(Fn1 fn, String bag, int partition) implements TaskFunction {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(Object[] args) throws Exception {
      Object r;
      try {
        r = fn.apply(args[0]);
      } catch (Exception e) {
        throw new BagElementException(bag, partition, -1, "mapPartitions function", e);
      }
      List<Object> out = new ArrayList<>();
      Pipeline.Source elements = new Pipeline.Elements();
      elements.emit(r, out::add);
      return out;
    }
  }

  /** Pairs the elements of two partitions: args = {left, right}. */
  record Zip(Fn2 fn, String bag, int partition) implements TaskFunction {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(Object[] args) throws Exception {
      List a = (List) args[0];
      List b = (List) args[1];
      if (a.size() != b.size()) {
        throw new IllegalStateException("zip: partition " + partition + " has " + a.size()
            + " elements on the left and " + b.size() + " on the right; zip needs bags whose"
            + " partitions have equal lengths (repartition both the same way first)");
      }
      List<Object> out = new ArrayList<>(a.size());
      for (int i = 0; i < a.size(); i++) {
        try {
          out.add(fn.apply(a.get(i), b.get(i)));
        } catch (Exception e) {
          throw new BagElementException(bag, partition, i, "zip function", e);
        }
      }
      return out;
    }
  }

  /** Concatenates partitions: args = {list of partitions}. */
  record Concat() implements TaskFunction {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(Object[] args) {
      List<Object> out = new ArrayList<>();
      for (Object p : (List<?>) args[0]) {
        out.addAll((List) p);
      }
      return out;
    }
  }

  /** Piece {@code piece} of {@code pieces} near-equal slices of a partition: args = {partition}. */
  record Slice(int piece, int pieces) implements TaskFunction {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(Object[] args) {
      List l = (List) args[0];
      long n = l.size();
      int from = (int) (n * piece / pieces);
      int to = (int) (n * (piece + 1) / pieces);
      return new ArrayList<>(l.subList(from, to));
    }
  }

  /**
   * Splits a partition's elements into {@code buckets} pieces of (key, element) pairs by the
   * key's hash, held in memory or spilled to disk as they arrive ({@link BagSpill.Splitter}):
   * the first half of groupby's shuffle. args = {input}.
   */
  record Split(Pipeline.Source source, List<Pipeline.Step> steps, Fn1 key, int buckets,
      String bag, int partition, String task) implements TaskFunction {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(Object[] args) throws Exception {
      BagSpill.Splitter out = new BagSpill.Splitter(buckets, bag, task);
      try {
        Pipeline.run(source, args[0], steps, x -> {
          Object k = Reducers.call("groupby key", key, x);
          out.add(bucket(k, buckets), k, x);
        }, bag, partition);
        return out.finish();
      } catch (Exception | Error e) {
        throw out.abort(e);
      }
    }
  }

  /** The bucket of a key: its hash, spread, modulo the bucket count. */
  static int bucket(Object key, int buckets) {
    int h = key == null ? 0 : key.hashCode();
    h ^= h >>> 16;
    return Math.floorMod(h * 0x9E3779B9, buckets);
  }

  /** Picks bucket {@code j} of a split: args = {buckets}. */
  record Pick(int j) implements TaskFunction {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(Object[] args) {
      return ((List) args[0]).get(j);
    }
  }

  /**
   * Groups one piece from every input partition, in partition order (spilled pieces read back
   * from their files), so each group keeps bag order: args = {list of pieces}. The pieces are
   * released (memory given back, files deleted) once the result is made; a failed gather keeps
   * them, as they are the inputs a rerun needs.
   */
  record Group() implements TaskFunction {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(Object[] args) {
      List<?> pieces = (List<?>) args[0];
      Map<Object, List<Object>> groups = new LinkedHashMap<>();
      for (Object p : pieces) {
        BagSpill.forEach(p, (k, x) -> groups.computeIfAbsent(k, g -> new ArrayList<>()).add(x));
      }
      List<Object> out = new ArrayList<>(groups.size());
      groups.forEach((k, v) -> out.add(new SimpleImmutableEntry<>(k, v)));
      for (Object p : pieces) {
        BagSpill.release(p);
      }
      return out;
    }
  }

  /** Writes a partition to a text file; returns the path. args = {input}. */
  record Write(Pipeline.Source source, List<Pipeline.Step> steps, String path, String charset,
      String bag, int partition) implements TaskFunction {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(Object[] args) throws Exception {
      return TextFiles.write(path, Charset.forName(charset), source, args[0], steps, bag,
          partition);
    }
  }

  /** The results of its arguments as a new list: args = {list of values}. */
  record AsList() implements TaskFunction {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(Object[] args) {
      return new ArrayList<>((List<?>) args[0]);
    }
  }
}
