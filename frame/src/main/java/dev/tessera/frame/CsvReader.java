package dev.tessera.frame;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Reads the rows of one {@link CsvSplit} into a Tablesaw table: the split's bytes are read at
 * once, then a byte-level tokenizer (RFC 4180 quoting, {@code ""} escapes, CRLF) hands each
 * wanted field to its column's {@link CsvColumns.Builder}; unwanted fields are skipped without
 * being parsed.
 *
 * <p>A split owns the rows that start in its byte range: it skips the partial line before its
 * start and reads past its end to finish its last row. A quoted field with a line break is
 * read correctly when the split is its whole file, and refused otherwise (a block boundary
 * might cut such a field).
 */
final class CsvReader {
  private final CsvSplit split;
  private final CsvFormat format;
  private final CsvFormat.Missing missing;
  private final CsvColumns.Builder[] builders; // null where a column is not wanted
  private final String typeOrigin; // where the types come from, for messages
  private byte[] buf;
  private int len;
  private long base; // the file offset of buf[0]
  private int lastWanted; // the last column with a builder: later fields are only counted

  private CsvReader(CsvSplit split, CsvFormat format, CsvColumns.Builder[] builders,
      String typeOrigin) {
    this.split = split;
    this.format = format;
    this.missing = format.missing();
    this.builders = builders;
    this.typeOrigin = typeOrigin;
  }

  /**
   * Reads the wanted columns of a split.
   *
   * @param split the split
   * @param format the input's format
   * @param schema the file's schema (every column, in file order)
   * @param wanted which columns to build, by file position
   * @param why where the types come from, for error messages
   * @return the table of the wanted columns, in file order
   */
  static Table read(CsvSplit split, CsvFormat format, Schema schema, boolean[] wanted,
      String why) {
    CsvReader r = new CsvReader(split, format, new CsvColumns.Builder[schema.size()], why);
    r.load();
    return r.table(schema, wanted);
  }

  /** Parses every row of the loaded split into the wanted columns. */
  private Table table(Schema schema, boolean[] wanted) {
    int capacity = len / 48;
    for (int i = 0; i < schema.size(); i++) {
      if (wanted[i]) {
        builders[i] = CsvColumns.forType(schema.type(i), capacity);
      }
    }
    parse();
    Table t = Table.create("part");
    for (int i = 0; i < schema.size(); i++) {
      if (wanted[i]) {
        t.addColumns(builders[i].build(schema.names().get(i)));
      }
    }
    return t;
  }

  /**
   * Rows drawn from a split, and how many rows the split has (about: blank lines count); or,
   * when {@code whole}, every row of the split.
   */
  record Drawn(Table rows, long splitRows, boolean whole) {}

  /**
   * Parses {@code draws} rows drawn at random (with replacement, a fixed seed per split) of a
   * split's wanted columns without parsing the others: the split's bytes are read and scanned
   * for line breaks, and only the drawn lines are parsed. A row is drawn with a chance in
   * proportion to its length (a random byte picks the row it falls in), which a sort's
   * boundaries can afford. When the split holds a quote character (a line break may then be
   * inside a field, so lines are not rows) or a drawn row does not parse, the bytes already
   * read are parsed whole instead ({@code whole}; any error reported with its line). Returns
   * null for a gzip file: the caller reads it.
   */
  static Drawn drawRows(CsvSplit split, CsvFormat format, Schema schema, boolean[] wanted,
      String why, int draws) {
    if (split.gzip()) {
      return null;
    }
    CsvReader r = new CsvReader(split, format, new CsvColumns.Builder[schema.size()], why);
    r.load();
    byte[] b = r.buf;
    int first = r.firstRow();
    int end = (int) Math.min(r.len, split.wholeFile() ? r.len : split.end() - r.base);
    if (first >= end) {
      return new Drawn(r.table(schema, wanted), 0, true);
    }
    long nb = CsvBytes.lineBreaks(b, first, r.len); // the line breaks in [first, len)
    if (nb < 0) { // a quote: a line break may be inside a field
      return new Drawn(r.table(schema, wanted), 0, true);
    }
    java.util.SplittableRandom random = new java.util.SplittableRandom(
        split.path().hashCode() * 31L + split.start());
    java.io.ByteArrayOutputStream lines = new java.io.ByteArrayOutputStream();
    for (int k = 0; k < draws; k++) {
      int at = first + random.nextInt(end - first);
      int from = at; // the line holding byte at: after the break before it, to its own break
      while (from > first && b[from - 1] != '\n') {
        from--;
      }
      int to = at;
      while (to < r.len && b[to] != '\n') {
        to++;
      }
      to = to < r.len ? to + 1 : r.len;
      lines.write(b, from, to - from);
      if (to == r.len && (to == from || b[to - 1] != '\n')) {
        lines.write('\n');
      }
    }
    long rows = nb + (b[r.len - 1] != '\n' ? 1 : 0);
    CsvReader d = new CsvReader(new CsvSplit(split.path(), 1, Long.MAX_VALUE, Long.MAX_VALUE,
        false), format, new CsvColumns.Builder[schema.size()], why);
    d.buf = lines.toByteArray();
    d.len = d.buf.length;
    d.base = 0;
    for (int i = 0; i < schema.size(); i++) {
      if (wanted[i]) {
        d.builders[i] = CsvColumns.forType(schema.type(i), draws);
      }
    }
    try {
      d.parseFrom(0, Long.MAX_VALUE);
    } catch (FrameException e) {
      return new Drawn(r.table(schema, wanted), 0, true);
    }
    Table t = Table.create("part");
    for (int i = 0; i < schema.size(); i++) {
      if (wanted[i]) {
        t.addColumns(d.builders[i].build(schema.names().get(i)));
      }
    }
    return new Drawn(t, rows, false);
  }

