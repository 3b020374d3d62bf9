package dev.tessera.frame;

import dev.tessera.graph.GraphException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One term of a Parquet filter, as in Dask's and pyarrow's {@code filters}: a column, an
 * operator ({@code == = != < <= > >= in} or {@code not in}) and a value (a collection for
 * {@code in} and {@code not in}). {@link ParquetOptions#filters} takes them in disjunctive
 * normal form: a list of AND-lists, a row kept when every term of at least one list holds.
 *
 * <pre>{@code
 * ParquetOptions o = ParquetOptions.defaults()
 *     .filter(ParquetFilter.of("x", ">", 0.5), ParquetFilter.of("name", "in", List.of("a", "b")));
 * }</pre>
 *
 * <p>Filters work twice: row groups whose statistics (min, max, null count) rule a term out
 * are never read, and the rows of the row groups that are read are filtered too, so the
 * result is exactly the rows that match. A comparison with a missing value is false.
 */
public final class ParquetFilter implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Set<String> OPS = Set.of("==", "=", "!=", "<", "<=", ">", ">=", "in",
      "not in");

  private final String column;
  private final String op;
  private final Object value;

  private ParquetFilter(String column, String op, Object value) {
    this.column = column;
    this.op = op;
    this.value = value;
  }

  /**
   * Returns a filter term.
   *
   * @param column the column name
   * @param op {@code ==}, {@code =}, {@code !=}, {@code <}, {@code <=}, {@code >}, {@code >=},
   *     {@code in} or {@code not in}
   * @param value a number, string, boolean or {@link java.time.LocalDate}; a collection of
   *     them for {@code in} and {@code not in}
   * @return the term
   * @throws IllegalArgumentException for another operator, or a value of the wrong form
   */
  public static ParquetFilter of(String column, String op, Object value) {
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(value, "value");
    String o = op.trim().toLowerCase(java.util.Locale.ROOT);
    if (!OPS.contains(o)) {
      throw new IllegalArgumentException("filter on '" + column + "': operator '" + op
          + "' is not one of " + List.of("==", "!=", "<", "<=", ">", ">=", "in", "not in"));
    }
    if (o.equals("=")) {
      o = "==";
    }
    boolean set = o.equals("in") || o.equals("not in");
    if (set != (value instanceof Collection<?>)) {
      throw new IllegalArgumentException("filter on '" + column + "': '" + o + "' takes "
          + (set ? "a collection of values" : "one value, not a collection") + ", got "
          + value);
    }
    boolean hasNull = value == null;
    if (set) {
      for (Object x : (Collection<?>) value) {
        hasNull |= x == null;
      }
    }
    if (hasNull) {
      throw new IllegalArgumentException("filter on '" + column + "': a value is null; a"
          + " comparison with a missing value is always false");
    }
    Object v = set ? List.copyOf(new ArrayList<>((Collection<?>) value)) : value;
    return new ParquetFilter(column, o, v);
  }

  /** {@return the column name} */
  public String column() {
    return column;
  }

  /** {@return the operator, {@code =} given as {@code ==}} */
  public String op() {
    return op;
  }

  /** {@return the value (an immutable list for {@code in} and {@code not in})} */
  public Object value() {
    return value;
  }

  /** Returns the row-wise condition of this term. */
  Expr expr() {
    Expr c = Expr.col(column);
    switch (op) {
      case "==": return c.eq(value);
      case "!=": return c.ne(value);
      case "<": return c.lt(value);
      case "<=": return c.le(value);
      case ">": return c.gt(value);
      case ">=": return c.ge(value);
      default:
        Expr e = null;
        for (Object v : (List<?>) value) {
          Expr t = op.equals("in") ? c.eq(v) : c.ne(v);
          e = e == null ? t : op.equals("in") ? e.or(t) : e.and(t);
        }
        if (e == null) { // x in () is false, x not in () is true for present values
          return op.equals("in") ? c.isMissing().and(c.isMissing().not())
              : c.isMissing().not();
        }
        return e;
    }
  }

  /** Returns the condition of filters in disjunctive normal form. */
  static Expr expr(List<List<ParquetFilter>> dnf) {
    Expr any = null;
    for (List<ParquetFilter> and : dnf) {
      Expr all = null;
      for (ParquetFilter f : and) {
        all = all == null ? f.expr() : all.and(f.expr());
      }
      if (all == null) {
        throw new GraphException("readParquet: an AND-list of filters is empty");
      }
      any = any == null ? all : any.or(all);
    }
    return any;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParquetFilter f && column.equals(f.column) && op.equals(f.op)
        && value.equals(f.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(column, op, value);
  }

  /** Returns {@code (column, op, value)}, as Dask writes a filter. */
  @Override
  public String toString() {
    return "(" + column + ", " + op + ", " + value + ")";
  }
}
