package dev.tessera.frame;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DateColumn;
import tech.tablesaw.api.DateTimeColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.columns.Column;
import tech.tablesaw.columns.dates.DateColumnType;
import tech.tablesaw.columns.dates.PackedLocalDate;
import tech.tablesaw.columns.datetimes.PackedLocalDateTime;

/**
 * Column builders that parse CSV field bytes straight into typed arrays, and the value tests
 * type inference uses. The parsers are written on bytes, not strings, because CSV reading is
 * the hot path of most frame workloads: no {@code String} per field except for string columns,
 * whose values are deduplicated through a small byte-keyed cache.
 */
final class CsvColumns {
  private CsvColumns() {}

  /** Builds one column; {@link #add} returns false when the bytes do not parse. */
  abstract static class Builder {
    abstract boolean add(byte[] b, int off, int len);

    abstract void addMissing();

    abstract Column<?> build(String name);

    /**
     * Says why bytes that {@link #add} refused cannot be stored although they are a value of
     * the column's type (Tablesaw's missing-value markers, date-times finer than a
     * millisecond), with the fix; null when they simply do not parse.
     */
    String refusal(byte[] b, int off, int len, String column) {
      return null;
    }
  }

  private static final byte[] LONG_MIN = Long.toString(Long.MIN_VALUE)
      .getBytes(StandardCharsets.US_ASCII);

  /** Returns whether the bytes are exactly {@code -9223372036854775808}. */
  static boolean isLongMin(byte[] b, int off, int len) {
    return Arrays.equals(b, off, off + len, LONG_MIN, 0, LONG_MIN.length);
  }

  /**
   * Returns +-infinity for the spellings pandas reads ({@code inf}, {@code -inf}, {@code
   * +inf}, {@code infinity}, in any case), else NaN.
   */
  static double parseInfinity(byte[] b, int off, int len) {
    int i = off;
    double sign = 1;
    if (len > 0 && (b[i] == '-' || b[i] == '+')) {
      sign = b[i] == '-' ? -1 : 1;
      i++;
    }
    int n = off + len - i;
    if (n != 3 && n != 8) {
      return Double.NaN;
    }
    String w = new String(b, i, n, StandardCharsets.US_ASCII);
    return w.equalsIgnoreCase("inf") || w.equalsIgnoreCase("infinity") ? sign
        * Double.POSITIVE_INFINITY : Double.NaN;
  }

  /** Returns whether a date-time has a part finer than a millisecond, which Tablesaw drops. */
  static boolean finerThanMillis(LocalDateTime t) {
    return t.getNano() % 1_000_000 != 0;
  }

  /** The sentence for a value that is Tablesaw's missing-value marker of a column type. */
  static String sentinel(String value, String type, String wider, String column) {
    return "'" + value + "' is a valid " + type + " but it is the value Tablesaw's " + type
        + " columns use to mark missing values, so it would silently become missing; read"
        + " the column as " + wider + " with CsvOptions.type(\"" + column + "\", ColumnType."
        + wider + ")";
  }

  static Builder forType(ColumnType type, int capacity) {
    if (ColumnType.LONG.equals(type)) {
      return new Longs(capacity);
    } else if (ColumnType.DOUBLE.equals(type)) {
      return new Doubles(capacity);
    } else if (ColumnType.INTEGER.equals(type)) {
      return new Ints(capacity);
    } else if (ColumnType.STRING.equals(type)) {
      return new Strings(capacity);
    } else if (ColumnType.LOCAL_DATE.equals(type)) {
      return new Dates(capacity);
    } else if (ColumnType.LOCAL_DATE_TIME.equals(type)) {
      return new DateTimes();
    } else if (ColumnType.BOOLEAN.equals(type)) {
      return new Booleans();
    }
    return new Generic(type);
  }

