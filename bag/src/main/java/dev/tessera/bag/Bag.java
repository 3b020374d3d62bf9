package dev.tessera.bag;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.Fn1;
import dev.tessera.graph.Fn2;
import dev.tessera.graph.GraphException;
import dev.tessera.graph.Lazy;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.Tessera;
import dev.tessera.graph.core.Checks;
import dev.tessera.graph.core.Graphs;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Layer;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskGraph;
import dev.tessera.graph.core.Tokens;
import dev.tessera.graph.core.TreeReduction;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A lazy, partitioned collection of plain objects, like Dask's {@code dask.bag}: lines of
 * text, words, records. Each partition is a {@code List<T>}; operations build a task graph,
 * {@link #compute()} runs it and returns every element, in partition order.
 *
 * <pre>{@code
 * List<Map.Entry<String, Long>> top = Bag.readText("logs/*.txt")
 *     .flatMap(line -> Arrays.asList(line.split("\\s+")))
 *     .frequencies()
 *     .topk(10, Map.Entry::getValue)
 *     .compute();
 * }</pre>
 *
 * <p>Element-wise operations ({@link #map}, {@link #filter}, {@link #flatMap}, {@link #pluck},
 * {@link #flatten}) are composed when the bag is built: a chain of them costs one task per
 * partition and no intermediate lists, and a reduction consumes the chain directly, so
 * {@code readText(...).flatMap(split).frequencies()} reads, splits and counts each block in one
 * task. Reductions run as trees: partial results are combined at most {@link #splitEvery(int)}
 * at a time, so no task receives every partition.
 *
 * <p>Functions are serializable ({@link Fn1}, {@link Fn2}) so that tasks can run in other JVMs;
 * a function that throws fails the computation with a {@link BagElementException} naming the
 * bag, the partition and the element's index (inside the scheduler's
 * {@link dev.tessera.graph.TaskFailedException}, which names the task's key). Bags are
 * immutable; every operation returns a new bag.
 *
 * @param <T> the element type
 */
public final class Bag<T> implements Lazy<List<T>> {
  /** How many partial results one task of a tree reduction combines, by default. */
  public static final int DEFAULT_SPLIT_EVERY = 8;

  /** The block size {@link #readText(String...)} splits files into: 64 MiB. */
  public static final long DEFAULT_BLOCKSIZE = 64L << 20;

  private final String name;
  private final String op;
  private final TaskGraph deps;
  // per partition: where its elements come from, and the task input (a Key, or null)
  private final List<Pipeline.Source> sources;
  private final List<Object> inputs;
  // element operations still to run, in order
  private final List<Pipeline.Step> steps;
  // whether the inputs are this bag's partitions already (no task of its own)
  private final boolean direct;
  // partition lengths when known at build time (for zip's check), else null
  private final long[] lengths;
  private final int splitEvery;
  private transient volatile TaskGraph graph;

  private Bag(String name, String op, TaskGraph deps, List<Pipeline.Source> sources,
      List<Object> inputs, List<Pipeline.Step> steps, boolean direct, long[] lengths,
      int splitEvery) {
    this.name = name;
    this.op = op;
    this.deps = deps;
    this.sources = List.copyOf(sources);
    this.inputs = Collections.unmodifiableList(new ArrayList<>(inputs));
    this.steps = List.copyOf(steps);
    this.direct = direct;
    this.lengths = lengths;
    this.splitEvery = splitEvery;
  }

  /** A bag whose partitions are the results of {@code keys}. */
  private static <T> Bag<T> direct(String name, TaskGraph graph, List<Key> keys, long[] lengths,
      int splitEvery) {
    List<Pipeline.Source> src = Collections.nCopies(keys.size(), new Pipeline.Elements());
    return new Bag<>(name, Key.of(name).prefix(), graph, src, new ArrayList<>(keys), List.of(),
        true, lengths, splitEvery);
  }

  // ---------------------------------------------------------------- creation

  /**
   * Returns a bag of {@code items} in {@code npartitions} partitions of near-equal size (some
   * may be empty when there are fewer items than partitions). The items are copied into the
   * graph.
   *
   * @param items the elements, in order; serializable to run on other processes
   * @param npartitions how many partitions, at least 1
   * @param <T> the element type
   * @return the bag
   * @throws GraphException if {@code npartitions < 1}
   */
  public static <T> Bag<T> fromCollection(Collection<? extends T> items, int npartitions) {
    Objects.requireNonNull(items, "items");
    if (npartitions < 1) {
      throw new GraphException("fromCollection: npartitions must be at least 1, got "
          + npartitions);
    }
    List<T> all = new ArrayList<>(items);
    List<List<T>> parts = new ArrayList<>(npartitions);
    long n = all.size();
    for (int i = 0; i < npartitions; i++) {
      parts.add(new ArrayList<>(all.subList((int) (n * i / npartitions),
          (int) (n * (i + 1) / npartitions))));
    }
    return fromPartitions(parts);
  }

  /**
   * The same as {@link #fromCollectionBySize}, under Dask's name ({@code from_sequence}).
   *
   * @param items the elements, in order
   * @param partitionSize elements per partition, at least 1
   * @param <T> the element type
   * @return the bag
   */
  public static <T> Bag<T> fromSequence(Collection<? extends T> items, int partitionSize) {
    Objects.requireNonNull(items, "items");
    return fromCollectionBySize(items, partitionSize);
  }

  /**
   * Returns a bag of {@code items} in partitions of {@code partitionSize} elements (the last
   * one may be shorter), like Dask's {@code from_sequence(seq, partition_size=...)}.
   *
   * @param items the elements, in order
   * @param partitionSize elements per partition, at least 1
   * @param <T> the element type
   * @return the bag; one empty partition if {@code items} is empty
   * @throws GraphException if {@code partitionSize < 1}
   */
  public static <T> Bag<T> fromCollectionBySize(Collection<? extends T> items,
      int partitionSize) {
    Objects.requireNonNull(items, "items");
    if (partitionSize < 1) {
      throw new GraphException("fromCollectionBySize: partitionSize must be at least 1, got "
          + partitionSize);
    }
    List<T> all = new ArrayList<>(items);
    List<List<T>> parts = new ArrayList<>();
    for (int from = 0; from < all.size(); from += partitionSize) {
      parts.add(new ArrayList<>(all.subList(from, Math.min(all.size(), from + partitionSize))));
    }
    if (parts.isEmpty()) {
      parts.add(new ArrayList<>());
    }
    return fromPartitions(parts);
  }

  /**
   * Returns a bag with exactly the given partitions (copied), any of them possibly empty.
   *
   * @param partitions the partitions, at least one
   * @param <T> the element type
   * @return the bag
   * @throws GraphException if there is no partition
   */
  public static <T> Bag<T> fromPartitions(List<? extends List<? extends T>> partitions) {
    Checks.noNulls(partitions, "partitions");
    if (partitions.isEmpty()) {
      throw new GraphException("a bag needs at least one partition (it may be empty)");
    }
    List<List<T>> parts = new ArrayList<>();
    long[] lengths = new long[partitions.size()];
    for (int i = 0; i < partitions.size(); i++) {
      parts.add(new ArrayList<>(partitions.get(i)));
      lengths[i] = parts.get(i).size();
    }
    String name = Tokens.name("from-sequence", parts);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    List<Key> keys = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      Key k = Key.of(name, i);
      keys.add(k);
      tasks.put(k, Task.constant(parts.get(i)));
    }
    TaskGraph g = TaskGraph.of(Layer.of(name, "from-sequence", tasks));
    return direct(name, g, keys, lengths, DEFAULT_SPLIT_EVERY);
  }

  /**
   * Returns a bag whose partitions are the values of delayed computations, each an
   * {@link Iterable} (copied into a list when the bag is computed).
   *
   * @param partitions the delayed partitions, at least one
   * @param <T> the element type
   * @return the bag
   * @throws GraphException if there is no partition
   */
  public static <T> Bag<T> fromDelayed(
      List<? extends Delayed<? extends Iterable<? extends T>>> partitions) {
    Checks.noNulls(partitions, "partitions");
    if (partitions.isEmpty()) {
      throw new GraphException("fromDelayed: a bag needs at least one partition");
    }
    List<Object> keys = new ArrayList<>();
    List<TaskGraph> graphs = new ArrayList<>();
    for (Delayed<?> d : partitions) {
      keys.add(d.key());
      graphs.add(d.graph());
    }
    String name = Tokens.name("from-delayed", keys);
    return new Bag<>(name, "from-delayed", TaskGraph.merge(graphs),
        Collections.nCopies(keys.size(), new Pipeline.Elements()), keys, List.of(), false, null,
        DEFAULT_SPLIT_EVERY);
  }

  /**
   * Returns the bag of the longs {@code 0 .. n-1} in {@code npartitions} near-equal
   * partitions; each partition generates its numbers when it runs.
   *
   * @param n how many numbers, at least 0
   * @param npartitions how many partitions, at least 1
   * @return the bag
   * @throws GraphException if {@code n < 0} or {@code npartitions < 1}
   */
  public static Bag<Long> range(long n, int npartitions) {
    if (n < 0 || npartitions < 1) {
      throw new GraphException("range: need n >= 0 and npartitions >= 1, got n=" + n
          + ", npartitions=" + npartitions);
    }
    List<Pipeline.Source> src = new ArrayList<>();
    long[] lengths = new long[npartitions];
    for (int i = 0; i < npartitions; i++) {
      long from = n * i / npartitions;
      long to = n * (i + 1) / npartitions;
      src.add(new Pipeline.Range(from, to));
      lengths[i] = to - from;
    }
    String name = Tokens.name("range", n, npartitions);
    return new Bag<>(name, "range", TaskGraph.empty(), src,
        Collections.nCopies(npartitions, null), List.of(), false, lengths, DEFAULT_SPLIT_EVERY);
  }

  /**
   * Returns the lines of text files, UTF-8, in blocks of {@link #DEFAULT_BLOCKSIZE} bytes. See
   * {@link #readText(List, long, Charset)}.
   *
   * @param patterns files, directories (their files) or globs such as {@code "logs/*.txt"}
   * @return the bag of lines, without line terminators
   * @throws GraphException if a file or directory does not exist, or a glob matches nothing
   */
  public static Bag<String> readText(String... patterns) {
    Checks.noNulls(patterns, "patterns");
    return readText(Arrays.asList(patterns), DEFAULT_BLOCKSIZE, StandardCharsets.UTF_8);
  }

  /**
   * Returns the lines of text files or directories, UTF-8, like {@link #readText(String...)}.
   *
   * @param paths files or directories (their files)
   * @return the bag of lines, without line terminators
   * @throws GraphException if a file or directory does not exist
   */
  public static Bag<String> readText(Path... paths) {
    Objects.requireNonNull(paths, "paths");
    List<String> names = new ArrayList<>();
    for (Path p : paths) {
      names.add(Objects.requireNonNull(p, "paths[i]").toString());
    }
    return readText(names, DEFAULT_BLOCKSIZE, StandardCharsets.UTF_8);
  }

  /**
   * Returns the lines of text files: one partition per block of {@code blocksize} bytes of
   * each file, each line belonging to the block its first byte is in (so blocks end on line
   * boundaries); one partition per file when {@code blocksize <= 0}. Files ending in
   * {@code .gz} are decompressed, one partition per file. Lines lose their terminator
   * ({@code \n} or {@code \r\n}); a last line without a newline is kept. Bytes that are not
   * valid in {@code charset} fail the computation with a message naming the file and the
   * byte offset. Files are listed and sized now, so a missing file fails here.
   *
   * @param patterns files, directories (their regular files, sorted; not recursive) or globs
   * @param blocksize bytes per partition, or 0 for one partition per file
   * @param charset the encoding: any ASCII-compatible one (UTF-8, ISO-8859-1, windows-1252)
   * @return the bag of lines
   * @throws GraphException if a file does not exist, a glob matches nothing, or the encoding is
   *     not ASCII-compatible
   */
  public static Bag<String> readText(List<String> patterns, long blocksize, Charset charset) {
    Checks.noNulls(patterns, "patterns");
    Objects.requireNonNull(charset, "charset");
    TextFiles.checkAsciiCompatible(charset);
    List<Path> files = TextFiles.expand(patterns);
    List<TextFiles.TextBlock> blocks = TextFiles.blocks(files, blocksize, charset);
    List<Object> stamps = new ArrayList<>();
    for (Path f : files) {
      try {
        // the token covers each file's modification time: a changed file is new work
        stamps.add(f.toAbsolutePath().toString() + "@" + Files.getLastModifiedTime(f).toMillis());
      } catch (IOException e) {
        throw new GraphException("readText: cannot read " + f + ": " + e);
      }
    }
    String name = Tokens.name("read-text", blocks, stamps);
    return new Bag<>(name, "read-text", TaskGraph.empty(), new ArrayList<>(blocks),
        Collections.nCopies(blocks.size(), null), List.of(), false, null, DEFAULT_SPLIT_EVERY);
  }

  /**
   * Returns the values of JSON-lines files, one per line (blank lines skipped), in blocks of
   * {@link #DEFAULT_BLOCKSIZE} bytes split on line boundaries as {@link #readText} does. Each
   * value is read with Gson as plain Java: objects as {@code Map<String, Object>} in field
   * order, arrays as lists, whole numbers as {@code Long}, other numbers as {@code Double},
   * strings, booleans and {@code null}. A line that is not one JSON value fails the
   * computation naming the partition and the element.
   *
   * <pre>{@code
   * Bag<Object> records = Bag.readJson("logs/*.jsonl");
   * }</pre>
   *
   * @param patterns files, directories or globs ({@code .gz} files are decompressed)
   * @return the bag of values
   * @throws GraphException if a file does not exist or a glob matches nothing
   */
  public static Bag<Object> readJson(String... patterns) {
    Objects.requireNonNull(patterns, "patterns");
    return readJson(Arrays.asList(patterns), DEFAULT_BLOCKSIZE);
  }

  /**
   * Like {@link #readJson(String...)}, with another block size.
   *
   * @param patterns files, directories or globs
   * @param blocksize bytes per partition, or 0 for one partition per file
   * @return the bag of values
   */
  public static Bag<Object> readJson(List<String> patterns, long blocksize) {
    Objects.requireNonNull(patterns, "patterns");
    return readText(patterns, blocksize, StandardCharsets.UTF_8).filter(new Json.NotBlank())
        .map(new Json.Parse());
  }

  /**
   * Returns the partitions of every bag, one after the other.
   *
   * @param bags the bags, at least one
   * @param <T> the element type
   * @return the bag
   * @throws GraphException if the list is empty
   */
  public static <T> Bag<T> concat(List<? extends Bag<? extends T>> bags) {
    Checks.noNulls(bags, "bags");
    if (bags.isEmpty()) {
      throw new GraphException("concat: needs at least one bag");
    }
    List<Key> keys = new ArrayList<>();
    List<TaskGraph> graphs = new ArrayList<>();
    for (Bag<?> b : bags) {
      keys.addAll(b.outputKeys());
      graphs.add(b.graph());
    }
    String name = Tokens.name("concat", keys);
    return direct(name, TaskGraph.merge(graphs), keys, null, DEFAULT_SPLIT_EVERY);
  }

  // ---------------------------------------------------------------- element-wise

  private <R> Bag<R> then(Pipeline.Kind kind, Fn1<?, ?> fn, String prefix, boolean keepsLength) {
    String what = prefix + " function";
    List<Pipeline.Step> s = new ArrayList<>(steps);
    s.add(new Pipeline.Step(kind, fn, what));
    String n = Tokens.name(prefix, name, kind, fn);
    return new Bag<>(n, prefix, deps, sources, inputs, s, false, keepsLength ? lengths : null,
        splitEvery);
  }

  /**
   * Returns the bag of {@code fn(x)} for each element.
   *
   * @param fn the function
   * @param <R> the new element type
   * @return the bag, partitioned as this one
   */
  public <R> Bag<R> map(Fn1<? super T, ? extends R> fn) {
    Objects.requireNonNull(fn, "fn");
    return then(Pipeline.Kind.MAP, fn, "map", true);
  }

  /**
   * Returns the bag of the elements for which {@code predicate} is true.
   *
   * @param predicate the test
   * @return the bag, partitioned as this one
   */
  public Bag<T> filter(Fn1<? super T, Boolean> predicate) {
    Objects.requireNonNull(predicate, "predicate");
    return then(Pipeline.Kind.FILTER, predicate, "filter", false);
  }

  /**
   * Returns the bag of every element of every {@code fn(x)}, an {@link Iterable} or an array.
   *
   * @param fn the function
   * @param <R> the new element type
   * @return the bag, partitioned as this one
   */
  public <R> Bag<R> flatMap(Fn1<? super T, ? extends Iterable<? extends R>> fn) {
    Objects.requireNonNull(fn, "fn");
    return then(Pipeline.Kind.FLAT_MAP, fn, "flat-map", false);
  }

  /**
   * Returns the bag of the elements of the elements, which must be {@link Iterable}s or
   * arrays: {@code [[1, 2], [3]]} becomes {@code [1, 2, 3]}.
   *
   * @param <R> the type of the inner elements
   * @return the bag, partitioned as this one
   */
  public <R> Bag<R> flatten() {
    return then(Pipeline.Kind.FLAT_MAP, new Identity(), "flatten", false);
  }

  /**
   * Returns the bag of one field of each element: {@code get(key)} of a {@link Map}, the
   * element at an int index of a {@link List} or array, or the component named {@code key} of
   * a record.
   *
   * @param key the map key, index or record component name
   * @param <R> the field type
   * @return the bag, partitioned as this one
   */
  public <R> Bag<R> pluck(Object key) {
    Objects.requireNonNull(key, "key");
    return then(Pipeline.Kind.MAP, new Pluck(key), "pluck", true);
  }

  /**
   * Returns the bag of {@code fn(partition)} for each partition, as a whole.
   *
   * @param fn from a partition's elements (a list) to the new partition's elements
   * @param <R> the new element type
   * @return the bag, with the same number of partitions
   */
  public <R> Bag<R> mapPartitions(Fn1<? super List<T>, ? extends Iterable<? extends R>> fn) {
    Objects.requireNonNull(fn, "fn");
    String n = Tokens.name("map-partitions", name, fn);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    List<Key> keys = new ArrayList<>();
    List<Key> in = outputKeys();
    for (int i = 0; i < in.size(); i++) {
      Key k = Key.of(n, i);
      keys.add(k);
      tasks.put(k, Task.of(new Tasks.MapPartition(fn, n, i), in.get(i)));
    }
    return direct(n, TaskGraph.of(Layer.of(n, "map-partitions", tasks), graph()), keys, null,
        splitEvery);
  }

  /**
   * Returns the bag of pairs of this bag's and {@code other}'s elements, position by position.
   *
   * @param other a bag partitioned as this one (equal partition counts and lengths)
   * @param <U> the other element type
   * @return the bag of (this element, other element) entries
   * @throws GraphException if the partition counts differ, or partition lengths known at
   *     build time differ; lengths found to differ later fail the computation
   */
  public <U> Bag<Map.Entry<T, U>> zip(Bag<U> other) {
    Objects.requireNonNull(other, "other");
    return zip(other, (Fn2<T, U, Map.Entry<T, U>>) Entries::of);
  }

  /**
   * Returns the bag of {@code fn(x, y)} for the elements {@code x} of this bag and {@code y} of
   * {@code other} at the same position.
   *
   * @param other a bag partitioned as this one
   * @param fn the function
   * @param <U> the other element type
   * @param <R> the result type
   * @return the bag
   * @throws GraphException if the partition counts, or lengths known at build time, differ
   */
  public <U, R> Bag<R> zip(Bag<U> other, Fn2<? super T, ? super U, ? extends R> fn) {
    Objects.requireNonNull(other, "other");
    Objects.requireNonNull(fn, "fn");
    if (other.npartitions() != npartitions()) {
      throw new GraphException("zip: bag '" + name + "' has " + npartitions()
          + " partitions and bag '" + other.name + "' has " + other.npartitions()
          + "; zip needs equally partitioned bags (repartition one of them first)");
    }
    if (lengths != null && other.lengths != null) {
      for (int i = 0; i < lengths.length; i++) {
        if (lengths[i] != other.lengths[i]) {
          throw new GraphException("zip: partition " + i + " has " + lengths[i]
              + " elements in bag '" + name + "' and " + other.lengths[i] + " in bag '"
              + other.name + "'; zip needs partitions of equal lengths");
        }
      }
    }
    String n = Tokens.name("zip", name, other.name, fn);
    List<Key> a = outputKeys();
    List<Key> b = other.outputKeys();
    Map<Key, Task> tasks = new LinkedHashMap<>();
    List<Key> keys = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      Key k = Key.of(n, i);
      keys.add(k);
      tasks.put(k, Task.of(new Tasks.Zip(fn, n, i), a.get(i), b.get(i)));
    }
    TaskGraph g = TaskGraph.of(Layer.of(n, "zip", tasks), graph(), other.graph());
    return direct(n, g, keys, lengths != null ? lengths : other.lengths, splitEvery);
  }

  /**
   * Returns the same elements in {@code n} partitions, without a shuffle: fewer partitions
   * concatenate neighbours, more split each partition into near-equal slices.
   *
   * @param n the new number of partitions, at least 1
   * @return the bag
   * @throws GraphException if {@code n < 1}
   */
  public Bag<T> repartition(int n) {
    if (n < 1) {
      throw new GraphException("repartition: need at least 1 partition, got " + n);
    }
    List<Key> in = outputKeys();
    int m = in.size();
    String nm = Tokens.name("repartition", name, n);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    List<Key> keys = new ArrayList<>();
    if (n <= m) {
      for (int j = 0; j < n; j++) {
        List<Object> group = new ArrayList<>(in.subList(m * j / n, m * (j + 1) / n));
        Key k = Key.of(nm, j);
        keys.add(k);
        tasks.put(k, Task.of(new Tasks.Concat(), group));
      }
    } else {
      for (int i = 0; i < m; i++) {
        int pieces = n / m + (i < n % m ? 1 : 0);
        for (int p = 0; p < pieces; p++) {
          Key k = Key.of(nm, keys.size());
          keys.add(k);
          tasks.put(k, Task.of(new Tasks.Slice(p, pieces), in.get(i)));
        }
      }
    }
    return direct(nm, TaskGraph.of(Layer.of(nm, "repartition", tasks), graph()), keys, null,
        splitEvery);
  }

  /**
   * Returns this bag with reductions that combine at most {@code k} partial results per task
   * (the fan-in of the reduction tree, like Dask's {@code split_every}).
   *
   * @param k at least 2
   * @return the bag
   * @throws GraphException if {@code k < 2}
   */
  public Bag<T> splitEvery(int k) {
    if (k < 2) {
      throw new GraphException("splitEvery must be at least 2, got " + k);
    }
    return new Bag<>(name, op, deps, sources, inputs, steps, direct, lengths, k);
  }

  // ---------------------------------------------------------------- reductions

  /**
   * A tree reduction ({@link TreeReduction}): one chunk task per partition runs the pipeline
   * straight into the reducer, then combine levels and one aggregate task that also finishes.
   */
  private TreeReduction.Tree tree(String prefix, Reducer r) {
    // the tree's shape depends on splitEvery, so every layer name covers it
    String chunkName = Tokens.name(TreeReduction.chunkPrefix(prefix), name, r, splitEvery);
    Map<Key, Task> chunk = new LinkedHashMap<>();
    List<Key> parts = new ArrayList<>();
    for (int i = 0; i < npartitions(); i++) {
      Key k = Key.of(chunkName, i);
      parts.add(k);
      chunk.put(k, Task.of(new Tasks.Chunk(sources.get(i), steps, r, name, i), inputs.get(i)));
    }
    TaskGraph g = TaskGraph.of(Layer.of(chunkName, TreeReduction.chunkPrefix(prefix), chunk),
        deps);
    return TreeReduction.build(g, parts, prefix, r, splitEvery, 1, piece -> new Tasks.Combine(r),
        piece -> new Tasks.Aggregate(r));
  }

  /** Returns the reduction's value as a delayed value: the aggregate task's own result. */
  private <R> Delayed<R> scalar(String prefix, Reducer r) {
    TreeReduction.Tree t = tree(prefix, r);
    return Delayed.fromKey(t.results().get(0), t.graph());
  }

  /** Returns the reduction's value, a list, as a one-partition bag. */
  private <R> Bag<R> asBag(String prefix, Reducer r) {
    TreeReduction.Tree t = tree(prefix, r);
    return direct(t.name(), t.graph(), t.results(), null, splitEvery);
  }

  /**
   * Returns the number of elements.
   *
   * @return the delayed count
   */
  public Delayed<Long> count() {
    return scalar("count", new Reducers.Count());
  }

  /**
   * Returns the sum of the elements, which must be {@link Number}s: a {@link Long} (exact,
   * failing on overflow) while every element is an Integer, Long, Short or Byte, else a
   * {@link Double}. The sum of no elements is {@code 0L}.
   *
   * @return the delayed sum
   */
  public Delayed<Number> sum() {
    return scalar("sum", new Reducers.Sum());
  }

  /**
   * Returns the least element by natural order; computing it fails with a
   * {@link java.util.NoSuchElementException} if the bag is empty.
   *
   * @return the delayed minimum
   */
  public Delayed<T> min() {
    return scalar("min", new Reducers.Extreme(Comparator.naturalOrder(), false, "min"));
  }

  /**
   * Returns the greatest element by natural order; computing it fails with a
   * {@link java.util.NoSuchElementException} if the bag is empty.
   *
   * @return the delayed maximum
   */
  public Delayed<T> max() {
    return scalar("max", new Reducers.Extreme(Comparator.naturalOrder(), true, "max"));
  }

  /**
   * Returns the mean of the elements, which must be {@link Number}s; NaN for an empty bag.
   *
   * @return the delayed mean
   */
  public Delayed<Double> mean() {
    return scalar("mean", new Reducers.Moments(-1, "mean"));
  }

  /**
   * Returns the population standard deviation ({@code ddof = 0}).
   *
   * @return the delayed standard deviation
   */
  public Delayed<Double> std() {
    return std(0);
  }

  /**
   * Returns the standard deviation with {@code ddof} delta degrees of freedom (1 for the sample
   * standard deviation), from per-partition count, mean and sum of squared deviations combined
   * pairwise (Chan et al.), which stays accurate where the textbook sum-of-squares formula
   * cancels. NaN when there are not more than {@code ddof} elements.
   *
   * @param ddof delta degrees of freedom, at least 0 (an {@code int}, as for arrays)
   * @return the delayed standard deviation
   */
  public Delayed<Double> std(int ddof) {
    if (!(ddof >= 0)) {
      throw new GraphException("std: ddof must be at least 0, got " + ddof);
    }
    return scalar("std", new Reducers.Moments(ddof, "std"));
  }

  /**
   * Folds the elements: within each partition {@code acc = binop(acc, x)} starting from
   * {@code initial}, then the partitions' results with {@code combine}, a tree at a time. For
   * the answer to match a sequential fold, {@code combine} must be associative with
   * {@code initial} as its identity. Do not mutate {@code initial}: every partition starts from
   * the same object.
   *
   * @param initial the start of each partition's fold
   * @param binop adds one element to an accumulator
   * @param combine merges two accumulators
   * @param <A> the accumulator type
   * @return the delayed result
   */
  public <A> Delayed<A> fold(A initial, Fn2<A, ? super T, A> binop, Fn2<A, A, A> combine) {
    Objects.requireNonNull(binop, "binop");
    Objects.requireNonNull(combine, "combine");
    return scalar("fold", new Reducers.Fold(binop, combine, initial));
  }

  /**
   * Reduces with a function of each whole partition and an aggregate of their results, Dask's
   * {@code reduction}: the aggregate runs on groups of at most {@link #splitEvery(int)}
   * results, level by level, so it must accept its own outputs as inputs.
   *
   * @param perPartition from a partition's elements to a partial result
   * @param aggregate from partial results, in partition order, to one
   * @param <R> the result type
   * @return the delayed result
   */
  public <R> Delayed<R> reduction(Fn1<? super List<T>, ? extends R> perPartition,
      Fn1<? super List<R>, ? extends R> aggregate) {
    Objects.requireNonNull(perPartition, "perPartition");
    Objects.requireNonNull(aggregate, "aggregate");
    return scalar("reduction", new Reducers.OfPartitions(perPartition, aggregate));
  }

  /**
   * Returns how often each distinct element occurs, as a one-partition bag of
   * (element, count) entries in no particular order. Elements need value-based
   * {@code equals}/{@code hashCode}.
   *
   * @return the bag of entries
   */
  public Bag<Map.Entry<T, Long>> frequencies() {
    return asBag("frequencies", new Reducers.Frequencies());
  }

  /**
   * Returns the distinct elements, in order of first appearance, as a one-partition bag.
   *
   * @return the bag
   */
  public Bag<T> distinct() {
    return asBag("distinct", new Reducers.Distinct());
  }

  /**
   * Returns the {@code k} greatest elements by {@code order}, greatest first (equal elements
   * in bag order). Each partition keeps only its own top {@code k}.
   *
   * @param k how many, at least 0
   * @param order the order; it must serialize, so that the same graph runs in worker JVMs:
   *     {@code Comparator.naturalOrder()} does, {@code Comparator.comparing(f)} does only when
   *     {@code f} does (a method reference such as {@code Map.Entry::getValue} does not: use
   *     {@link #topk(int, Fn1)} with the key instead)
   * @return the delayed list
   * @throws GraphException if {@code k < 0} or the comparator does not serialize
   */
  public Delayed<List<T>> topk(int k, Comparator<? super T> order) {
    Objects.requireNonNull(order, "order");
    if (k < 0) {
      throw new GraphException("topk: k must be at least 0, got " + k);
    }
    if (!serializes(order)) {   // ObjectOutputStream refuses a non-Serializable too
      throw new GraphException("topk: the comparator " + order.getClass().getName()
          + " does not serialize, so it cannot reach worker JVMs; pass the sort key instead,"
          + " topk(k, e -> e.getValue()) (an Fn1 serializes), or cast a lambda comparator to"
          + " (Comparator<T> & Serializable)");
    }
    return scalar("topk", new Reducers.TopK(k, order));
  }

  /** Whether {@code o} serializes (what a comparator captures must, too). */
  private static boolean serializes(Object o) {
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(
        java.io.OutputStream.nullOutputStream())) {
      out.writeObject(o);
      return true;
    } catch (java.io.IOException notSerializable) {
      return false;
    }
  }

  /**
   * The same as {@link #topk(int, Fn1)}, under the name Dask and pandas users look for.
   *
   * @param k how many, at least 0
   * @param key the sort key of an element
   * @param <K> the key type
   * @return the delayed list, greatest first
   */
  public <K extends Comparable<? super K>> Delayed<List<T>> nlargest(int k,
      Fn1<? super T, ? extends K> key) {
    Objects.requireNonNull(key, "key");
    return topk(k, key);
  }

  /**
   * Returns the {@code k} elements with the greatest {@code key}, greatest first.
   *
   * @param k how many, at least 0
   * @param key the sort key of an element
   * @param <K> the key type
   * @return the delayed list
   */
  public <K extends Comparable<? super K>> Delayed<List<T>> topk(int k,
      Fn1<? super T, ? extends K> key) {
    Objects.requireNonNull(key, "key");
    return topk(k, new KeyOrder<>(key));
  }

  /**
   * Returns whether {@code predicate} holds for some element (false for an empty bag).
   *
   * @param predicate the test
   * @return the delayed answer
   */
  public Delayed<Boolean> any(Fn1<? super T, Boolean> predicate) {
    Objects.requireNonNull(predicate, "predicate");
    return scalar("any", new Reducers.AnyAll(predicate, false));
  }

  /**
   * Returns whether {@code predicate} holds for every element (true for an empty bag).
   *
   * @param predicate the test
   * @return the delayed answer
   */
  public Delayed<Boolean> all(Fn1<? super T, Boolean> predicate) {
    Objects.requireNonNull(predicate, "predicate");
    return scalar("all", new Reducers.AnyAll(predicate, true));
  }

  /**
   * Computes and returns the first {@code n} elements, computing one partition after another
   * and stopping as soon as there are enough: later partitions never run.
   *
   * @param n how many elements, at least 0
   * @return up to {@code n} elements (fewer if the bag has fewer)
   */
  public List<T> take(int n) {
    return take(n, Tessera.scheduler());
  }

  /**
   * Like {@link #take(int)}, on {@code scheduler}.
   *
   * @param n how many elements
   * @param scheduler the scheduler
   * @return up to {@code n} elements
   */
  @SuppressWarnings("unchecked")
  public List<T> take(int n, Scheduler scheduler) {
    Objects.requireNonNull(scheduler, "scheduler");
    List<T> out = new ArrayList<>();
    List<Key> keys = outputKeys();
    TaskGraph g = graph();
    // as Frame.head: 1 partition, then 2 more, then 4 more, ... until there are enough
    int from = 0;
    int batch = 1;
    while (from < keys.size() && out.size() < n) {
      int to = Math.min(keys.size(), from + batch);
      for (Object part : (List<Object>) Lazy.of(g, keys.subList(from, to), Bag::asList)
          .compute(scheduler)) {
        List<T> p = (List<T>) part;
        out.addAll(p.subList(0, Math.min(p.size(), Math.max(0, n - out.size()))));
      }
      from = to;
      batch *= 2;
    }
    return out;
  }

  /**
   * The same as {@link #take(int)}: the first {@code n} elements, the name arrays and frames
   * use too.
   *
   * @param n how many elements, at least 0
   * @return up to {@code n} elements
   */
  public List<T> head(int n) {
    return take(n);
  }

  /**
   * Returns one delayed list per partition, in order, sharing this bag's graph (Dask's
   * {@code to_delayed()}); arrays and frames have the same method.
   *
   * @return the partitions
   */
  @SuppressWarnings("unchecked")
  public List<Delayed<List<T>>> toDelayed() {
    TaskGraph g = graph();
    List<Delayed<List<T>>> out = new ArrayList<>();
    for (Key k : outputKeys()) {
      out.add(Delayed.fromKey(k, g));
    }
    return out;
  }

  // ---------------------------------------------------------------- grouping

  /**
   * Folds the elements of each key, as a tree reduction (the fast path of grouping: only one
   * accumulator per key and partition travels, never the elements). Within a partition,
   * {@code acc = binop(acc, x)} from {@code initial}; accumulators of the same key from
   * different partitions are merged with {@code combine}.
   *
   * @param key the grouping key of an element (value-based equals/hashCode)
   * @param binop adds an element to its key's accumulator
   * @param initial each key's starting accumulator in each partition; not mutated
   * @param combine merges two accumulators of one key
   * @param <K> the key type
   * @param <A> the accumulator type
   * @return a one-partition bag of (key, result) entries, keys in order of first appearance
   */
  public <K, A> Bag<Map.Entry<K, A>> foldby(Fn1<? super T, ? extends K> key,
      Fn2<A, ? super T, A> binop, A initial, Fn2<A, A, A> combine) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(binop, "binop");
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(combine, "combine");
    return asBag("foldby", new Reducers.FoldBy(key, binop, initial, combine));
  }

  /**
   * Groups the elements by key with a full shuffle into as many partitions as this bag has,
   * within a memory budget: see {@link #groupby(Fn1, int)}.
   *
   * @param key the grouping key (value-based equals/hashCode)
   * @param <K> the key type
   * @return a bag of (key, elements) entries
   */
  public <K> Bag<Map.Entry<K, List<T>>> groupby(Fn1<? super T, ? extends K> key) {
    Objects.requireNonNull(key, "key");
    return groupby(key, npartitions());
  }

  /**
   * Groups the elements by key with a hash-partitioned shuffle: each partition splits its
   * elements into {@code npartitions} buckets by key hash, and output partition {@code j}
   * groups bucket {@code j} of every input partition. Use it when every element of a key is
   * needed; {@link #foldby} is much cheaper when a fold will do. Within a group, elements keep
   * bag order (partition by partition, each partition in order); each output partition lists
   * its keys in order of first appearance.
   *
   * <p>Memory is bounded: the buckets cut and not yet gathered stay in memory while their
   * estimated size stays within {@link BagShuffleMemory#budget()} (a quarter of the heap by
   * default, per JVM), and past it go to a spill file of the splitting task as the elements
   * arrive, read back in order by the gathering task and deleted once gathered, so a groupby
   * of more data than memory completes (each output partition must still fit, as it is one
   * list; on worker JVMs a split's list of pieces may travel whole, so keep partitions smaller
   * than a worker's heap). Spilling
   * writes elements and keys with Java serialization: if a bucket must spill and an element
   * or key is not {@link java.io.Serializable}, the computation fails with an error naming
   * the bag, the task and the fix (never a partial result).
   *
   * @param key the grouping key (value-based equals/hashCode, the same in every JVM)
   * @param npartitions the number of output partitions, at least 1
   * @param <K> the key type
   * @return a bag of (key, elements) entries; each key in exactly one partition
   * @throws GraphException if {@code npartitions < 1}
   */
  public <K> Bag<Map.Entry<K, List<T>>> groupby(Fn1<? super T, ? extends K> key,
      int npartitions) {
    Objects.requireNonNull(key, "key");
    if (npartitions < 1) {
      throw new GraphException("groupby: need at least 1 output partition, got " + npartitions);
    }
    String splitName = Tokens.name("groupby-split", name, key, npartitions);
    String pickName = Tokens.name("groupby-pick", splitName);
    String n = Tokens.name("groupby", splitName);
    Map<Key, Task> split = new LinkedHashMap<>();
    Map<Key, Task> pick = new LinkedHashMap<>();
    Map<Key, Task> group = new LinkedHashMap<>();
    int m = npartitions();
    for (int i = 0; i < m; i++) {
      Key s = Key.of(splitName, i);
      split.put(s, Task.of(new Tasks.Split(sources.get(i), steps, key, npartitions, name, i,
          s.toString()), inputs.get(i)));
      for (int j = 0; j < npartitions; j++) {
        pick.put(Key.of(pickName, i, j), Task.of(new Tasks.Pick(j), s));
      }
    }
    List<Key> keys = new ArrayList<>();
    for (int j = 0; j < npartitions; j++) {
      List<Object> buckets = new ArrayList<>();
      for (int i = 0; i < m; i++) {
        buckets.add(Key.of(pickName, i, j));
      }
      Key k = Key.of(n, j);
      keys.add(k);
      group.put(k, Task.of(new Tasks.Group(), buckets));
    }
    TaskGraph g = TaskGraph.of(Layer.of(splitName, "groupby-split", split), deps);
    g = TaskGraph.of(Layer.of(pickName, "groupby-pick", pick), g);
    g = TaskGraph.of(Layer.of(n, "groupby", group), g);
    return direct(n, g, keys, null, splitEvery);
  }

  // ---------------------------------------------------------------- output

  /**
   * Writes each partition to a text file now, on the scheduler in scope, one element per line
   * (its {@code toString()}), UTF-8, gzipped when the path ends in {@code .gz}. Like every
   * writer ({@code Frame.toCsv}, {@code Array.toNpyStack}), it runs when called and returns
   * the files written.
   *
   * @param path a pattern whose {@code *} is replaced by the partition number (such as
   *     {@code "out/part-*.txt.gz"}), or a directory, which gets {@code part-N.txt} files
   * @return the paths written, in partition order
   */
  public List<String> toTextFiles(String path) {
    Objects.requireNonNull(path, "path");
    return textFiles(path).compute();
  }

  /**
   * Like {@link #toTextFiles(String)}, into a directory ({@code part-N.txt} files) or a
   * pattern with {@code *}.
   *
   * @param path the directory or pattern
   * @return the paths written, in partition order
   */
  public List<String> toTextFiles(Path path) {
    Objects.requireNonNull(path, "path");
    return toTextFiles(path.toString());
  }

  /** The lazy write of {@link #toTextFiles(String)}: nothing is written until computed. */
  @SuppressWarnings("unchecked")
  Delayed<List<String>> textFiles(String path) {
    String n = Tokens.name("to-text-files", name, path);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    List<Key> keys = new ArrayList<>();
    for (int i = 0; i < npartitions(); i++) {
      String p = path.contains("*") ? path.replace("*", Integer.toString(i))
          : Path.of(path, "part-" + i + ".txt").toString();
      Key k = Key.of(n, i);
      keys.add(k);
      tasks.put(k, Task.of(new Tasks.Write(sources.get(i), steps, p, "UTF-8", name, i),
          inputs.get(i)));
    }
    TaskGraph g = TaskGraph.of(Layer.of(n, "to-text-files", tasks), deps);
    // one more task gathers the paths, and is the delayed value itself
    Key all = Key.of(Tokens.name("to-text-files-paths", n));
    g = TaskGraph.of(Layer.of(all.name(), "to-text-files", Map.of(all,
        Task.of(new Tasks.AsList(), new ArrayList<Object>(keys)))), g);
    return Delayed.fromKey(all, g);
  }

  /**
   * Writes each partition as a JSON-lines file now, one element per line (maps, lists,
   * arrays, records, numbers, strings, booleans and nulls as JSON; NaN and infinities as
   * null; other objects as their string), UTF-8, gzipped when the path ends in {@code .gz}.
   *
   * @param path a pattern whose {@code *} is the partition number (such as
   *     {@code "out/part-*.jsonl.gz"}), or a directory, which gets {@code part-N.jsonl}
   * @return the paths written, in partition order
   */
  public List<String> toJson(String path) {
    Objects.requireNonNull(path, "path");
    String p = path.contains("*") ? path : Path.of(path, "part-*.jsonl").toString();
    return map(new Json.Format()).toTextFiles(p);
  }

  // ---------------------------------------------------------------- the Lazy protocol

  /** {@return the number of partitions} */
  public int npartitions() {
    return sources.size();
  }

  /** {@return the bag's deterministic name, {@code prefix-token}: its keys are (name, i)} */
  public String name() {
    return name;
  }

  @Override
  public TaskGraph graph() {
    if (direct) {
      return deps;
    }
    TaskGraph g = graph;
    if (g == null) {
      Map<Key, Task> tasks = new LinkedHashMap<>();
      for (int i = 0; i < npartitions(); i++) {
        tasks.put(Key.of(name, i),
            Task.of(new Tasks.Collect(sources.get(i), steps, name, i), inputs.get(i)));
      }
      g = TaskGraph.of(Layer.of(name, op, tasks), deps);
      graph = g;
    }
    return g;
  }

  @Override
  public List<Key> outputKeys() {
    List<Key> keys = new ArrayList<>(npartitions());
    for (int i = 0; i < npartitions(); i++) {
      keys.add(direct ? (Key) inputs.get(i) : Key.of(name, i));
    }
    return keys;
  }

  @Override
  @SuppressWarnings("unchecked")
  public Fn1<List<Object>, List<T>> assembler() {
    return (Fn1<List<Object>, List<T>>) (Fn1<?, ?>) (Fn1<List<Object>, Object>) Bag::concatAll;
  }

  /** Fuses linear chains (a partition task and its single user) into one task each. */
  @Override
  public TaskGraph optimize(TaskGraph g, List<Key> keys) {
    Objects.requireNonNull(g, "g");
    Checks.noNulls(keys, "keys");
    return Graphs.fuse(g, keys);
  }

  @Override
  public Bag<T> withGraph(TaskGraph g) {
    Objects.requireNonNull(g, "g");
    return direct(name, g, outputKeys(), lengths, splitEvery);
  }

  @Override
  public Bag<T> persist() {
    return (Bag<T>) Lazy.super.persist();
  }

  @Override
  public Bag<T> persist(Scheduler scheduler) {
    Objects.requireNonNull(scheduler, "scheduler");
    return (Bag<T>) Lazy.super.persist(scheduler);
  }

  @Override
  public String toString() {
    return "Bag(" + name + ", " + npartitions() + " partitions)";
  }

  // ---------------------------------------------------------------- helpers

  static Object asList(List<Object> values) {
    return new ArrayList<>(values);
  }

  static Object concatAll(List<Object> parts) {
    int n = 0;
    for (Object p : parts) {
      n += ((List<?>) p).size();
    }
    List<Object> out = new ArrayList<>(n);
    for (Object p : parts) {
      out.addAll((List<?>) p);
    }
    return out;
  }

  /** The identity, for flatten. */
  private record Identity() implements Fn1<Object, Object> {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(Object x) {
      return x;
    }
  }

  /** Orders elements by a key function. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private record KeyOrder<T>(Fn1 key) implements Comparator<T>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(T a, T b) {
      try {
        return ((Comparable) key.apply(a)).compareTo(key.apply(b));
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException("topk key function failed: " + e, e);
      }
    }
  }
}
