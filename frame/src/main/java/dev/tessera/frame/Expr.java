package dev.tessera.frame;

import dev.tessera.graph.GraphException;
import java.io.Serializable;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.selection.Selection;

/**
 * A column expression for {@link Frame#assign} and {@link Frame#filter}: columns, literals,
 * arithmetic, comparisons, boolean logic, string and date functions. Immutable and
 * serializable; its type is checked against the frame's meta when the frame is built, so a
 * missing column or a type mismatch fails before anything runs.
 *
 * <pre>{@code
 * Expr cheap = Expr.col("price").times(Expr.col("qty")).lt(100).and(Expr.col("day").year().eq(2025));
 * }</pre>
 *
 * <p>Missing values propagate through arithmetic and functions; a comparison with a missing
 * value is false (so {@code filter} drops the row). Whole-number arithmetic ({@code + - * %})
 * on integer columns stays {@code LONG}; division and anything with a float is {@code DOUBLE}.
 */
public abstract class Expr implements Serializable {
  private static final long serialVersionUID = 1L;

  Expr() {}

  /**
   * Returns the column {@code name}.
   *
   * @param name the column name
   * @return the expression
   */
  public static Expr col(String name) {
    Objects.requireNonNull(name, "name");
    return new Exprs.Col(name);
  }

  /**
   * Returns a literal: a number, string, boolean, {@link LocalDate} or {@link LocalDateTime}.
   *
   * @param value the value
   * @return the expression
   * @throws IllegalArgumentException for another kind of value
   */
  public static Expr lit(Object value) {
    Objects.requireNonNull(value, "value");
    return new Exprs.Lit(value);
  }

  static Expr of(Object o) {
    return o instanceof Expr e ? e : lit(o);
  }

  /**
   * Returns {@code this + other} (numbers), or the concatenation of two strings.
   *
   * @param other an expression or a literal
   * @return the expression
   */
  public Expr plus(Object other) {
    Objects.requireNonNull(other, "other");
    return new Exprs.Arith('+', this, of(other));
  }

  /**
   * Returns {@code this - other}.
   *
   * @param other an expression or a literal
   * @return the expression
   */
  public Expr minus(Object other) {
    Objects.requireNonNull(other, "other");
    return new Exprs.Arith('-', this, of(other));
  }

  /**
   * Returns {@code this * other}.
   *
   * @param other an expression or a literal
   * @return the expression
   */
  public Expr times(Object other) {
    Objects.requireNonNull(other, "other");
    return new Exprs.Arith('*', this, of(other));
  }

  /**
   * Returns {@code this / other}, always a {@code DOUBLE}.
   *
   * @param other an expression or a literal
   * @return the expression
   */
  public Expr div(Object other) {
    Objects.requireNonNull(other, "other");
    return new Exprs.Arith('/', this, of(other));
  }

  /**
   * Returns {@code this % other}.
   *
   * @param other an expression or a literal
   * @return the expression
   */
  public Expr mod(Object other) {
    Objects.requireNonNull(other, "other");
    return new Exprs.Arith('%', this, of(other));
  }

  /**
   * Returns {@code this == other}.
   *
   * @param other an expression or a literal
   * @return the boolean expression
   */
  public Expr eq(Object other) {
    Objects.requireNonNull(other, "other");
    return new Exprs.Cmp("==", this, of(other));
  }

  /**
   * Returns {@code this != other}.
   *
   * @param other an expression or a literal
   * @return the boolean expression
   */
  public Expr ne(Object other) {
    Objects.requireNonNull(other, "other");
    return new Exprs.Cmp("!=", this, of(other));
  }

  /**
   * Returns {@code this < other}.
   *
   * @param other an expression or a literal
   * @return the boolean expression
   */
  public Expr lt(Object other) {
    Objects.requireNonNull(other, "other");
    return new Exprs.Cmp("<", this, of(other));
  }

  /**
   * Returns {@code this <= other}.
   *
   * @param other an expression or a literal
   * @return the boolean expression
   */
  public Expr le(Object other) {
    Objects.requireNonNull(other, "other");
    return new Exprs.Cmp("<=", this, of(other));
  }