  /** Parses a whole number; returns {@link Long#MIN_VALUE} when the bytes are not one. */
  static long parseLong(byte[] b, int off, int len) {
    int i = off;
    int end = off + len;
    boolean neg = false;
    if (i < end && (b[i] == '-' || b[i] == '+')) {
      neg = b[i] == '-';
      i++;
    }
    if (i == end || end - i > 19) {
      return Long.MIN_VALUE;
    }
    boolean mayOverflow = end - i == 19; // 18 digits always fit: no check (a division) a digit
    long v = 0;
    for (; i < end; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        return Long.MIN_VALUE;
      }
      if (mayOverflow && v > (Long.MAX_VALUE - d) / 10) {
        return Long.MIN_VALUE;
      }
      v = v * 10 + d;
    }
    return neg ? -v : v;
  }

  /** Parses a double; returns null-equivalent via the flag array when the bytes are not one. */
  static boolean isDouble(byte[] b, int off, int len) {
    try {
      JavaDoubleParser.parseDouble(b, off, len);
      return true;
    } catch (NumberFormatException e) {
      return !Double.isNaN(parseInfinity(b, off, len));
    }
  }

  /** Parses an ISO date {@code yyyy-mm-dd} to Tablesaw's packed form, or MIN_VALUE. */
  static int parseDate(byte[] b, int off, int len) {
    if (len == 10 && b[off + 4] == '-' && b[off + 7] == '-') {
      int y = digits(b, off, 4);
      int m = digits(b, off + 5, 2);
      int d = digits(b, off + 8, 2);
      if (y >= 0 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m)) {
        return PackedLocalDate.pack(y, m, d);
      }
      return Integer.MIN_VALUE;
    }
    try {
      return PackedLocalDate.pack(LocalDate.parse(new String(b, off, len, StandardCharsets.UTF_8)));
    } catch (DateTimeParseException e) {
      return Integer.MIN_VALUE;
    }
  }

  private static final int[] DAYS = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

  /** The days of month m of year y (a table: java.time's YearMonth costs an object a row). */
  static int daysIn(int y, int m) {
    boolean leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : DAYS[m - 1];
  }

  private static int digits(byte[] b, int off, int n) {
    int v = 0;
    for (int i = 0; i < n; i++) {
      int d = b[off + i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  /** Parses an ISO date-time ({@code T} or a space between date and time), or null. */
  static LocalDateTime parseDateTime(byte[] b, int off, int len) {
    if (len < 16) {
      return null;
    }
    String s = new String(b, off, len, StandardCharsets.UTF_8);
    if (s.charAt(10) == ' ') {
      s = s.substring(0, 10) + 'T' + s.substring(11);
    }
    try {
      return LocalDateTime.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Parses {@code true} or {@code false} in any case: 1, 0, or -1 when neither. */
  static byte parseBoolean(byte[] b, int off, int len) {
    String s = len == 4 || len == 5 ? new String(b, off, len, StandardCharsets.US_ASCII) : "";
    if (s.equalsIgnoreCase("true")) {
      return 1;
    }
    if (s.equalsIgnoreCase("false")) {
      return 0;
    }
    return -1;
  }

  static final class Longs extends Builder {
    private long[] data;
    private int n;

    Longs(int capacity) {
      data = new long[Math.max(16, capacity)];
    }

    private void put(long v) {
      if (n == data.length) {
        data = Arrays.copyOf(data, n * 2);
      }
      data[n++] = v;
    }

    @Override
    boolean add(byte[] b, int off, int len) {
      long v = parseLong(b, off, len);
      if (v == Long.MIN_VALUE) {
        return false;
      }
      put(v);
      return true;
    }

    @Override
    void addMissing() {
      put(Long.MIN_VALUE); // Tablesaw's missing long
    }

    @Override
    String refusal(byte[] b, int off, int len, String column) {
      return isLongMin(b, off, len) ? sentinel(Long.toString(Long.MIN_VALUE), "LONG", "STRING",
          column) + " (DOUBLE keeps this value exactly but rounds others beyond 2^53)" : null;
    }

    @Override
    Column<?> build(String name) {
      return Wrap.longs(name, data, n);
    }
  }

  static final class Ints extends Builder {
    private int[] data;
    private int n;

    Ints(int capacity) {
      data = new int[Math.max(16, capacity)];
    }

    private void put(int v) {
      if (n == data.length) {
        data = Arrays.copyOf(data, n * 2);
      }
      data[n++] = v;
    }

    @Override
    boolean add(byte[] b, int off, int len) {
      long v = parseLong(b, off, len);
      if (v <= Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
        return false;
      }
      put((int) v);
      return true;
    }

    @Override
    void addMissing() {
      put(Integer.MIN_VALUE);
    }

    @Override
    String refusal(byte[] b, int off, int len, String column) {
      return parseLong(b, off, len) == Integer.MIN_VALUE ? sentinel(Integer.toString(
          Integer.MIN_VALUE), "INTEGER", "LONG", column) : null;
    }

    @Override
    Column<?> build(String name) {
      return Wrap.ints(name, data, n);
    }
  }

  static final class Doubles extends Builder {
    private double[] data;
    private int n;

    Doubles(int capacity) {
      data = new double[Math.max(16, capacity)];
    }

    private void put(double v) {
      if (n == data.length) {
        data = Arrays.copyOf(data, n * 2);
      }
      data[n++] = v;
    }

    @Override
    boolean add(byte[] b, int off, int len) {
      double v;
      try {
        v = JavaDoubleParser.parseDouble(b, off, len);
      } catch (NumberFormatException e) {
        v = parseInfinity(b, off, len);
        if (Double.isNaN(v)) {
          return false;
        }
      }
      put(v);
      return true;
    }

    @Override
    void addMissing() {
      put(Double.NaN);
    }

    @Override
    Column<?> build(String name) {
      return Wrap.doubles(name, data, n);
    }
  }

  /** Strings, deduplicated through a small open-addressing cache keyed by the bytes. */
  static final class Strings extends Builder {
    private static final int SLOTS = 1 << 14;
    // the last value seen per hash slot of its bytes, and its code: a repeated name costs a
    // hash of its bytes and a compare, no String and no dictionary lookup
    private final int[] cacheCode = new int[SLOTS];
    private final byte[][] cacheBytes = new byte[SLOTS][];
    private final StringCodes dictionary = new StringCodes();
    private int[] codes;
    private int n;

    Strings(int capacity) {
      codes = new int[Math.max(16, capacity)];
    }

    @Override
    boolean add(byte[] b, int off, int len) {
      int h = 1;
      for (int i = off; i < off + len; i++) {
        h = 31 * h + b[i];
      }
      int slot = (h ^ (h >>> 15)) & (SLOTS - 1);
      byte[] k = cacheBytes[slot];
      int code;
      if (k != null && sameBytes(k, b, off, len)) {
        code = cacheCode[slot];
      } else {
        code = dictionary.code(new String(b, off, len, StandardCharsets.UTF_8));
        if (len <= 64 && code >= 0) {
          cacheBytes[slot] = Arrays.copyOfRange(b, off, off + len);
          cacheCode[slot] = code;
        }
      }
      append(code);
      return true;
    }

    private static boolean sameBytes(byte[] k, byte[] b, int off, int len) {
      if (k.length != len) {
        return false;
      }
      // a plain loop: short names are the common case, where a library call costs more
      for (int i = 0; i < len; i++) {
        if (k[i] != b[off + i]) {
          return false;
        }
      }
      return true;
    }

    private void append(int code) {
      if (n == codes.length) {
        codes = Arrays.copyOf(codes, n * 2);
      }
      codes[n++] = code;
    }

    /** Adds an already decoded value (a quoted field with escapes). */
    void addString(String s) {
      append(dictionary.code(s));
    }

    @Override
    void addMissing() {
      append(-1);
    }

    @Override
    Column<?> build(String name) {
      return dictionary.column(name, codes, n);
    }
  }

  static final class Dates extends Builder {
    private int[] data; // packed local dates, as Tablesaw keeps them
    private int n;

    Dates(int capacity) {
      data = new int[Math.max(16, capacity)];
    }

    private void put(int v) {
      if (n == data.length) {
        data = Arrays.copyOf(data, n * 2);
      }
      data[n++] = v;
    }

    @Override
    boolean add(byte[] b, int off, int len) {
      int v = parseDate(b, off, len);
      if (v == Integer.MIN_VALUE) {
        return false;
      }
      put(v);
      return true;
    }

    @Override
    void addMissing() {
      put(DateColumnType.missingValueIndicator());
    }

    @Override
    Column<?> build(String name) {
      return DateColumn.createInternal(name, Arrays.copyOf(data, n));
    }
  }

  static final class DateTimes extends Builder {
    private final DateTimeColumn column = DateTimeColumn.create("t");

    @Override
    boolean add(byte[] b, int off, int len) {
      LocalDateTime v = parseDateTime(b, off, len);
      if (v == null || finerThanMillis(v)) {
        return false;
      }
      column.appendInternal(PackedLocalDateTime.pack(v));
      return true;
    }

    @Override
    String refusal(byte[] b, int off, int len, String column) {
      LocalDateTime v = parseDateTime(b, off, len);
      return v == null ? null : "'" + new String(b, off, len, StandardCharsets.UTF_8)
          + "' has a part finer than a millisecond, which Tablesaw's LOCAL_DATE_TIME columns"
          + " (milliseconds) would silently drop; read the column as STRING with"
          + " CsvOptions.type(\"" + column + "\", ColumnType.STRING) to keep every digit";
    }

    @Override
    void addMissing() {
      column.appendMissing();
    }

    @Override
    Column<?> build(String name) {
      return column.setName(name);
    }
  }

  static final class Booleans extends Builder {
    private final BooleanColumn column = BooleanColumn.create("b");

    @Override
    boolean add(byte[] b, int off, int len) {
      byte v = parseBoolean(b, off, len);
      if (v < 0) {
        return false;
      }
      column.append(v);
      return true;
    }

    @Override
    void addMissing() {
      column.appendMissing();
    }

    @Override
    Column<?> build(String name) {
      return column.setName(name);
    }
  }

  /** Any other Tablesaw type, through Tablesaw's own cell parser (slower, rarely used). */
  static final class Generic extends Builder {
    private final Column<?> column;

    Generic(ColumnType type) {
      column = type.create("g");
    }

    ColumnType type() {
      return column.type();
    }

    @Override
    boolean add(byte[] b, int off, int len) {
      try {
        column.appendCell(new String(b, off, len, StandardCharsets.UTF_8));
      } catch (RuntimeException e) {
        return false;
      }
      // a value equal to the type's missing-value marker (Short.MIN_VALUE, ...) would be
      // missing now: refused (the column is discarded with the error)
      return !column.isMissing(column.size() - 1);
    }

    @Override
    String refusal(byte[] b, int off, int len, String column) {
      try {
        Column<?> probe = this.column.type().create("probe");
        probe.appendCell(new String(b, off, len, StandardCharsets.UTF_8));
        return probe.isMissing(0) ? sentinel(new String(b, off, len, StandardCharsets.UTF_8),
            this.column.type().name(), "STRING", column) : null;
      } catch (RuntimeException e) {
        return null;
      }
    }

    @Override
    void addMissing() {
      column.appendMissing();
    }

    @Override
    Column<?> build(String name) {
      return column.setName(name);
    }
  }

  /** Type inference: which types every non-missing value seen so far parses as. */
  static final class Sampler extends Builder {
    boolean isLong = true;
    boolean isDouble = true;
    boolean isBool = true;
    boolean isDate = true;
    boolean isDateTime = true;
    boolean seen;

    @Override
    boolean add(byte[] b, int off, int len) {
      seen = true;
      // Long.MIN_VALUE is a whole number too: the column stays LONG, and reading it says why
      // that one value cannot be stored, rather than the type silently becoming DOUBLE
      isLong = isLong && (parseLong(b, off, len) != Long.MIN_VALUE || isLongMin(b, off, len));
      isDouble = isDouble && (isLong || isDouble(b, off, len));
      isBool = isBool && parseBoolean(b, off, len) >= 0;
      isDate = isDate && parseDate(b, off, len) != Integer.MIN_VALUE;
      // finer than a millisecond: STRING keeps what LOCAL_DATE_TIME would drop
      LocalDateTime t = isDateTime ? parseDateTime(b, off, len) : null;
      isDateTime = t != null && !finerThanMillis(t);
      return true;
    }

    @Override
    void addMissing() {}

    ColumnType type() {
      if (!seen) {
        return ColumnType.STRING;
      } else if (isLong) {
        return ColumnType.LONG;
      } else if (isDouble) {
        return ColumnType.DOUBLE;
      } else if (isBool) {
        return ColumnType.BOOLEAN;
      } else if (isDate) {
        return ColumnType.LOCAL_DATE;
      } else if (isDateTime) {
        return ColumnType.LOCAL_DATE_TIME;
      }
      return ColumnType.STRING;
    }

    @Override
    Column<?> build(String name) {
      throw new UnsupportedOperationException("a sampler builds no column");
    }
  }
}
