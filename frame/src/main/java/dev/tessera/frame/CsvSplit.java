package dev.tessera.frame;

import java.io.Serializable;

/**
 * One partition of a CSV input: the rows of {@code path} that start at a byte offset in
 * {@code [start, end)}. A gzip file is always one whole split ({@code start = 0},
 * {@code end = Long.MAX_VALUE}), offsets then counting decompressed bytes.
 *
 * @param path the file
 * @param start the first byte offset owned
 * @param end one past the last byte offset owned (the file size for the last split)
 * @param fileSize the file's size in bytes (compressed size for gzip)
 * @param gzip whether the file is gzip-compressed
 */
record CsvSplit(String path, long start, long end, long fileSize, boolean gzip)
    implements Serializable {
  /** Returns whether this split covers its whole file (so quoted line breaks are safe). */
  boolean wholeFile() {
    return gzip || (start == 0 && end >= fileSize);
  }

  @Override
  public String toString() {
    return wholeFile() ? path : path + " bytes [" + start + ", " + end + ")";
  }
}
