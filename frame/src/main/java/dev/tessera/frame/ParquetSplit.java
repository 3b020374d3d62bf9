package dev.tessera.frame;

import java.io.Serializable;
import java.util.List;

/**
 * One partition of a Parquet input: some row groups of one file (none for an empty file, or
 * when filters ruled every row group out).
 *
 * @param path the file
 * @param rowGroups the row group indexes, ascending
 * @param rows the number of rows in those row groups
 * @param fileSize the file's size, so that a rewritten file changes the keys
 * @param modified the file's modification time in milliseconds, likewise
 */
record ParquetSplit(String path, List<Integer> rowGroups, long rows, long fileSize,
    long modified) implements Serializable {
  ParquetSplit {
    rowGroups = List.copyOf(rowGroups);
  }

  @Override
  public String toString() {
    return path + " row groups " + rowGroups;
  }
}
