package dev.tessera.frame;

import dev.tessera.graph.GraphException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Objects;
import java.util.Set;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DateColumn;
import tech.tablesaw.api.DateTimeColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.columns.dates.PackedLocalDate;
import tech.tablesaw.selection.BitmapBackedSelection;
import tech.tablesaw.selection.Selection;

/** The kinds of {@link Expr}; package-private, users build them through {@code Expr}'s methods. */
final class Exprs {
  private Exprs() {}

  // Column types are compared with equals, not ==: Tablesaw's XColumnType.instance() is a lazy,
  // unsynchronized singleton, so identity is not guaranteed (equals compares the class).
  static boolean isNumeric(ColumnType t) {
    return ColumnType.DOUBLE.equals(t) || ColumnType.FLOAT.equals(t) || isIntegral(t);
  }

  static boolean isIntegral(ColumnType t) {
    return ColumnType.LONG.equals(t) || ColumnType.INTEGER.equals(t) || ColumnType.SHORT.equals(t);
  }

  /** Reads a numeric operand as doubles: NaN for missing. */
  interface Num {
    double at(int i);
  }

  /** Reads a whole-number operand: Long.MIN_VALUE for missing. */
  interface Lng {
    long at(int i);
  }

  /** Reads any operand as objects: null for missing. */
  interface Obj {
    Object at(int i);
  }

  static Num num(Expr e, Table t) {
    if (e instanceof Lit l) {
      double v = ((Number) l.value).doubleValue();
      return i -> v;
    }
    Column<?> c = e.eval(t);
    if (c instanceof DoubleColumn d) {
      return d::getDouble;
    }
    NumericColumn<?> n = (NumericColumn<?>) c;
    return i -> n.isMissing(i) ? Double.NaN : n.getDouble(i);
  }

  static Lng lng(Expr e, Table t) {
    if (e instanceof Lit l) {
      long v = ((Number) l.value).longValue();
      return i -> v;
    }
    Column<?> c = e.eval(t);
    if (c instanceof LongColumn d) {
      return d::getLong;
    }
    NumericColumn<?> n = (NumericColumn<?>) c;
    return i -> n.isMissing(i) ? Long.MIN_VALUE : (long) n.getDouble(i);
  }

  static Obj obj(Expr e, Table t) {
    if (e instanceof Lit l) {
      Object v = l.value;
      return i -> v;
    }
    Column<?> c = e.eval(t);
    return i -> c.isMissing(i) ? null : c.get(i);
  }

  /** A column. */
  static final class Col extends Expr {
    private static final long serialVersionUID = 1L;
    final String name;

