package dev.tessera.frame;

import dev.tessera.graph.GraphException;
import java.io.Serializable;
import java.util.Objects;
import tech.tablesaw.api.ColumnType;

/**
 * One aggregation of {@link GroupBy#agg} or {@link Frame#agg}: a function of a column, named
 * {@code column_function} in the result unless renamed with {@link #as(String)}.
 *
 * <pre>{@code
 * f.groupby("name").agg(Agg.sum("x"), Agg.mean("y").as("avg_y"), Agg.size())
 * }</pre>
 *
 * <p>Every function skips missing values, like pandas: {@code count} counts the values that
 * are present, {@code size} counts rows. {@code std} and {@code var} are sample statistics
 * ({@code ddof = 1}); {@code first} and {@code last} are the first and last present value in
 * partition order. Each is computed as partial results per partition, combined in a tree:
 * their combine steps are associative, so the tree's shape does not change the answer (up to
 * floating-point rounding).
 */
public final class Agg implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The aggregation functions. */
  public enum Kind {
    /** Sum of the values, a DOUBLE (0 for no values). */
    SUM,
    /** Mean of the values, a DOUBLE (NaN for no values). */
    MEAN,
    /** Number of present values, a LONG. */
    COUNT,
    /** Number of rows, a LONG. */
    SIZE,
    /** Smallest value: a DOUBLE for numbers, else the column's type. */
    MIN,
    /** Largest value: a DOUBLE for numbers, else the column's type. */
    MAX,
    /** Sample standard deviation, a DOUBLE. */
    STD,
    /** Sample variance, a DOUBLE. */
    VAR,
    /** First present value, the column's type. */
    FIRST,
    /** Last present value, the column's type. */
    LAST,
    /** Number of distinct present values, a LONG. */
    NUNIQUE
  }

  private final Kind kind;
  private final String column;
  private final String name;

  private Agg(Kind kind, String column, String name) {
    this.kind = kind;
    this.column = column;
    this.name = Objects.requireNonNull(name);
  }

  private static Agg of(Kind k, String column) {
    return new Agg(k, column, column + "_" + k.name().toLowerCase());
  }

  /**
   * Returns the sum of a numeric column.
   *
   * @param column the column
   * @return the aggregation, named {@code column_sum}
   */
  public static Agg sum(String column) {
    Objects.requireNonNull(column, "column");
    return of(Kind.SUM, column);
  }

  /**
   * Returns the mean of a numeric column.
   *
   * @param column the column
   * @return the aggregation, named {@code column_mean}
   */
  public static Agg mean(String column) {
    Objects.requireNonNull(column, "column");
    return of(Kind.MEAN, column);
  }

  /**
   * Returns the number of present values of a column.
   *
   * @param column the column
   * @return the aggregation, named {@code column_count}
   */
  public static Agg count(String column) {
    Objects.requireNonNull(column, "column");
    return of(Kind.COUNT, column);
  }

  /** {@return the number of rows, named {@code size}} */
  public static Agg size() {
    return new Agg(Kind.SIZE, null, "size");
  }

  /**
   * Returns the smallest value of a column.
   *
   * @param column the column
   * @return the aggregation, named {@code column_min}
   */
  public static Agg min(String column) {
    Objects.requireNonNull(column, "column");
    return of(Kind.MIN, column);
  }

  /**
   * Returns the largest value of a column.
   *
   * @param column the column
   * @return the aggregation, named {@code column_max}
   */
  public static Agg max(String column) {
    Objects.requireNonNull(column, "column");
    return of(Kind.MAX, column);
  }

  /**
   * Returns the sample standard deviation of a numeric column.
   *
   * @param column the column
   * @return the aggregation, named {@code column_std}
   */
  public static Agg std(String column) {
    Objects.requireNonNull(column, "column");
    return of(Kind.STD, column);
  }

  /**
   * Returns the sample variance of a numeric column.
   *
   * @param column the column
   * @return the aggregation, named {@code column_var}
   */
  public static Agg var(String column) {
    Objects.requireNonNull(column, "column");
    return of(Kind.VAR, column);
  }

  /**
   * Returns the first present value of a column.
   *
   * @param column the column
   * @return the aggregation, named {@code column_first}
   */
  public static Agg first(String column) {
    Objects.requireNonNull(column, "column");
    return of(Kind.FIRST, column);
  }

  /**
   * Returns the last present value of a column.
   *
   * @param column the column
   * @return the aggregation, named {@code column_last}
   */
  public static Agg last(String column) {
    Objects.requireNonNull(column, "column");
    return of(Kind.LAST, column);
  }

  /**
   * Returns the number of distinct present values of a column.
   *
   * @param column the column
   * @return the aggregation, named {@code column_nunique}
   */
  public static Agg nunique(String column) {
    Objects.requireNonNull(column, "column");
    return of(Kind.NUNIQUE, column);
  }

  /**
   * Returns this aggregation under another result name.
   *
   * @param resultName the name of the result column
   * @return the aggregation
   */
  public Agg as(String resultName) {
    Objects.requireNonNull(resultName, "resultName");
    return new Agg(kind, column, resultName);
  }

  /** {@return the function} */
  public Kind kind() {
    return kind;
  }

  /** {@return the column aggregated ({@code null} for {@link #size()})} */
  public String column() {
    return column;
  }

  /** {@return the result column's name} */
  public String name() {
    return name;
  }

  /**
   * Returns the result type for a frame's meta.
   *
   * @param s the meta
   * @return the type of the result column
   * @throws GraphException if the column does not exist or has the wrong type
   */
  ColumnType resultType(Schema s) {
    if (kind == Kind.SIZE) {
      return ColumnType.LONG;
    }
    if (!s.has(column)) {
      throw new GraphException("agg " + this + ": no column '" + column + "'; the columns are "
          + s.names());
    }
    ColumnType t = s.type(column);
    switch (kind) {
      case SUM: case MEAN: case STD: case VAR:
        if (!Exprs.isNumeric(t)) {
          throw new GraphException("agg " + this + ": " + kind.name().toLowerCase()
              + " needs a numeric column but '" + column + "' is " + t.name());
        }
        return ColumnType.DOUBLE;
      case COUNT: case NUNIQUE:
        return ColumnType.LONG;
      case MIN: case MAX:
        return Exprs.isNumeric(t) ? ColumnType.DOUBLE : t;
      default:
        return t;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Agg a && a.kind == kind && Objects.equals(a.column, column)
        && a.name.equals(name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, column, name);
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase() + "(" + (column == null ? "" : column) + ") as " + name;
  }
}