  /** Infers column types from the first bytes of a file: one sampler per column. */
  static CsvColumns.Sampler[] sample(Path file, boolean gzip, CsvFormat format, int bytes) {
    byte[] b = readPrefix(file, gzip, bytes);
    int end = b.length;
    boolean cut = false;
    if (b.length == bytes) {
      // drop the last, probably incomplete line
      while (end > 0 && b[end - 1] != '\n') {
        end--;
      }
      cut = true;
    }
    CsvSplit whole = new CsvSplit(file.toString(), 0, Long.MAX_VALUE, Long.MAX_VALUE, true);
    CsvColumns.Sampler[] s = new CsvColumns.Sampler[format.header.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = new CsvColumns.Sampler();
    }
    CsvReader r = new CsvReader(whole, format, s, "");
    r.buf = b;
    r.len = end;
    r.base = 0;
    if (cut && end == 0) {
      return s; // a single line longer than the sample: nothing to learn from
    }
    r.parse();
    return s;
  }

  /** Reads the header line of a file: its field names. */
  static java.util.List<String> header(Path file, boolean gzip, char separator) {
    byte[] b = readPrefix(file, gzip, 1 << 16);
    int end = 0;
    while (end < b.length && b[end] != '\n') {
      end++;
    }
    if (end == b.length && b.length == 1 << 16) {
      throw new dev.tessera.graph.GraphException(file + ": the first line (the header) is"
          + " longer than 64 KB");
    }
    if (end == 0 && b.length == 0) {
      throw new dev.tessera.graph.GraphException(file + " is empty: a CSV file needs at least a"
          + " header line");
    }
    java.util.List<String> names = new java.util.ArrayList<>();
    int p = 0;
    StringBuilder sb = new StringBuilder();
    boolean quoted = false;
    int lineEnd = end > 0 && b[end - 1] == '\r' ? end - 1 : end;
    // a UTF-8 byte order mark is not part of the first column's name
    int first = b.length >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb
        && (b[2] & 0xff) == 0xbf ? 3 : 0;
    for (p = first; p < lineEnd; p++) {
      byte c = b[p];
      if (c == '"') {
        if (quoted && p + 1 < lineEnd && b[p + 1] == '"') {
          sb.append('"');
          p++;
        } else {
          quoted = !quoted;
        }
      } else if (c == separator && !quoted) {
        names.add(sb.toString());
        sb.setLength(0);
      } else {
        sb.append((char) (c & 0xff));
      }
    }
    names.add(new String(sb.toString().getBytes(StandardCharsets.ISO_8859_1),
        StandardCharsets.UTF_8));
    for (int i = 0; i < names.size() - 1; i++) {
      names.set(i, new String(names.get(i).getBytes(StandardCharsets.ISO_8859_1),
          StandardCharsets.UTF_8));
    }
    return PandasHeader.names(names);
  }

  private static byte[] readPrefix(Path file, boolean gzip, int bytes) {
    try (InputStream in = gzip ? new GZIPInputStream(Files.newInputStream(file), 1 << 16)
        : Files.newInputStream(file)) {
      return in.readNBytes(bytes);
    } catch (IOException e) {
      // read when the frame is built (the header, the type sample): bad input at build time
      throw new dev.tessera.graph.GraphException("cannot read " + file + ": " + e);
    }
  }