    Col(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public ColumnType type(Schema schema) {
      schema.require("expression " + this, Set.of(name));
      return schema.type(name);
    }

    @Override
    void collect(Set<String> out) {
      out.add(name);
    }

    @Override
    Column<?> eval(Table t) {
      return t.column(name);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** A literal value. */
  static final class Lit extends Expr {
    private static final long serialVersionUID = 1L;
    final Object value;

    Lit(Object value) {
      if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
        value = ((Number) value).longValue();
      } else if (value instanceof Float f) {
        value = f.doubleValue();
      }
      if (!(value instanceof Long || value instanceof Double || value instanceof String
          || value instanceof Boolean || value instanceof LocalDate
          || value instanceof LocalDateTime)) {
        throw new IllegalArgumentException("a literal must be a number, string, boolean,"
            + " LocalDate or LocalDateTime, got " + (value == null ? "null" : value.getClass()));
      }
      this.value = value;
    }

    @Override
    public ColumnType type(Schema schema) {
      if (value instanceof Long) {
        return ColumnType.LONG;
      } else if (value instanceof Double) {
        return ColumnType.DOUBLE;
      } else if (value instanceof String) {
        return ColumnType.STRING;
      } else if (value instanceof Boolean) {
        return ColumnType.BOOLEAN;
      } else if (value instanceof LocalDate) {
        return ColumnType.LOCAL_DATE;
      }
      return ColumnType.LOCAL_DATE_TIME;
    }

    @Override
    void collect(Set<String> out) {}

    @Override
    Column<?> eval(Table t) {
      ColumnType type = type(null);
      @SuppressWarnings("unchecked")
      Column<Object> c = (Column<Object>) type.create(toString());
      for (int i = 0; i < t.rowCount(); i++) {
        c.appendObj(value);
      }
      return c;
    }

    @Override
    public String toString() {
      return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
    }
  }

  /** An operator with two operands: holds them, collects their columns, prints them. */
  abstract static class Binary extends Expr {
    private static final long serialVersionUID = 1L;
    final Expr a;
    final Expr b;

    Binary(Expr a, Expr b) {
      this.a = a;
      this.b = b;
    }

    /** The operator as written between the operands. */
    abstract String symbol();

    @Override
    void collect(Set<String> out) {
      a.collect(out);
      b.collect(out);
    }

    @Override
    public String toString() {
      return "(" + a + " " + symbol() + " " + b + ")";
    }
  }

  /** Arithmetic ({@code + - * / %}). */
  static final class Arith extends Binary {
    private static final long serialVersionUID = 1L;
    final char op;

    Arith(char op, Expr a, Expr b) {
      super(a, b);
      this.op = op;
    }

    @Override
    String symbol() {
      return String.valueOf(op);
    }

    @Override
    public ColumnType type(Schema s) {
      ColumnType ta = a.type(s);
      ColumnType tb = b.type(s);
      if (op == '+' && ColumnType.STRING.equals(ta) && ColumnType.STRING.equals(tb)) {
        return ColumnType.STRING;
      }
      if (!isNumeric(ta) || !isNumeric(tb)) {
        throw new GraphException("expression " + this + ": '" + op + "' needs numbers but "
            + a + " is " + ta.name() + " and " + b + " is " + tb.name());
      }
      return isIntegral(ta) && isIntegral(tb) && op != '/' ? ColumnType.LONG : ColumnType.DOUBLE;
    }

    @Override
    Column<?> eval(Table t) {
      Schema s = Schema.of(t);
      ColumnType type = type(s);
      int n = t.rowCount();
      if (ColumnType.STRING.equals(type)) {
        Obj x = obj(a, t);
        Obj y = obj(b, t);
        StringColumn out = StringColumn.create(toString());
        for (int i = 0; i < n; i++) {
          Object u = x.at(i);
          Object v = y.at(i);
          out.append(u == null || v == null ? null : (String) u + v);
        }
        return out;
      }
      if (ColumnType.LONG.equals(type)) {
        Lng x = lng(a, t);
        Lng y = lng(b, t);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
          long u = x.at(i);
          long v = y.at(i);
          if (u == Long.MIN_VALUE || v == Long.MIN_VALUE || (op == '%' && v == 0)) {
            out[i] = Long.MIN_VALUE;
          } else {
            out[i] = op == '+' ? u + v : op == '-' ? u - v : op == '*' ? u * v : u % v;
          }
        }
        return Wrap.longs(toString(), out);
      }
      Num x = num(a, t);
      Num y = num(b, t);
      double[] out = new double[n];
      for (int i = 0; i < n; i++) {
        double u = x.at(i);
        double v = y.at(i);
        out[i] = op == '+' ? u + v : op == '-' ? u - v : op == '*' ? u * v : op == '/' ? u / v
            : u % v;
      }
      return Wrap.doubles(toString(), out);
    }
  }

  /** Comparisons ({@code == != < <= > >=}); false when either side is missing. */
  static final class Cmp extends Binary {
    private static final long serialVersionUID = 1L;
    final String op;

    Cmp(String op, Expr a, Expr b) {
      super(a, b);
      this.op = op;
    }

    @Override
    String symbol() {
      return op;
    }

    @Override
    public ColumnType type(Schema s) {
      ColumnType ta = a.type(s);
      ColumnType tb = b.type(s);
      if (!(isNumeric(ta) && isNumeric(tb)) && !ta.equals(tb)) {
        throw new GraphException("expression " + this + ": cannot compare " + a + " ("
            + ta.name() + ") with " + b + " (" + tb.name() + ")");
      }
      return ColumnType.BOOLEAN;
    }

