package dev.tessera.frame;

import dev.tessera.graph.core.Checks;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How {@link Frame#readParquet(String, ParquetOptions)} reads and {@link Frame#toParquet}
 * writes Parquet files: immutable, each setter returns a new instance.
 *
 * <pre>{@code
 * ParquetOptions o = ParquetOptions.defaults()
 *     .columns("name", "x")                       // only these columns make the frame
 *     .filter(ParquetFilter.of("x", ">", 0.5))     // skip row groups, then rows
 *     .blocksize(256 << 20);                       // merge small row groups of a file
 * }</pre>
 *
 * <p>Reading defaults: one partition per row group ({@code blocksize(-1)}), every flat
 * column, no filter. {@code blocksize(0)} gives one partition per file; a positive blocksize
 * merges consecutive row groups of a file until their uncompressed size reaches it (a row
 * group is never split). Writing defaults: {@link ParquetCodec#SNAPPY}, row groups of at
 * most 128 MB.
 */
public final class ParquetOptions implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long blocksize;
  private final List<String> columns; // null: all
  private final List<List<ParquetFilter>> filters;
  private final ParquetCodec codec;
  private final long rowGroupBytes;

  private ParquetOptions(long blocksize, List<String> columns,
      List<List<ParquetFilter>> filters, ParquetCodec codec, long rowGroupBytes) {
    this.blocksize = blocksize;
    this.columns = columns == null ? null : List.copyOf(columns);
    List<List<ParquetFilter>> f = new ArrayList<>();
    for (List<ParquetFilter> and : filters) {
      f.add(List.copyOf(and));
    }
    this.filters = List.copyOf(f);
    this.codec = codec;
    this.rowGroupBytes = rowGroupBytes;
  }

  /** {@return the default options} */
  public static ParquetOptions defaults() {
    return new ParquetOptions(-1, null, List.of(), ParquetCodec.SNAPPY, 128L << 20);
  }

  /**
   * Returns these options with another partitioning.
   *
   * @param bytes -1 for one partition per row group, 0 for one per file, more to merge
   *     consecutive row groups of a file up to about this many uncompressed bytes
   * @return the options
   */
  public ParquetOptions blocksize(long bytes) {
    if (bytes < -1) {
      throw new IllegalArgumentException("blocksize must be >= -1, got " + bytes);
    }
    return new ParquetOptions(bytes, columns, filters, codec, rowGroupBytes);
  }

  /**
   * Returns these options reading only some columns: the frame has these, in this order
   * (other columns, nested ones included, are ignored).
   *
   * @param names the column names
   * @return the options
   */
  public ParquetOptions columns(String... names) {
    Checks.noNulls(names, "names");
    return new ParquetOptions(blocksize, List.of(names), filters, codec, rowGroupBytes);
  }

  /**
   * Returns these options with one more AND-list of filter terms (OR-ed with the lists
   * given before); see {@link ParquetFilter}.
   *
   * @param and terms that must all hold
   * @return the options
   */
  public ParquetOptions filter(ParquetFilter... and) {
    Checks.noNulls(and, "and");
    if (and.length == 0) {
      throw new IllegalArgumentException("filter: give at least one term");
    }
    List<List<ParquetFilter>> f = new ArrayList<>(filters);
    f.add(List.of(and));
    return new ParquetOptions(blocksize, columns, f, codec, rowGroupBytes);
  }

  /**
   * Returns these options with filters in disjunctive normal form, as Dask's
   * {@code filters=[[...], [...]]}: rows kept when every term of some inner list holds.
   *
   * @param dnf the AND-lists, OR-ed
   * @return the options
   */
  public ParquetOptions filters(List<List<ParquetFilter>> dnf) {
    Checks.noNulls(dnf, "dnf");
    for (List<ParquetFilter> and : dnf) {
      Checks.noNulls(and, "dnf's AND-list");
      if (and.isEmpty()) {
        throw new IllegalArgumentException("filters: an AND-list is empty");
      }
    }
    return new ParquetOptions(blocksize, columns, dnf, codec, rowGroupBytes);
  }

  /**
   * Returns these options writing with another page compression.
   *
   * @param codec the codec
   * @return the options
   */
  public ParquetOptions codec(ParquetCodec codec) {
    return new ParquetOptions(blocksize, columns, filters, Objects.requireNonNull(codec,
        "codec"), rowGroupBytes);
  }

  /**
   * Returns these options writing row groups of about at most this many bytes (before
   * compression).
   *
   * @param bytes the size, at least 1024
   * @return the options
   */
  public ParquetOptions rowGroupBytes(long bytes) {
    if (bytes < 1024) {
      throw new IllegalArgumentException("rowGroupBytes must be >= 1024, got " + bytes);
    }
    return new ParquetOptions(blocksize, columns, filters, codec, bytes);
  }

  /** {@return the partitioning: -1 per row group, 0 per file, else target bytes} */
  public long blocksize() {
    return blocksize;
  }

  /** {@return the columns to read, or null for every flat column} */
  public List<String> columns() {
    return columns;
  }

  /** {@return the filters, as AND-lists that are OR-ed; empty for none} */
  public List<List<ParquetFilter>> filters() {
    return filters;
  }

  /** {@return the codec for writing} */
  public ParquetCodec codec() {
    return codec;
  }

  /** {@return the row group size for writing, in bytes} */
  public long rowGroupBytes() {
    return rowGroupBytes;
  }
}
