package dev.tessera.frame;

import dev.tessera.graph.core.Checks;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import tech.tablesaw.api.ColumnType;

/**
 * How {@link Frame#readCsv(String, CsvOptions)} reads CSV files: immutable, each setter
 * returns a new instance.
 *
 * <pre>{@code
 * CsvOptions o = CsvOptions.defaults().blocksize(16 << 20).type("id", ColumnType.LONG);
 * }</pre>
 *
 * <p>Defaults: blocksize 64 MB (a file is split into about equal blocks of at most this many
 * bytes, cut on line boundaries; 0 means one partition per file; a partition never exceeds
 * 1 GB, and a gzip file, always one partition, must decompress to less than 2 GB), separator
 * {@code ','},
 * types inferred from the first 256 KB of the first file, and as missing values the strings
 * pandas reads as missing by default: {@code ""}, {@code #N/A}, {@code #N/A N/A}, {@code
 * #NA}, {@code -1.#IND}, {@code -1.#QNAN}, {@code -NaN}, {@code -nan}, {@code 1.#IND},
 * {@code 1.#QNAN}, {@code <NA>}, {@code N/A}, {@code NA}, {@code NULL}, {@code NaN}, {@code
 * None}, {@code n/a}, {@code nan}, {@code null} (pandas 2's set; pandas 1.5 lacks {@code
 * None}). {@link #missingValues} replaces the set.
 */
public final class CsvOptions implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long blocksize;
  private final char separator;
  private final int sampleBytes;
  private final Map<String, String> types;
  private final Set<String> missing;

  private CsvOptions(long blocksize, char separator, int sampleBytes, Map<String, String> types,
      Set<String> missing) {
    this.blocksize = blocksize;
    this.separator = separator;
    this.sampleBytes = sampleBytes;
    this.types = Map.copyOf(types);
    this.missing = Set.copyOf(missing);
  }

  /** {@return the default options} */
  public static CsvOptions defaults() {
    return new CsvOptions(64L << 20, ',', 256 << 10, Map.of(), PandasNa.DEFAULT);
  }

  /**
   * Returns these options with another block size.
   *
   * @param bytes the largest partition, in bytes; 0 for one partition per file
   * @return the options
   */
  public CsvOptions blocksize(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("blocksize must be >= 0, got " + bytes);
    }
    return new CsvOptions(bytes, separator, sampleBytes, types, missing);
  }

  /**
   * Returns these options with another field separator.
   *
   * @param c the separator, such as {@code ';'} or {@code '\t'}
   * @return the options
   */
  public CsvOptions separator(char c) {
    if (c == '"' || c == '\n' || c == '\r' || c > 127) {
      throw new IllegalArgumentException("separator must be an ASCII character other than a"
          + " quote or a line break, got '" + c + "'");
    }
    return new CsvOptions(blocksize, c, sampleBytes, types, missing);
  }

  /**
   * Returns these options with a type given for a column (not inferred).
   *
   * @param column the column name
   * @param type its type
   * @return the options
   */
  public CsvOptions type(String column, ColumnType type) {
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(type, "type");
    Map<String, String> t = new LinkedHashMap<>(types);
    t.put(column, type.name());
    return new CsvOptions(blocksize, separator, sampleBytes, t, missing);
  }

  /**
   * Returns these options with types given for several columns.
   *
   * @param columnTypes column names to types
   * @return the options
   */
  public CsvOptions types(Map<String, ColumnType> columnTypes) {
    Objects.requireNonNull(columnTypes, "columnTypes");
    CsvOptions o = this;
    for (Map.Entry<String, ColumnType> e : columnTypes.entrySet()) {
      o = o.type(e.getKey(), e.getValue());
    }
    return o;
  }

  /**
   * Returns these options with another number of bytes sampled to infer types.
   *
   * @param bytes how much of the first file to look at
   * @return the options
   */
  public CsvOptions sampleBytes(int bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("sampleBytes must be >= 1, got " + bytes);
    }
    return new CsvOptions(blocksize, separator, bytes, types, missing);
  }

  /**
   * Returns these options with other strings taken as missing values, instead of pandas'
   * default set (like pandas' {@code na_values} with {@code keep_default_na=False}).
   *
   * @param values the strings that mean "missing" (compared after unquoting); include
   *     {@code ""} for empty fields to be missing
   * @return the options
   */
  public CsvOptions missingValues(String... values) {
    Checks.noNulls(values, "values");
    return new CsvOptions(blocksize, separator, sampleBytes, types, Set.of(values));
  }

  /** {@return the block size in bytes (0: one partition per file)} */
  public long blocksize() {
    return blocksize;
  }

  /** {@return the field separator} */
  public char separator() {
    return separator;
  }

  /** {@return how many bytes of the first file are sampled to infer types} */
  public int sampleBytes() {
    return sampleBytes;
  }

  /** {@return the explicit column types; a new map} */
  public Map<String, ColumnType> types() {
    Map<String, ColumnType> m = new LinkedHashMap<>();
    types.forEach((k, v) -> m.put(k, ColumnType.valueOf(v)));
    return m;
  }

  /** {@return the strings read as missing values; immutable} */
  public Set<String> missingValues() {
    return missing;
  }

  List<Object> token() {
    return List.of(blocksize, (int) separator, sampleBytes, types, missing);
  }
}
