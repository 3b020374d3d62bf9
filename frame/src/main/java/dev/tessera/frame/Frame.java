package dev.tessera.frame;

import dev.tessera.bag.Bag;
import dev.tessera.graph.Delayed;
import dev.tessera.graph.Fn1;
import dev.tessera.graph.GraphException;
import dev.tessera.graph.Lazy;
import dev.tessera.graph.Scheduler;
import dev.tessera.graph.Tessera;
import dev.tessera.graph.core.Checks;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Layer;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskFunction;
import dev.tessera.graph.core.TaskGraph;
import dev.tessera.graph.core.Tokens;
import dev.tessera.graph.core.TreeReduction;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;

/**
 * A lazy, partitioned table, like a Dask DataFrame: each partition is a Tablesaw
 * {@link Table}, the column names and types (the "meta", a {@link Schema}) are known before
 * anything runs, and the partitions may have known index boundaries ("divisions", after
 * {@link #setIndex} or {@link #sortValues(String)}).
 *
 * <pre>{@code
 * Frame f = Frame.readCsv("data/csv/*.csv");                 // reads nothing yet
 * Table means = f.filter(Expr.col("x").gt(0.5))
 *     .groupby("name").agg(Agg.sum("x"), Agg.mean("y"))
 *     .compute();                                            // one Tablesaw table
 * }</pre>
 *
 * <p>Every operation returns a new frame; bad input (a column that does not exist, types that
 * do not fit) fails when the frame is built, not when it runs. Row-wise operations (select,
 * drop, rename, assign, filter, mapPartitions) are chained and run in one task per partition,
 * and a reduction reads from CSV only the columns it needs. {@code compute()} concatenates the
 * partitions into one table (a frame of one partition returns that partition itself: copy it
 * before changing it if the frame is persisted); {@link #persist()} computes them and keeps
 * them for later use.
 */
public final class Frame implements Lazy<Table> {
  private final Source source;
  private final List<PartitionOp> ops;
  private final Schema schema;
  private final String label;
  private final Divisions divisions; // npartitions + 1 bounds, or null when unknown
  private final String index; // the column the divisions refer to, or null
  // how to build this frame again with only some of its columns, or null (see narrowed)
  private final Narrowing narrowing;
  private volatile List<Key> keys;
  private volatile TaskGraph graph;

  private Frame(Source source, List<PartitionOp> ops, Schema schema, String label,
      Divisions divisions, String index) {
    this(source, ops, schema, label, divisions, index, null);
  }

  private Frame(Source source, List<PartitionOp> ops, Schema schema, String label,
      Divisions divisions, String index, Narrowing narrowing) {
    this.source = source;
    this.ops = List.copyOf(ops);
    this.schema = schema;
    this.label = label;
    this.divisions = divisions;
    this.index = index;
    this.narrowing = narrowing;
  }

  /**
   * Builds a frame again with only some of its columns, more cheaply than computing it whole
   * and selecting: a merge whose result feeds an aggregation of a few columns reads, shuffles
   * and joins only those (projection pushdown). {@code keep} is a strict subset of the
   * frame's columns, in its order, never empty; the frame returned has exactly those columns,
   * in that order, and the same rows in the same partitions.
   */
  interface Narrowing {
    Frame apply(List<String> keep);
  }

  /** Returns this frame (its keys, its partitions), able to be rebuilt by {@code n}. */
  Frame withNarrowing(Narrowing n) {
    return new Frame(source, ops, schema, label, divisions, index, n);
  }

  /**
   * Returns a frame of the columns of this one that are in {@code needed} (at least those),
   * for a consumer that reads no others: this frame rebuilt by its {@link Narrowing} when it
   * has one and that drops columns, else this frame. A chain over a file source needs none:
   * its tasks already load only the columns asked for.
   */
  Frame narrowed(Collection<String> needed) {
    if (narrowing == null || !ops.isEmpty()) {
      return this;
    }
    List<String> keep = namesIn(needed);
    if (keep.isEmpty() || keep.size() == schema.size()) {
      return this;
    }
    Frame f = narrowing.apply(keep);
    if (!f.schema().names().equals(keep)) {
      throw new IllegalStateException("a narrowed " + label + " has columns "
          + f.schema().names() + ", not " + keep); // a bug in its Narrowing
    }
    return f;
  }

  /**
   * Returns a frame of exactly the columns of this one that are in {@code cols} (in its
   * order): {@link #narrowed} when that drops them all, else a select over it.
   */
  Frame project(Collection<String> cols) {
    List<String> keep = namesIn(cols);
    Frame n = narrowed(cols);
    return n.schema().names().equals(keep) ? n : n.select(keep.toArray(new String[0]));
  }

  /** The names of this frame's columns that are in {@code cols}, in its order. */
  private List<String> namesIn(Collection<String> cols) {
    List<String> keep = new ArrayList<>();
    for (String c : schema.names()) {
      if (cols.contains(c)) {
        keep.add(c);
      }
    }
    return List.copyOf(keep);
  }

  // ---------------------------------------------------------------------------------- inputs

  /**
   * Returns the frame of a CSV file, a directory of CSV files or a glob, with default options.
   *
   * @param path a file, a directory or a glob such as {@code data/part-*.csv}
   * @return the frame
   * @throws GraphException if no file matches, or the headers differ
   * @see #readCsv(String, CsvOptions)
   */
  public static Frame readCsv(String path) {
    Objects.requireNonNull(path, "path");
    return readCsv(path, CsvOptions.defaults());
  }