  /** Reads the split's bytes: from one byte before its start to the end of its last row. */
  private void load() {
    Path file = Path.of(split.path());
    try {
      if (split.gzip()) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
          buf = in.readAllBytes();
        }
        len = buf.length;
        base = 0;
        return;
      }
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        long size = ch.size();
        long from = split.start() == 0 ? 0 : split.start() - 1;
        long to = Math.min(split.end(), size);
        int n = (int) (to - from);
        buf = new byte[n + (to < size ? 1 << 12 : 0)];
        len = readFully(ch, from, buf, 0, n);
        base = from;
        // finish the last row: read on to the next line break
        long pos = from + len;
        while (pos < size && (len == 0 || buf[len - 1] != '\n')) {
          if (len == buf.length) {
            buf = Arrays.copyOf(buf, buf.length + Math.max(1 << 12, buf.length / 8));
          }
          int got = readFully(ch, pos, buf, len, Math.min(buf.length - len, 1 << 12));
          // keep only up to the first line break of what was just read
          int stop = len;
          while (stop < len + got && buf[stop] != '\n') {
            stop++;
          }
          if (stop < len + got) {
            len = stop + 1;
            break;
          }
          len += got;
          pos += got;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + split + ": " + e, e);
    }
  }

  private static int readFully(FileChannel ch, long pos, byte[] into, int off, int n)
      throws IOException {
    ByteBuffer bb = ByteBuffer.wrap(into, off, n);
    int total = 0;
    while (bb.hasRemaining()) {
      int r = ch.read(bb, pos + total);
      if (r < 0) {
        break;
      }
      total += r;
    }
    return total;
  }

  /** Parses every row this split owns; returns the number of rows. */
  private int parse() {
    return parseFrom(firstRow(), split.wholeFile() ? Long.MAX_VALUE : split.end() - base);
  }

  /** The buffer position of the split's first row. */
  private int firstRow() {
    int p = 0;
    if (split.start() == 0 || split.wholeFile()) {
      p = skipLine(0); // the header
    } else {
      // buf[0] is the byte before our start: our first row starts after the next line break
      while (p < len && buf[p] != '\n') {
        p++;
      }
      p++;
    }
    return p;
  }

  /** Parses the rows that start at {@code p} or later, before {@code limit}. */
  private int parseFrom(int p, long limit) {
    lastWanted = lastWanted();
    int rows = 0;
    while (p < len && p < limit) {
      if (buf[p] == '\n' || (buf[p] == '\r' && p + 1 < len && buf[p + 1] == '\n')) {
        p += buf[p] == '\n' ? 1 : 2; // blank line
        continue;
      }
      p = parseRow(p);
      rows++;
    }
    return rows;
  }

  /** Returns the position after the line (quotes respected) starting at {@code p}. */
  private int skipLine(int p) {
    boolean quoted = false;
    while (p < len) {
      byte c = buf[p++];
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '\n' && !quoted) {
        break;
      }
    }
    return p;
  }

  private int lastWanted() {
    int last = -1;
    for (int i = 0; i < builders.length; i++) {
      if (builders[i] != null) {
        last = i;
      }
    }
    return last;
  }

  private int parseRow(int rowStart) {
    final byte sep = format.separator;
    final long sepMask = CsvBytes.mask(sep);
    final byte[] b = buf;
    final int n = len;
    final int ncols = builders.length;
    int p = rowStart;
    int col = 0;
    while (true) {
      int start = p;
      int end;
      boolean escaped = false;
      if (p < n && b[p] == '"') {
        p++;
        start = p;
        while (true) {
          if (p >= n) {
            throw error(rowStart, col, "a quoted field is not closed before the end of the"
                + " file");
          }
          byte c = b[p];
          if (c == '"') {
            if (p + 1 < n && b[p + 1] == '"') {
              escaped = true;
              p += 2;
              continue;
            }
            break;
          }
          if (c == '\n' && !split.wholeFile()) {
            throw error(rowStart, col, "a quoted field contains a line break, and this file is"
                + " split into blocks that could cut such a field; read it with"
                + " CsvOptions.blocksize(0) (one partition per file)");
          }
          p++;
        }
        end = p;
        p++; // the closing quote
        if (p < n && b[p] != sep && b[p] != '\n' && !(b[p] == '\r' && (p + 1 == n
            || b[p + 1] == '\n'))) {
          throw error(rowStart, col, "unexpected character '" + (char) b[p]
              + "' after a closing quote");
        }
        if (p < n && b[p] == '\r') {
          p++;
        }
      } else {
        p = CsvBytes.fieldEnd(b, p, n, sepMask);
        end = p;
        if (end > start && b[end - 1] == '\r' && (p == n || b[p] == '\n')) {
          end--;
        }
      }
      if (col >= ncols) {
        throw error(rowStart, -1, "the row has more than the " + ncols + " fields of the"
            + " header " + format.header);
      }
      CsvColumns.Builder bld = builders[col];
      if (bld != null) {
        if (escaped) {
          String s = new String(b, start, end - start, StandardCharsets.UTF_8).replace("\"\"",
              "\"");
          byte[] u = s.getBytes(StandardCharsets.UTF_8);
          add(bld, u, 0, u.length, rowStart, col);
        } else {
          add(bld, b, start, end - start, rowStart, col);
        }
      }
      col++;
      if (p >= n || b[p] == '\n') {
        p++;
        break;
      }
      p++; // the separator
      if (col > lastWanted) {
        // no wanted field left: count the remaining separators up to the line end
        int q = p;
        int extra = 1;
        while (q < n && b[q] != '\n' && b[q] != '"') {
          if (b[q] == sep) {
            extra++;
          }
          q++;
        }
        if (q >= n || b[q] == '\n') {
          col += extra;
          if (col > ncols) {
            throw error(rowStart, -1, "the row has more than the " + ncols + " fields of the"
                + " header " + format.header);
          }
          p = q + 1;
          break;
        }
      }
    }
    if (col != ncols) {
      throw error(rowStart, -1, "the row has " + col + " field" + (col == 1 ? "" : "s")
          + " but the header " + format.header + " has " + ncols);
    }
    return p;
  }

  private void add(CsvColumns.Builder bld, byte[] b, int off, int n, int rowStart, int col) {
    if (missing.matches(b, off, n)) {
      bld.addMissing();
    } else if (!bld.add(b, off, n)) {
      String column = format.header.get(col);
      String refusal = bld.refusal(b, off, n, column);
      if (refusal != null) {
        throw error(rowStart, col, refusal);
      }
      String value = new String(b, off, Math.min(n, 100), StandardCharsets.UTF_8);
      CsvColumns.Sampler s = new CsvColumns.Sampler();
      s.add(b, off, n);
      String fits = s.type().name();
      boolean given = format.given.contains(column);
      throw error(rowStart, col, "'" + value + "' does not parse as " + typeName(bld)
          + (given ? ", the type given with CsvOptions.type" : typeOrigin) + "; "
          + (given ? "read" : "give") + " the column as " + fits + " with CsvOptions.type(\""
          + column + "\", ColumnType." + fits + ") or fix the value");
    }
  }

  private static String typeName(CsvColumns.Builder b) {
    String s = b.getClass().getSimpleName();
    switch (s) {
      case "Longs": return "LONG";
      case "Ints": return "INTEGER";
      case "Doubles": return "DOUBLE";
      case "Dates": return "LOCAL_DATE";
      case "DateTimes": return "LOCAL_DATE_TIME";
      case "Booleans": return "BOOLEAN";
      default: return b instanceof CsvColumns.Generic g ? g.type().name() : "its column's type";
    }
  }

  private FrameException error(int rowStart, int col, String what) {
    String where = split.path() + ", line " + lineOf(rowStart)
        + (col >= 0 ? ", column '" + format.header.get(col) + "'" : "");
    return new FrameException(where + ": " + what);
  }

  /** The 1-based line number of a buffer position: counted only when an error is reported. */
  private long lineOf(int pos) {
    long lines = 1;
    for (int i = 0; i < pos; i++) {
      if (buf[i] == '\n') {
        lines++;
      }
    }
    if (base > 0) {
      // count the line breaks before our buffer: buf[0] is file offset base
      try (InputStream in = Files.newInputStream(Path.of(split.path()))) {
        byte[] chunk = new byte[1 << 16];
        long left = base;
        while (left > 0) {
          int r = in.read(chunk, 0, (int) Math.min(chunk.length, left));
          if (r < 0) {
            break;
          }
          for (int i = 0; i < r; i++) {
            if (chunk[i] == '\n') {
              lines++;
            }
          }
          left -= r;
        }
      } catch (IOException e) {
        return -1;
      }
    }
    return lines;
  }
}