  /**
   * Returns {@code this > other}.
   *
   * @param other an expression or a literal
   * @return the boolean expression
   */
  public Expr gt(Object other) {
    Objects.requireNonNull(other, "other");
    return new Exprs.Cmp(">", this, of(other));
  }

  /**
   * Returns {@code this >= other}.
   *
   * @param other an expression or a literal
   * @return the boolean expression
   */
  public Expr ge(Object other) {
    Objects.requireNonNull(other, "other");
    return new Exprs.Cmp(">=", this, of(other));
  }

  /**
   * Returns {@code this && other}, both booleans.
   *
   * @param other a boolean expression
   * @return the boolean expression
   */
  public Expr and(Expr other) {
    Objects.requireNonNull(other, "other");
    return new Exprs.Logic("and", this, other);
  }

  /**
   * Returns {@code this || other}, both booleans.
   *
   * @param other a boolean expression
   * @return the boolean expression
   */
  public Expr or(Expr other) {
    Objects.requireNonNull(other, "other");
    return new Exprs.Logic("or", this, other);
  }

  /** {@return the negation of a boolean expression (missing stays false)} */
  public Expr not() {
    return new Exprs.Logic("not", this, this);
  }

  /** {@return whether the value is missing: a boolean expression} */
  public Expr isMissing() {
    return new Exprs.Fn("isMissing", this, null);
  }

  /** {@return the string in upper case} */
  public Expr upper() {
    return new Exprs.Fn("upper", this, null);
  }

  /** {@return the string in lower case} */
  public Expr lower() {
    return new Exprs.Fn("lower", this, null);
  }

  /** {@return the string without leading and trailing white space} */
  public Expr trim() {
    return new Exprs.Fn("trim", this, null);
  }

  /** {@return the length of the string, a {@code LONG}} */
  public Expr length() {
    return new Exprs.Fn("length", this, null);
  }

  /**
   * Returns whether the string contains {@code s}.
   *
   * @param s the substring
   * @return the boolean expression
   */
  public Expr contains(String s) {
    Objects.requireNonNull(s, "s");
    return new Exprs.Fn("contains", this, s);
  }

  /**
   * Returns whether the string starts with {@code s}.
   *
   * @param s the prefix
   * @return the boolean expression
   */
  public Expr startsWith(String s) {
    Objects.requireNonNull(s, "s");
    return new Exprs.Fn("startsWith", this, s);
  }

  /**
   * Returns whether the string ends with {@code s}.
   *
   * @param s the suffix
   * @return the boolean expression
   */
  public Expr endsWith(String s) {
    Objects.requireNonNull(s, "s");
    return new Exprs.Fn("endsWith", this, s);
  }

  /** {@return the year of a date or date-time, a {@code LONG}} */
  public Expr year() {
    return new Exprs.Fn("year", this, null);
  }

  /** {@return the month (1 to 12) of a date or date-time, a {@code LONG}} */
  public Expr month() {
    return new Exprs.Fn("month", this, null);
  }

  /** {@return the day of the month of a date or date-time, a {@code LONG}} */
  public Expr day() {
    return new Exprs.Fn("day", this, null);
  }

  /** {@return the day of the week (1 = Monday to 7 = Sunday), a {@code LONG}} */
  public Expr dayOfWeek() {
    return new Exprs.Fn("dayOfWeek", this, null);
  }

  /**
   * Returns the date plus a number of days.
   *
   * @param days the days to add, may be negative
   * @return the date expression
   */
  public Expr plusDays(long days) {
    return new Exprs.Fn("plusDays", this, days);
  }

  /**
   * Returns this expression's type for a frame of the given meta.
   *
   * @param schema the frame's columns
   * @return the type of the result
   * @throws GraphException if a column is missing or the types do not fit
   */
  public abstract ColumnType type(Schema schema);

  /** {@return the columns the expression reads} */
  public final Set<String> columns() {
    Set<String> out = new LinkedHashSet<>();
    collect(out);
    return out;
  }

  abstract void collect(Set<String> out);

  /**
   * Evaluates the expression on a partition.
   *
   * @param t the partition
   * @return a column of {@code t.rowCount()} values, named after the expression
   */
  abstract Column<?> eval(Table t);

  /** Returns the rows where a boolean expression is true. */
  Selection select(Table t) {
    BooleanColumn b = (BooleanColumn) eval(t);
    return b.isTrue();
  }
}
