package dev.tessera.frame;

/**
 * The page compression of Parquet files that {@link Frame#toParquet} writes; reading accepts
 * these and detects them from each file. {@code SNAPPY} is the default, as in pandas, pyarrow
 * and Dask; {@code ZSTD} compresses better at a small cost in speed.
 */
public enum ParquetCodec {
  /** No compression. */
  UNCOMPRESSED,
  /** Snappy (aircompressor's pure-Java implementation). */
  SNAPPY,
  /** Gzip (the JDK's deflater). */
  GZIP,
  /** Zstandard (aircompressor's pure-Java implementation), level 3. */
  ZSTD,
  /** LZ4 blocks without Hadoop framing ({@code LZ4_RAW} in the Parquet format). */
  LZ4_RAW
}