    private boolean test(int c) {
      switch (op) {
        case "==": return c == 0;
        case "!=": return c != 0;
        case "<": return c < 0;
        case "<=": return c <= 0;
        case ">": return c > 0;
        default: return c >= 0;
      }
    }

    /** Fills {@code out} with 1 where true, 0 where false; returns the number true. */
    private int compute(Table t, byte[] out) {
      Schema s = Schema.of(t);
      int n = t.rowCount();
      int count = 0;
      if (isNumeric(a.type(s)) && isNumeric(b.type(s))) {
        Num x = num(a, t);
        Num y = num(b, t);
        for (int i = 0; i < n; i++) {
          double u = x.at(i);
          double v = y.at(i);
          boolean r = u == u && v == v && test(u < v ? -1 : u > v ? 1 : 0);
          out[i] = (byte) (r ? 1 : 0);
          count += out[i];
        }
        return count;
      }
      Obj x = obj(a, t);
      Obj y = obj(b, t);
      for (int i = 0; i < n; i++) {
        Object u = x.at(i);
        Object v = y.at(i);
        @SuppressWarnings({"unchecked", "rawtypes"})
        boolean r = u != null && v != null && test(((Comparable) u).compareTo(v));
        out[i] = (byte) (r ? 1 : 0);
        count += out[i];
      }
      return count;
    }

    @Override
    Column<?> eval(Table t) {
      byte[] out = new byte[t.rowCount()];
      compute(t, out);
      BooleanColumn c = BooleanColumn.create(toString());
      for (byte x : out) {
        c.append(x);
      }
      return c;
    }

    @Override
    Selection select(Table t) {
      byte[] out = new byte[t.rowCount()];
      int count = compute(t, out);
      int[] rows = new int[count];
      int k = 0;
      for (int i = 0; i < out.length; i++) {
        if (out[i] != 0) {
          rows[k++] = i;
        }
      }
      return count == 0 ? new BitmapBackedSelection() : Selection.with(rows);
    }
  }

  /** and, or, not on booleans; missing counts as false. */
  static final class Logic extends Binary {
    private static final long serialVersionUID = 1L;
    final String op;

    Logic(String op, Expr a, Expr b) {
      super(a, b);
      this.op = op;
    }

    @Override
    String symbol() {
      return op;
    }

    @Override
    public ColumnType type(Schema s) {
      for (Expr e : new Expr[] {a, b}) {
        if (!ColumnType.BOOLEAN.equals(e.type(s))) {
          throw new GraphException("expression " + this + ": '" + op + "' needs booleans but "
              + e + " is " + e.type(s).name());
        }
      }
      return ColumnType.BOOLEAN;
    }

    @Override
    Column<?> eval(Table t) {
      int n = t.rowCount();
      Selection x = a.select(t);
      BooleanColumn c = BooleanColumn.create(toString());
      if (op.equals("not")) {
        for (int i = 0; i < n; i++) {
          c.append((byte) (x.contains(i) ? 0 : 1));
        }
        return c;
      }
      Selection y = b.select(t);
      for (int i = 0; i < n; i++) {
        boolean r = op.equals("and") ? x.contains(i) && y.contains(i)
            : x.contains(i) || y.contains(i);
        c.append((byte) (r ? 1 : 0));
      }
      return c;
    }

    @Override
    Selection select(Table t) {
      if (op.equals("and")) {
        return a.select(t).and(b.select(t));
      }
      if (op.equals("or")) {
        return a.select(t).or(b.select(t));
      }
      return super.select(t);
    }

    @Override
    public String toString() {
      return op.equals("not") ? "not(" + a + ")" : "(" + a + " " + op + " " + b + ")";
    }
  }

  /** String and date functions, and isMissing. */
  static final class Fn extends Expr {
    private static final long serialVersionUID = 1L;
    final String fn;
    final Expr a;
    final Object arg;

    Fn(String fn, Expr a, Object arg) {
      this.fn = fn;
      this.a = a;
      this.arg = arg;
    }