  /**
   * Returns the frame of a CSV file or a directory of CSV files; the same as
   * {@link #readCsv(String, CsvOptions)} with the path's name.
   *
   * @param path a file or a directory
   * @param options how to read
   * @return the frame
   * @throws GraphException if no file matches, or the headers differ
   */
  public static Frame readCsv(java.nio.file.Path path, CsvOptions options) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(options, "options");
    return readCsv(path.toString(), options);
  }

  /**
   * Returns the frame of a CSV file or a directory of CSV files, with default options.
   *
   * @param path a file or a directory
   * @return the frame
   * @throws GraphException if there is no such file, or the headers differ
   */
  public static Frame readCsv(java.nio.file.Path path) {
    Objects.requireNonNull(path, "path");
    return readCsv(path.toString(), CsvOptions.defaults());
  }

  /**
   * Returns the frame of CSV files, like {@link #readCsv(java.nio.file.Path, CsvOptions)} with
   * a glob allowed: each file has a header line; every file must have the same
   * one. A file is cut into partitions of at most {@code options.blocksize()} bytes on line
   * boundaries ({@code .gz} files: one partition per file). Column types are inferred once,
   * from a sample of the first file, unless given; every partition is then read with those
   * types, and a value that does not parse fails with its file, line and column. Missing
   * values are pandas' default set (see {@link CsvOptions}).
   *
   * @param path a file, a directory or a glob
   * @param options how to read
   * @return the frame
   * @throws GraphException if no file matches, or the headers differ
   */
  public static Frame readCsv(String path, CsvOptions options) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(options, "options");
    Source.Csv s = CsvScan.scan(path, options);
    return new Frame(s, List.of(), s.schema(), "read-csv", null, null);
  }

  /**
   * Returns the frame of a Parquet file, a directory of Parquet files (a dataset that pandas,
   * pyarrow, Spark or Dask wrote) or a glob, with default options: one partition per row
   * group. Only the footers are read now; each task reads only the column chunks of the
   * columns its computation needs.
   *
   * @param path a file, a directory or a glob
   * @return the frame
   * @throws GraphException if no file matches, a file is not Parquet, or the columns differ
   * @see #readParquet(String, ParquetOptions)
   */
  public static Frame readParquet(String path) {
    Objects.requireNonNull(path, "path");
    return readParquet(path, ParquetOptions.defaults());
  }

  /**
   * Returns the frame of Parquet files: partitions per row group, per file or merged up to a
   * size, only some columns, and filters that skip row groups by their statistics and then
   * keep the matching rows (see {@link ParquetOptions}, {@link ParquetFilter}).
   *
   * @param path a file, a directory or a glob
   * @param options how to read
   * @return the frame
   * @throws GraphException if no file matches, a file is not Parquet, the columns differ, a
   *     column is nested, or a filter names a missing column or does not fit its type
   */
  public static Frame readParquet(String path, ParquetOptions options) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(options, "options");
    ParquetSource s = ParquetScan.scan(path, options);
    return new Frame(s, List.of(), s.schema(), "read-parquet", null, null);
  }

  /**
   * Returns the frame of JSON-lines files (one object per line, as pandas'
   * {@code to_json(orient="records", lines=True)} writes), in blocks of 64 MiB split on line
   * boundaries. The columns are inferred from the first 1000 objects of the first file: keys
   * in order of appearance; whole numbers LONG, other numbers DOUBLE, booleans, ISO dates
   * LOCAL_DATE, other strings, nested values (as JSON text) and always-null keys STRING. An
   * absent key or {@code null} is a missing value.
   *
   * @param path a file, a directory or a glob ({@code .gz} files are decompressed)
   * @return the frame
   * @throws GraphException if no file matches or the first lines are not JSON objects
   */
  public static Frame readJson(String path) {
    Objects.requireNonNull(path, "path");
    return JsonFrames.readJson(path, 64L << 20);
  }

  /**
   * Like {@link #readJson(String)}, with the columns and types given (keys of other names are
   * ignored; values are converted as by {@link #fromBag}).
   *
   * @param path a file, a directory or a glob
   * @param meta the columns and types
   * @return the frame
   */
  public static Frame readJson(String path, Schema meta) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(meta, "meta");
    return JsonFrames.readJson(path, meta, 64L << 20);
  }

  /**
   * Returns a frame of an in-memory table cut into {@code npartitions} partitions of about
   * equal row counts (some are empty when there are fewer rows than partitions).
   *
   * @param table the table; not copied, do not change it afterwards
   * @param npartitions the number of partitions, at least 1
   * @return the frame
   */
  public static Frame fromTable(Table table, int npartitions) {
    Objects.requireNonNull(table, "table");
    if (npartitions < 1) {
      throw new GraphException("fromTable: npartitions must be at least 1, got " + npartitions);
    }
    int n = table.rowCount();
    Map<Key, Task> tasks = new LinkedHashMap<>();
    String name = Tokens.name("from-table", new TableValue(table), npartitions);
    List<Key> keys = new ArrayList<>();
    for (int i = 0; i < npartitions; i++) {
      int from = (int) ((long) n * i / npartitions);
      int to = (int) ((long) n * (i + 1) / npartitions);
      Table part = Tables.slice(table, from, to);
      Key k = Key.of(name, i);
      tasks.put(k, Task.of(new TableValue.Unwrap(), new TableValue(part)));
      keys.add(k);
    }
    TaskGraph g = TaskGraph.of(Layer.of(name, "from-table", tasks));
    return fromKeys(g, keys, Schema.of(table), "from-table", null, null, false);
  }

  /**
   * Returns a frame whose partitions are delayed tables with the given meta; each partition
   * is checked against it when it is computed.
   *
   * @param partitions the delayed partitions, in order
   * @param meta their columns and types
   * @return the frame
   */
  public static Frame fromDelayed(List<Delayed<Table>> partitions, Schema meta) {
    Checks.noNulls(partitions, "partitions");
    Objects.requireNonNull(meta, "meta");
    if (partitions.isEmpty()) {
      throw new GraphException("fromDelayed: a frame needs at least one partition");
    }
    List<Key> keys = new ArrayList<>();
    List<TaskGraph> graphs = new ArrayList<>();
    for (Delayed<Table> d : partitions) {
      keys.add(d.key());
      graphs.add(d.graph());
    }
    return fromKeys(TaskGraph.merge(graphs), keys, meta, "from-delayed", null, null, true);
  }

  /**
   * Like {@link #fromDelayed(List, Schema)}, learning the meta by computing the first
   * partition now (as Dask does when no meta is given).
   *
   * @param partitions the delayed partitions, in order
   * @return the frame
   */
  public static Frame fromDelayed(List<Delayed<Table>> partitions) {
    Checks.noNulls(partitions, "partitions");
    if (partitions.isEmpty()) {
      throw new GraphException("fromDelayed: a frame needs at least one partition");
    }
    return fromDelayed(partitions, Schema.of(partitions.get(0).compute()));
  }

  /**
   * Returns a frame with one partition per item, partition {@code i} being
   * {@code fn.apply(items.get(i))} (Dask's {@code from_map}; "map" as in mapping a function,
   * not {@link java.util.Map}). The function runs inside the tasks, like a file read: in every
   * task that loads the partition (a sort's sample and its split each run it), and its result
   * is not held between them. So it must give the same table each time (a seed per item),
   * and a frame of generated data larger than memory can be sorted or merged, where
   * {@link #fromDelayed(List, Schema)}'s partitions would all be held until the sort's
   * boundaries are known. Every partition is checked against {@code meta}.
   *
   * <pre>{@code
   * Frame f = Frame.fromMap(seed -> randomTable(seed, 1_000_000), List.of(1L, 2L, 3L),
   *     Schema.of("id", ColumnType.LONG, "x", ColumnType.DOUBLE));
   * }</pre>
   *
   * @param fn makes a partition from its item; serializable, to run in worker processes
   * @param items the items, one per partition, in order; literals of the tasks (serializable
   *     for worker processes), and part of the keys
   * @param meta the partitions' columns and types
   * @param <T> the items' type
   * @return the frame
   */
  @SuppressWarnings("unchecked")
  public static <T> Frame fromMap(Fn1<? super T, Table> fn, List<T> items, Schema meta) {
    Objects.requireNonNull(fn, "fn");
    Checks.noNulls(items, "items"); // List.copyOf below would refuse a null item unnamed
    Objects.requireNonNull(meta, "meta");
    if (items.isEmpty()) {
      throw new GraphException("fromMap: a frame needs at least one partition (item)");
    }
    MapSource s = new MapSource((Fn1<Object, Table>) fn, List.copyOf(items), meta);
    return new Frame(s, List.of(), meta, "from-map", Divisions.known(null), null);
  }

  /**
   * Returns a frame with one partition per partition of {@code bag}, its rows made from the
   * bag's elements: maps (by column name), records (by component name), lists or arrays (by
   * position), or plain values for a one-column meta. Values are converted to the meta's
   * types; an element that does not fit fails, naming the partition, the element and the
   * column.
   *
   * <pre>{@code
   * Frame f = Frame.fromBag(records, Schema.of("name", ColumnType.STRING, "x", ColumnType.DOUBLE));
   * }</pre>
   *
   * @param bag the bag
   * @param meta the frame's columns and types
   * @return the frame
   */
  public static Frame fromBag(Bag<?> bag, Schema meta) {
    Objects.requireNonNull(bag, "bag");
    Objects.requireNonNull(meta, "meta");
    List<Key> parts = bag.outputKeys();
    String name = Tokens.name("from-bag", parts, meta);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    List<Key> keys = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      Key k = Key.of(name, i);
      keys.add(k);
      tasks.put(k, Task.of(new BagRows(meta, parts.get(i)), parts.get(i)));
    }
    TaskGraph g = TaskGraph.of(Layer.of(name, "from-bag", tasks), bag.graph());
    return fromKeys(g, keys, meta, "from-bag", null, null, false);
  }

  static Frame fromKeys(TaskGraph g, List<Key> keys, Schema schema, String label,
      List<Object> divisions, String index, boolean check) {
    return fromKeysDivided(g, keys, schema, label, Divisions.known(divisions), index, check);
  }

  static Frame fromKeysDivided(TaskGraph g, List<Key> keys, Schema schema, String label,
      Divisions divisions, String index, boolean check) {
    return new Frame(new Source.Keys(g, List.copyOf(keys), schema, check), List.of(), schema,
        label, divisions, index);
  }

  // ------------------------------------------------------------------------------------ meta

  /** {@return the meta: column names and types, known without computing anything} */
  public Schema schema() {
    return schema;
  }

  /** {@return the column names to their types, in order: a new map} */
  public Map<String, ColumnType> dtypes() {
    return schema.asMap();
  }

  /** {@return the column names, in order} */
  public List<String> columns() {
    return schema.names();
  }

  /** {@return the number of partitions} */
  public int npartitions() {
    return source.npartitions();
  }

  /**
   * {@return the known index boundaries: {@code npartitions() + 1} values of {@link #index()},
   * partition i holding the values in [d(i), d(i+1)) (the last one closed); empty when unknown}
   */
  public Optional<List<Object>> divisions() {
    return Optional.ofNullable(divisions == null ? null : divisions.get());
  }

  /** {@return the divisions without computing them, or null when unknown} */
  Divisions lazyDivisions() {
    return divisions;
  }

  /** {@return the column the frame is indexed (sorted and divided) by, if any} */
  public Optional<String> index() {
    return Optional.ofNullable(index);
  }

  // ------------------------------------------------------------------------ row-wise chains

  private Frame then(PartitionOp op, String opLabel) {
    Schema s = op.schema(schema);
    if (s.size() == 0) {
      throw new GraphException(opLabel + " leaves no columns; a frame needs at least one");
    }
    List<PartitionOp> chain = new ArrayList<>(ops);
    chain.add(op);
    // divisions survive operations that keep the index column's values: not an assign to it,
    // not a user function (which may change anything)
    String newIndex = index;
    if (op instanceof PartitionOp.Rename r && index != null) {
      newIndex = r.names().getOrDefault(index, index); // the index follows its column
    }
    boolean keepDivisions = newIndex != null && s.has(newIndex)
        && s.type(newIndex) == schema.type(index)
        && !(op instanceof PartitionOp.Assign a && a.name().equals(index))
        && !(op instanceof PartitionOp.MapPartitions);
    return new Frame(source, chain, s, opLabel, keepDivisions ? divisions : null,
        keepDivisions ? newIndex : null);
  }

  /**
   * Returns the frame of some columns, in the given order.
   *
   * @param columns the column names
   * @return the frame
   * @throws GraphException if a column does not exist
   */
  public Frame select(String... columns) {
    Checks.noNulls(columns, "columns");
    return then(new PartitionOp.Select(List.of(columns)), "select");
  }

  /**
   * Returns the frame without some columns.
   *
   * @param columns the column names
   * @return the frame
   * @throws GraphException if a column does not exist
   */
  public Frame drop(String... columns) {
    Checks.noNulls(columns, "columns");
    return then(new PartitionOp.Drop(List.of(columns)), "drop");
  }

  /**
   * Returns the frame with columns renamed.
   *
   * @param names old name to new name
   * @return the frame
   * @throws GraphException if a column does not exist or two columns would share a name
   */
  public Frame rename(Map<String, String> names) {
    Objects.requireNonNull(names, "names");
    return then(new PartitionOp.Rename(new LinkedHashMap<>(names)), "rename");
  }

  /**
   * Returns the frame with one column renamed.
   *
   * @param from the old name
   * @param to the new name
   * @return the frame
   */
  public Frame rename(String from, String to) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    return rename(Map.of(from, to));
  }

  /**
   * Returns the frame with a computed column added at the end (or replacing the column of
   * that name).
   *
   * @param name the column name
   * @param expr its values
   * @return the frame
   * @throws GraphException if the expression reads a missing column or its types do not fit
   */
  public Frame assign(String name, Expr expr) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(expr, "expr");
    return then(new PartitionOp.Assign(name, expr), "assign");
  }

  /**
   * Returns the rows where a boolean expression is true.
   *
   * @param condition the condition
   * @return the frame
   * @throws GraphException if the condition is not boolean or reads a missing column
   */
  public Frame filter(Expr condition) {
    Objects.requireNonNull(condition, "condition");
    return then(new PartitionOp.Filter(condition), "filter");
  }

  /**
   * Applies a function to each partition. The result of each call must have the columns of
   * {@code meta}, checked when it runs. The function may add or remove columns of the table
   * it gets but must not change the values or names of its columns (they may be shared with
   * a persisted partition): copy a column before changing it.
   *
   * @param fn the function, serializable
   * @param meta the columns and types of the results
   * @return the frame
   */
  public Frame mapPartitions(Fn1<Table, Table> fn, Schema meta) {
    Objects.requireNonNull(fn, "fn");
    Objects.requireNonNull(meta, "meta");
    return then(new PartitionOp.MapPartitions(fn, meta), "map-partitions");
  }

  /**
   * Applies a function to each partition that keeps the columns as they are.
   *
   * @param fn the function, serializable
   * @return the frame
   */
  public Frame mapPartitions(Fn1<Table, Table> fn) {
    Objects.requireNonNull(fn, "fn");
    return mapPartitions(fn, schema);
  }

  // ----------------------------------------------------------------------- aggregation

  /**
   * Groups the rows by one or more key columns; see {@link GroupBy#agg}.
   *
   * @param keys the key columns
   * @return the grouping
   * @throws GraphException if a key column does not exist
   */
  public GroupBy groupby(String... keys) {
    Checks.noNulls(keys, "keys");
    if (keys.length == 0) {
      throw new GraphException("groupby: give at least one key column (for whole-frame"
          + " reductions use agg(...))");
    }
    return new GroupBy(this, List.of(keys), 1, 8);
  }

  /**
   * Aggregates the whole frame: a frame of one partition and one row, one column per
   * aggregation.
   *
   * @param aggs the aggregations
   * @return the frame
   */
  public Frame agg(Agg... aggs) {
    Checks.noNulls(aggs, "aggs");
    return Reduction.aggregate(this, List.of(), List.of(aggs), 1, 8);
  }

  private <T> Delayed<T> scalar(String op, Agg a) {
    return Reduction.scalar(this, op, List.of(a), 8, new Cell<T>(a.name(), null));
  }

  /**
   * A statistic of a numeric column as a double: NaN when there are no values (no rows
   * selected, or all missing), the rule of arrays and bags too.
   */
  private Delayed<Double> statistic(Agg a, String op) {
    schema.require(op, List.of(a.column()));
    if (!Exprs.isNumeric(schema.type(a.column()))) {
      throw new GraphException(op + ": column '" + a.column() + "' is "
          + schema.type(a.column()).name() + ", not numeric; " + op + "(column) gives a"
          + " Double: use agg(Agg." + op + "(\"" + a.column() + "\")) for other types");
    }
    return Reduction.scalar(this, op, List.of(a), 8, new Cell<Double>(a.name(), Double.NaN));
  }

  /** Returns the first value of a column, or {@code empty}. */
  record Cell<T>(String column, T empty) implements Fn1<Table, T> {
    @Override
    @SuppressWarnings("unchecked")
    public T apply(Table t) {
      return t.column(column).isMissing(0) ? empty : (T) t.column(column).get(0);
    }
  }

  /**
   * Returns the sum of a numeric column, lazily (missing values skipped).
   *
   * @param column the column
   * @return the delayed sum
   */
  public Delayed<Double> sum(String column) {
    Objects.requireNonNull(column, "column");
    return statistic(Agg.sum(column), "sum");
  }

  /**
   * Returns the mean of a numeric column, lazily (missing values skipped); NaN when no value
   * is present (no rows selected, or all missing), as for every statistic of {@link #sum},
   * {@link #min}, {@link #max}, {@link #std} and {@link #var} (the sum of nothing is 0).
   *
   * <pre>{@code
   * double m = f.filter(Expr.col("x").gt(1e9)).mean("y").compute();   // NaN, not null
   * }</pre>
   *
   * @param column the column
   * @return the delayed mean
   */
  public Delayed<Double> mean(String column) {
    Objects.requireNonNull(column, "column");
    return statistic(Agg.mean(column), "mean");
  }

  /**
   * Returns the smallest value of a numeric column, lazily; NaN when no value is present.
   *
   * @param column the column
   * @return the delayed minimum
   */
  public Delayed<Double> min(String column) {
    Objects.requireNonNull(column, "column");
    return statistic(Agg.min(column), "min");
  }

  /**
   * Returns the largest value of a numeric column, lazily; NaN when no value is present.
   *
   * @param column the column
   * @return the delayed maximum
   */
  public Delayed<Double> max(String column) {
    Objects.requireNonNull(column, "column");
    return statistic(Agg.max(column), "max");
  }

  /**
   * Returns the sample standard deviation of a numeric column, lazily; NaN for fewer than two
   * values.
   *
   * @param column the column
   * @return the delayed standard deviation
   */
  public Delayed<Double> std(String column) {
    Objects.requireNonNull(column, "column");
    return statistic(Agg.std(column), "std");
  }

  /**
   * Returns the sample variance of a numeric column, lazily; NaN for fewer than two values.
   *
   * @param column the column
   * @return the delayed variance
   */
  public Delayed<Double> var(String column) {
    Objects.requireNonNull(column, "column");
    return statistic(Agg.var(column), "var");
  }

  /**
   * Returns the number of present values of a column, lazily.
   *
   * @param column the column
   * @return the delayed count
   */
  public Delayed<Long> count(String column) {
    Objects.requireNonNull(column, "column");
    return scalar("count", Agg.count(column));
  }

  /**
   * Returns the number of distinct present values of a column, lazily.
   *
   * @param column the column
   * @return the delayed count
   */
  public Delayed<Long> nunique(String column) {
    Objects.requireNonNull(column, "column");
    return scalar("nunique", Agg.nunique(column));
  }

  /**
   * Returns how often each present value of a column occurs: a frame of one partition with
   * the column and {@code count}, most frequent first (ties by value).
   *
   * @param column the column
   * @return the frame
   */
  public Frame valueCounts(String column) {
    Objects.requireNonNull(column, "column");
    Frame r = Reduction.aggregate(this, List.of(column), List.of(Agg.size().as("count")), 1, 8);
    return r.mapPartitions(new SortCounts(column));
  }

  /** Sorts by count descending, then by value. */
  record SortCounts(String column) implements Fn1<Table, Table> {
    @Override
    public Table apply(Table t) {
      return t.sortOn("-count", column);
    }
  }

  /**
   * Returns count, mean, std, min and max of every numeric column, lazily: a table with a
   * {@code stat} column and one DOUBLE column per numeric column.
   *
   * @return the delayed summary
   * @throws GraphException if the frame has no numeric column
   */
  public Delayed<Table> describe() {
    List<String> numeric = new ArrayList<>();
    List<Agg> aggs = new ArrayList<>();
    for (String c : schema.names()) {
      if (Exprs.isNumeric(schema.type(c))) {
        numeric.add(c);
        for (Agg a : List.of(Agg.count(c), Agg.mean(c), Agg.std(c), Agg.min(c), Agg.max(c))) {
          aggs.add(a);
        }
      }
    }
    if (numeric.isEmpty()) {
      throw new GraphException("describe: the frame has no numeric column; its columns are "
          + schema);
    }
    return Reduction.scalar(this, "describe", aggs, 8, new Describe(numeric));
  }

  /** Reshapes the one-row aggregate into the describe() table. */
  record Describe(List<String> columns) implements Fn1<Table, Table> {
    @Override
    public Table apply(Table row) {
      List<String> stats = List.of("count", "mean", "std", "min", "max");
      Table out = Table.create("describe",
          tech.tablesaw.api.StringColumn.create("stat", stats));
      for (String c : columns) {
        double[] v = new double[stats.size()];
        for (int i = 0; i < v.length; i++) {
          Object x = row.column(c + "_" + stats.get(i)).get(0);
          v[i] = x == null ? Double.NaN : ((Number) x).doubleValue();
        }
        out.addColumns(tech.tablesaw.api.DoubleColumn.create(c, v));
      }
      return out;
    }
  }

  /**
   * Returns the distinct rows (considering only {@code subset}, or every column when none is
   * given), the first occurrence of each kept, in one partition.
   *
   * @param subset the columns that decide whether two rows are duplicates
   * @return the frame
   */
  public Frame dropDuplicates(String... subset) {
    Checks.noNulls(subset, "subset");
    return Reduction.distinct(this, List.of(subset), 8);
  }

  // ----------------------------------------------------------------------------- reshaping

  /**
   * Returns a spreadsheet-style pivot table, like pandas' {@code pivot_table}: one row per
   * value of {@code index} (ascending), one column per value of {@code columns} (ascending,
   * named by its string), each cell the aggregate of {@code values} over the rows with that
   * pair (missing where there are none). A tree reduction over (index, columns) groups; the
   * distinct values of {@code columns} are computed now, to know the result's columns.
   *
   * @param index the column whose values become rows
   * @param columns the column whose values become columns
   * @param values the column to aggregate
   * @param agg sum, mean, count, min, max, std, var, first, last or nunique
   * @return a frame of one partition
   */
  public Frame pivotTable(String index, String columns, String values, String agg) {
    Objects.requireNonNull(index, "index");
    Objects.requireNonNull(columns, "columns");
    Objects.requireNonNull(values, "values");
    Objects.requireNonNull(agg, "agg");
    return Pivot.pivot(this, index, columns, values, agg);
  }


  /**
   * Joins with another frame on key columns, like pandas' {@code merge}: the result has the
   * left columns, then the right columns other than the keys; a non-key column on both sides
   * gets the suffix {@code _x} (left) and {@code _y} (right). A side of one partition is
   * broadcast to every partition of the other when the join type allows; otherwise both sides
   * are hash-partitioned on the keys and joined piece by piece, the pieces held within
   * {@link ShuffleMemory#budget()} and spilled to disk past it. Two sides over one file source
   * ({@code df.select(...)} and {@code df.filter(...)}) read each partition once.
   *
   * @param right the other frame
   * @param how inner, left, right or outer
   * @param on the key columns, on both sides
   * @return the joined frame
   * @throws GraphException if a key column is missing on a side or has different types
   */
  public Frame merge(Frame right, JoinType how, List<String> on) {
    Objects.requireNonNull(right, "right");
    Objects.requireNonNull(how, "how");
    Checks.noNulls(on, "on");
    return Joins.merge(this, right, how, on, 1);
  }

  /**
   * Like {@link #merge(Frame, JoinType, List)}, broadcasting a side of at most
   * {@code broadcastMax} partitions (0: always shuffle).
   *
   * @param right the other frame
   * @param how inner, left, right or outer
   * @param on the key columns
   * @param broadcastMax the largest number of partitions a broadcast side may have
   * @return the joined frame
   */
  public Frame merge(Frame right, JoinType how, List<String> on, int broadcastMax) {
    Objects.requireNonNull(right, "right");
    Objects.requireNonNull(how, "how");
    Checks.noNulls(on, "on");
    return Joins.merge(this, right, how, on, broadcastMax);
  }

  /**
   * Inner join on key columns.
   *
   * @param right the other frame
   * @param on the key columns, on both sides
   * @return the joined frame
   */
  public Frame merge(Frame right, String... on) {
    Objects.requireNonNull(right, "right");
    Checks.noNulls(on, "on");
    return merge(right, JoinType.INNER, List.of(on));
  }

  /**
   * Sorts by one column (missing values last), into as many partitions: each partition samples
   * the column (a random sample, sorted; not the partition), one task chooses the boundaries,
   * and rows move by range, the pieces held within {@link ShuffleMemory#budget()} and spilled
   * to disk past it. All of it runs lazily, on the scheduler that computes the result.
   *
   * @param column the column
   * @param ascending the order
   * @return the sorted frame
   * @throws GraphException if the column does not exist
   */
  public Frame sortValues(String column, boolean ascending) {
    Objects.requireNonNull(column, "column");
    return Shuffle.sort(this, column, ascending, false);
  }

  /**
   * Sorts by one column, ascending.
   *
   * @param column the column
   * @return the sorted frame
   */
  public Frame sortValues(String column) {
    Objects.requireNonNull(column, "column");
    return sortValues(column, true);
  }

  /**
   * Sorts by a column and makes it the index, as {@link #sortValues(String)} does: nothing is
   * computed now; the result has known {@link #divisions()}, computed from the samples when
   * first asked for (on the scheduler in scope then; the frame's own computation does not need
   * that). Partitions are empty where the column has fewer distinct values than partitions.
   *
   * @param column the column
   * @return the indexed frame
   */
  public Frame setIndex(String column) {
    Objects.requireNonNull(column, "column");
    return Shuffle.sort(this, column, true, true);
  }

  /**
   * Returns the same rows in {@code npartitions} partitions: neighbouring partitions are
   * concatenated, or partitions are cut into about equal row ranges.
   *
   * @param npartitions the number of partitions
   * @return the frame
   */
  public Frame repartition(int npartitions) {
    return Shuffle.repartition(this, npartitions);
  }

  /**
   * Returns the rows of several frames with the same columns, one after the other.
   *
   * @param frames the frames, at least one
   * @return the frame whose partitions are theirs, in order
   * @throws GraphException if the columns or types differ
   */
  public static Frame concat(Frame... frames) {
    Checks.noNulls(frames, "frames");
    if (frames.length == 0) {
      throw new GraphException("concat: give at least one frame");
    }
    List<Key> keys = new ArrayList<>();
    List<TaskGraph> graphs = new ArrayList<>();
    for (Frame f : frames) {
      if (!f.schema.equals(frames[0].schema)) {
        throw new GraphException("concat: a frame has columns " + f.schema + " but the first"
            + " has " + frames[0].schema + "; select, rename or assign to make them agree");
      }
      keys.addAll(f.outputKeys());
      graphs.add(f.graph());
    }
    return fromKeys(TaskGraph.merge(graphs), keys, frames[0].schema, "concat", null, null,
        false);
  }

  // -------------------------------------------------------------------------------- output

  /**
   * Writes each partition to its own file {@code dir/part-00000.csv, ...} now (creating the
   * directory), in parallel on the scheduler in scope.
   *
   * @param dir the directory
   * @return the files written, in partition order
   * @throws java.io.UncheckedIOException if the directory cannot be created
   */
  public List<String> toCsv(java.nio.file.Path dir) {
    Objects.requireNonNull(dir, "dir");
    return CsvWriter.toCsv(this, dir);
  }

  /**
   * Writes the whole frame to one CSV file now: partitions are computed in parallel and
   * appended in order, so only a few are in memory at a time.
   *
   * @param file the file, replaced if it exists
   * @return the file's path
   */
  public String toCsvFile(java.nio.file.Path file) {
    Objects.requireNonNull(file, "file");
    return CsvWriter.toCsvFile(this, file);
  }

  /**
   * Writes each partition to its own Parquet file {@code dir/part-00000.parquet, ...} now,
   * Snappy-compressed, in parallel on the scheduler in scope; no {@code _metadata} file, so
   * pandas, pyarrow, Spark, DuckDB and Dask read {@code dir} as one dataset.
   *
   * @param dir the directory, created if needed
   * @return the files written, in partition order
   */
  public List<String> toParquet(java.nio.file.Path dir) {
    Objects.requireNonNull(dir, "dir");
    return ParquetWrite.toParquet(this, dir, ParquetOptions.defaults());
  }

  /**
   * Like {@link #toParquet(java.nio.file.Path)}, with the codec and row group size of
   * {@code options}.
   *
   * @param dir the directory, created if needed
   * @param options the codec and row group size
   * @return the files written, in partition order
   */
  public List<String> toParquet(java.nio.file.Path dir, ParquetOptions options) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(options, "options");
    return ParquetWrite.toParquet(this, dir, options);
  }

  /**
   * Writes each partition as a JSON-lines file {@code dir/part-N.jsonl} now: one object per
   * row, missing values as {@code null}, dates and times as ISO strings; readable by
   * {@link #readJson}, pandas' {@code read_json(lines=True)} and Dask.
   *
   * @param dir the directory, created if needed
   * @return the files written, in partition order
   */
  public List<String> toJson(java.nio.file.Path dir) {
    Objects.requireNonNull(dir, "dir");
    return JsonFrames.toJson(this, dir);
  }

  /**
   * Returns the rows as a bag of maps from column name to value ({@code null} for missing),
   * one bag partition per frame partition, in order.
   *
   * @return the bag
   */
  public Bag<Map<String, Object>> toBag() {
    return JsonFrames.toBag(this);
  }

  /**
   * Returns the rows as a bag of records whose components are named like columns (other
   * columns are not read), one bag partition per frame partition: numbers are converted to the
   * components' types, a missing value is {@code null} (NaN for a {@code double} component).
   *
   * <pre>{@code
   * record Point(String name, double x) {}
   * Bag<Point> points = frame.toBag(Point.class);
   * }</pre>
   *
   * @param type the record class
   * @param <R> the record type
   * @return the bag
   * @throws GraphException if a component has no column of its name
   */
  public <R extends Record> Bag<R> toBag(Class<R> type) {
    Objects.requireNonNull(type, "type");
    return JsonFrames.toBag(this, type);
  }

  /**
   * Returns numeric (and boolean) columns as a 2-d FLOAT64 array, one row block per partition
   * (rows by columns, missing values NaN, booleans 0 and 1), like Dask's
   * {@code to_dask_array}: with {@code lengths} the row counts are computed now, so the
   * array's chunks are known (Dask's {@code lengths=True}); otherwise they are unknown (-1)
   * until {@link dev.tessera.array.Array#computeChunkSizes()}. Only these columns are read.
   * Needs the {@code tessera-array} module on the class path.
   *
   * @param lengths whether to compute the row counts now
   * @param columns the columns, in order; none for every numeric and boolean column
   * @return the array
   * @throws GraphException if a column is missing or not numeric
   */
  public dev.tessera.array.Array toArray(boolean lengths, String... columns) {
    Checks.noNulls(columns, "columns");
    return ArrayFrames.toArray(this, lengths, List.of(columns));
  }

  /**
   * Returns a frame of a 1-d or 2-d array, one partition per row block (column blocks are
   * merged first), with one column per array column: DOUBLE, FLOAT, LONG, INTEGER or BOOLEAN
   * after the array's type; Dask's {@code from_dask_array}, and the reverse of
   * {@link #toArray}. The array's row chunks must be known.
   *
   * @param array the array
   * @param names the column names, one per array column
   * @return the frame
   * @throws GraphException if the names do not match the columns, or the array is not 1-d or
   *     2-d
   */
  public static Frame fromArray(dev.tessera.array.Array array, String... names) {
    Objects.requireNonNull(array, "array");
    Checks.noNulls(names, "names");
    return ArrayFrames.fromArray(array, List.of(names));
  }

  // ----------------------------------------------------------------------- small results

  /**
   * Returns the first {@code n} rows, computing only as many partitions as needed (1, then 2
   * more, then 4 more, ...).
   *
   * @param n the number of rows
   * @return a table of at most {@code n} rows
   */
  public Table head(int n) {
    List<Key> all = outputKeys();
    TaskGraph g = graph();
    Table out = schema.emptyTable();
    int from = 0;
    int batch = 1;
    while (from < all.size() && out.rowCount() < n) {
      int to = Math.min(all.size(), from + batch);
      Table part = fromKeys(g, all.subList(from, to), schema, label, null, null, false)
          .compute();
      out.append(part);
      from = to;
      batch *= 2;
    }
    return Display.format(out.rowCount() > n ? out.inRange(0, n) : out);
  }

  /**
   * Returns the last {@code n} rows, computing only as many partitions from the end as
   * needed (1, then 2 more, then 4 more, ...).
   *
   * @param n the number of rows
   * @return a table of at most {@code n} rows
   */
  public Table tail(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("tail: n must be >= 0, got " + n);
    }
    List<Key> all = outputKeys();
    TaskGraph g = graph();
    List<Table> parts = new ArrayList<>();
    int rows = 0;
    int to = all.size();
    int batch = 1;
    while (to > 0 && rows < n) {
      int from = Math.max(0, to - batch);
      Table part = fromKeys(g, all.subList(from, to), schema, label, null, null, false)
          .compute();
      parts.add(0, part);
      rows += part.rowCount();
      to = from;
      batch *= 2;
    }
    Table out = schema.emptyTable();
    for (Table p : parts) {
      out.append(p);
    }
    return out.rowCount() > n ? out.inRange(out.rowCount() - n, out.rowCount()) : out;
  }

  /**
   * Returns the {@code n} rows with the largest values of a column, largest first (rows where
   * it is missing left out; ties keep the earlier row), as a frame of one partition: a tree
   * reduction in which no task holds more than 8 n rows.
   *
   * @param n the number of rows
   * @param column the column to order by
   * @return the frame
   */
  public Frame nlargest(int n, String column) {
    Objects.requireNonNull(column, "column");
    return TopRows.top(this, n, column, true);
  }

  /**
   * Returns the {@code n} rows with the smallest values of a column, smallest first; see
   * {@link #nlargest}.
   *
   * @param n the number of rows
   * @param column the column to order by
   * @return the frame
   */
  public Frame nsmallest(int n, String column) {
    Objects.requireNonNull(column, "column");
    return TopRows.top(this, n, column, false);
  }

  /**
   * Returns the frame with numeric columns replaced by their cumulative sums across all
   * partitions, in row order (missing values stay missing and add nothing; whole-number
   * columns become LONG, others DOUBLE). One task per partition totals it, a chain of small
   * tasks carries the offsets, one task per partition applies them.
   *
   * @param columns the numeric columns
   * @return the frame
   */
  public Frame cumsum(String... columns) {
    Checks.noNulls(columns, "columns");
    return Scans.cumsum(this, List.of(columns));
  }

  /**
   * Returns the frame with a LONG column {@code name} holding each row's position in the
   * whole frame, from 0, across partitions.
   *
   * @param name the new column's name
   * @return the frame
   */
  public Frame cumcount(String name) {
    Objects.requireNonNull(name, "name");
    return Scans.cumcount(this, name);
  }

  /**
   * Returns moving-window statistics over {@code window} rows, across partition boundaries;
   * see {@link Rolling}: {@code f.rolling(7).mean("x")}.
   *
   * @param window the number of rows in each window, at least 1
   * @return the window operations
   */
  public Rolling rolling(int window) {
    return new Rolling(this, window);
  }

  /**
   * Returns exact quantiles of a numeric column, lazily, with linear interpolation between
   * ranks (pandas' default; missing values left out; NaN for a column with no value). The
   * column alone is sorted, as {@link #sortValues(String)} does, and no task holds more than
   * one sorted partition.
   *
   * @param column the column
   * @param q the quantiles, each in [0, 1]
   * @return the delayed quantiles, in the order of {@code q}
   */
  public Delayed<List<Double>> quantile(String column, double... q) {
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(q, "q");
    return Quantiles.quantile(this, column, q.clone());
  }

  /**
   * Returns the rows whose index value equals {@code key} (see {@link #loc(Object, Object)}).
   *
   * @param key the index value
   * @return the frame
   */
  public Frame loc(Object key) {
    Objects.requireNonNull(key, "key");
    return Locate.loc(this, key, key);
  }

  /**
   * Returns the rows whose index value is in {@code [lo, hi]} (both ends included, as pandas'
   * {@code df.loc[lo:hi]}), reading only the partitions whose divisions can hold such values
   * when the divisions are known ({@link #setIndex}); otherwise every partition is filtered.
   *
   * @param lo the smallest index value
   * @param hi the largest index value
   * @return the frame, with the divisions of the partitions it kept
   * @throws GraphException if the frame has no index or the bounds do not fit its type
   */
  public Frame loc(Object lo, Object hi) {
    Objects.requireNonNull(lo, "lo");
    Objects.requireNonNull(hi, "hi");
    return Locate.loc(this, lo, hi);
  }

  /**
   * Returns the rows at positions {@code [start, stop)} of the whole frame, as pandas'
   * {@code df.iloc[start:stop]}: the rows of every partition are counted now, then only the
   * partitions holding those positions are read.
   *
   * @param start the first position, from 0
   * @param stop one past the last position (past the end: up to the end)
   * @return the frame
   */
  public Frame iloc(long start, long stop) {
    return Locate.iloc(this, start, stop);
  }

  /** Returns a frame of one empty partition with these columns. */
  Frame head0() {
    return fromTable(schema.emptyTable(), 1);
  }

  /**
   * Returns one delayed table per partition, in order, sharing this frame's graph (Dask's
   * {@code to_delayed()}); arrays and bags have the same method.
   *
   * @return the partitions
   */
  public List<Delayed<Table>> toDelayed() {
    TaskGraph g = graph();
    List<Delayed<Table>> out = new ArrayList<>();
    for (Key k : outputKeys()) {
      out.add(Delayed.fromKey(k, g));
    }
    return out;
  }

  /** {@return the number of rows, lazily} */
  public Delayed<Long> len() {
    String col = schema.names().get(0);
    Stage st = stage(TreeReduction.chunkPrefix("len"), Set.of(col), new RowCount());
    TreeReduction.Tree t = TreeReduction.build(st.graph(), st.keys(), "len", null, 8, 1,
        piece -> new SumLongs(), piece -> new SumLongs());
    return Delayed.fromKey(t.results().get(0), t.graph());
  }

  record RowCount() implements Source.Then {
    @Override
    public Object apply(Table t) {
      return (long) t.rowCount();
    }
  }

  /** Adds row counts: the combine and the aggregate of {@link #len()}. */
  record SumLongs() implements TaskFunction {
    @Override
    public Object apply(Object[] args) {
      long s = 0;
      for (Object x : (List<?>) args[0]) {
        s += (Long) x;
      }
      return s;
    }
  }

  // ------------------------------------------------------------------------ graph building

  /** The keys of one task per partition, and the graph that holds them. */
  record Stage(TaskGraph graph, List<Key> keys) {}

  Object token() {
    return List.of(source.token(), ops);
  }

  /**
   * Returns one task per partition that loads it, applies the row-wise chain for the
   * {@code needed} columns only, and then applies {@code then}.
   */
  Stage stage(String prefix, Collection<String> needed, Source.Then then) {
    return stage(prefix, needed, then, null, null);
  }

  /**
   * Like {@link #stage(String, Collection, Source.Then)}, each task also taking the result of
   * {@code input} (a key of {@code inputGraph}) for a {@link Source.With} step.
   */
  Stage stage(String prefix, Collection<String> needed, Source.Then then, Key input,
      TaskGraph inputGraph) {
    schema.require(prefix, needed);
    Set<String> need = new LinkedHashSet<>(needed);
    if (need.isEmpty()) {
      need.add(schema.names().get(0)); // a table without columns would lose its row count
    }
    Set<String> needSource = new LinkedHashSet<>();
    if (source instanceof Source.Keys k && !k.check() && ops.isEmpty()
        && then instanceof Source.Identity) {
      return new Stage(k.graph(), k.keys());
    }
    List<PartitionOp> pruned = chainFor(need, needSource);
    Source.Loader loader = source.loader(needSource);
    String name = input == null ? Tokens.name(prefix, token(), List.copyOf(need), then)
        : Tokens.name(prefix, token(), List.copyOf(need), then, input);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    List<Key> out = new ArrayList<>();
    Source.PartitionTask fn = new Source.PartitionTask(loader, pruned, then);
    for (int i = 0; i < source.npartitions(); i++) {
      Key k = Key.of(name, i);
      tasks.put(k, input == null ? Task.of(fn, source.arg(i)) : Task.of(fn, source.arg(i), input));
      out.add(k);
    }
    TaskGraph deps = input == null ? source.graph() : TaskGraph.merge(source.graph(), inputGraph);
    return new Stage(TaskGraph.of(Layer.of(name, prefix, tasks), deps), out);
  }

  /**
   * Returns the row-wise chain pruned to the columns {@code need} (which it then returns
   * exactly, in the frame's order), adding the source columns it reads to {@code needSource}.
   */
  List<PartitionOp> chainFor(Set<String> need, Set<String> needSource) {
    List<PartitionOp> pruned = PartitionOp.pruneChain(ops, source.schema(), need, needSource);
    // pruning may leave extra columns (a dropped column that was loaded anyway, a filter's
    // input): what reaches the last step has exactly the needed columns, in the frame's order
    List<String> exact = new ArrayList<>();
    for (String c : schema.names()) {
      if (need.contains(c)) {
        exact.add(c);
      }
    }
    pruned = new ArrayList<>(pruned);
    pruned.add(new PartitionOp.Select(exact));
    return pruned;
  }

  private void build() {
    Stage s = stage(label, schema.names(), new Source.Identity());
    graph = s.graph();
    keys = s.keys();
  }

  /** Returns the frame's partitions as keys of another graph, for operations to build on. */
  Frame withKeys(TaskGraph g, List<Key> ks) {
    return fromKeysDivided(g, ks, schema, label, divisions, index, false);
  }

  Source source() {
    return source;
  }

  List<PartitionOp> ops() {
    return ops;
  }

  /** Returns this frame over another source of the same columns (a {@link SharedRead}). */
  Frame withSource(Source s) {
    return new Frame(s, ops, schema, label, divisions, index);
  }

  String label() {
    return label;
  }

  // ------------------------------------------------------------------------------- Lazy

  @Override
  public TaskGraph graph() {
    if (graph == null) {
      build();
    }
    return graph;
  }

  @Override
  public List<Key> outputKeys() {
    if (keys == null) {
      build();
    }
    return keys;
  }

  @Override
  public Fn1<List<Object>, Table> assembler() {
    return new Tables.Concat(schema);
  }

  @Override
  public Frame withGraph(TaskGraph g) {
    Objects.requireNonNull(g, "g");
    return fromKeysDivided(g, outputKeys(), schema, label, divisions, index, false);
  }

  @Override
  public Frame persist() {
    return persist(Tessera.scheduler());
  }

  @Override
  public Frame persist(Scheduler scheduler) {
    Objects.requireNonNull(scheduler, "scheduler");
    return Tessera.persist(List.of(this), scheduler).get(0);
  }

  @Override
  public String toString() {
    return "Frame(" + label + ", " + npartitions() + " partitions, " + schema + ")";
  }
}