    @Override
    public ColumnType type(Schema s) {
      ColumnType ta = a.type(s);
      switch (fn) {
        case "isMissing":
          return ColumnType.BOOLEAN;
        case "upper": case "lower": case "trim":
          need(ta, ColumnType.STRING);
          return ColumnType.STRING;
        case "length":
          need(ta, ColumnType.STRING);
          return ColumnType.LONG;
        case "contains": case "startsWith": case "endsWith":
          need(ta, ColumnType.STRING);
          return ColumnType.BOOLEAN;
        case "plusDays":
          need(ta, ColumnType.LOCAL_DATE);
          return ColumnType.LOCAL_DATE;
        default: // year, month, day, dayOfWeek
          if (!ColumnType.LOCAL_DATE.equals(ta) && !ColumnType.LOCAL_DATE_TIME.equals(ta)) {
            throw new GraphException("expression " + this + ": " + fn + "() needs a LOCAL_DATE"
                + " or LOCAL_DATE_TIME but " + a + " is " + ta.name());
          }
          return ColumnType.LONG;
      }
    }

    private void need(ColumnType actual, ColumnType wanted) {
      if (actual != wanted) {
        throw new GraphException("expression " + this + ": " + fn + "() needs a "
            + wanted.name() + " but " + a + " is " + actual.name());
      }
    }

    @Override
    void collect(Set<String> out) {
      a.collect(out);
    }

    @Override
    Column<?> eval(Table t) {
      int n = t.rowCount();
      Column<?> c = a.eval(t);
      String name = toString();
      switch (fn) {
        case "isMissing": {
          BooleanColumn out = BooleanColumn.create(name);
          for (int i = 0; i < n; i++) {
            out.append((byte) (c.isMissing(i) ? 1 : 0));
          }
          return out;
        }
        case "upper": case "lower": case "trim": {
          StringColumn s = (StringColumn) c;
          StringColumn out = StringColumn.create(name);
          for (int i = 0; i < n; i++) {
            String v = s.get(i);
            out.append(fn.equals("upper") ? v.toUpperCase() : fn.equals("lower")
                ? v.toLowerCase() : v.trim());
          }
          return out;
        }
        case "length": {
          StringColumn s = (StringColumn) c;
          long[] out = new long[n];
          for (int i = 0; i < n; i++) {
            out[i] = s.isMissing(i) ? Long.MIN_VALUE : s.get(i).length();
          }
          return Wrap.longs(name, out);
        }
        case "contains": case "startsWith": case "endsWith": {
          StringColumn s = (StringColumn) c;
          String x = (String) arg;
          BooleanColumn out = BooleanColumn.create(name);
          for (int i = 0; i < n; i++) {
            String v = s.get(i);
            boolean r = !s.isMissing(i) && (fn.equals("contains") ? v.contains(x)
                : fn.equals("startsWith") ? v.startsWith(x) : v.endsWith(x));
            out.append((byte) (r ? 1 : 0));
          }
          return out;
        }
        case "plusDays": {
          DateColumn d = (DateColumn) c;
          DateColumn out = DateColumn.create(name);
          for (int i = 0; i < n; i++) {
            if (d.isMissing(i)) {
              out.appendMissing();
            } else {
              out.append(d.get(i).plusDays((Long) arg));
            }
          }
          return out;
        }
        default: {
          long[] out = new long[n];
          for (int i = 0; i < n; i++) {
            if (c.isMissing(i)) {
              out[i] = Long.MIN_VALUE;
              continue;
            }
            LocalDate d;
            if (c instanceof DateColumn dc) {
              int packed = dc.getIntInternal(i);
              d = PackedLocalDate.asLocalDate(packed);
            } else {
              d = ((DateTimeColumn) c).get(i).toLocalDate();
            }
            out[i] = fn.equals("year") ? d.getYear() : fn.equals("month") ? d.getMonthValue()
                : fn.equals("day") ? d.getDayOfMonth() : d.getDayOfWeek().getValue();
          }
          return Wrap.longs(name, out);
        }
      }
    }

    @Override
    public String toString() {
      return a + "." + fn + "(" + (arg == null ? "" : arg instanceof String ? "\"" + arg + "\""
          : arg) + ")";
    }
  }
}
