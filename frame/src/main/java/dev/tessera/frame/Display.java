package dev.tessera.frame;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.Objects;
import tech.tablesaw.api.NumberColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

/**
 * How computed tables print: floating-point columns show a number of significant digits (6
 * by default, like pandas' display precision), so {@code 785301.1099999998} prints as
 * {@code 785301} and {@code 0.1234567891} as {@code 0.123457}; the values themselves are not
 * rounded. Tables returned by {@link Frame#compute()} and {@link Frame#head(int)} carry this
 * format; {@link #format(Table)} gives it to any other table.
 *
 * <pre>{@code
 * Display.setPrecision(3);                // JVM-wide, also -Dtessera.display.precision=3
 * System.out.println(frame.compute().print());
 * }</pre>
 */
public final class Display {
  private Display() {}

  private static volatile int precision = initial();

  private static int initial() {
    String p = System.getProperty("tessera.display.precision", "6");
    try {
      int n = Integer.parseInt(p.trim());
      if (n >= 1 && n <= 17) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through to the default
    }
    return 6;
  }

  /**
   * Sets the number of significant digits floating-point columns print with, JVM-wide, for
   * tables computed from now on.
   *
   * @param significantDigits 1 to 17 (17 prints every double exactly enough to read it back)
   * @throws IllegalArgumentException if out of range
   */
  public static void setPrecision(int significantDigits) {
    if (significantDigits < 1 || significantDigits > 17) {
      throw new IllegalArgumentException("display precision must be 1 to 17 significant"
          + " digits, got " + significantDigits);
    }
    precision = significantDigits;
  }

  /** {@return the number of significant digits floating-point columns print with} */
  public static int precision() {
    return precision;
  }

  /**
   * Gives the floating-point columns of {@code table} the current display precision; changes
   * only how they print.
   *
   * @param table a table
   * @return {@code table}
   */
  public static Table format(Table table) {
    Objects.requireNonNull(table, "table");
    NumberColumnFormatter f = new NumberColumnFormatter(new Significant(precision), "");
    for (Column<?> c : table.columns()) {
      String type = c.type().name();
      if (c instanceof NumberColumn<?, ?> n && (type.equals("DOUBLE") || type.equals("FLOAT"))) {
        n.setPrintFormatter(f);
      }
    }
    return table;
  }

  /**
   * {@return {@code v} with {@code digits} significant digits}: plain notation from 1e-5 up to
   * 10^digits, scientific ({@code 1.5e-07}, {@code 1.23457e+09}) outside, trailing zeros
   * dropped, {@code .0} kept on whole numbers that were exact ({@code 3.0}).
   *
   * @param v a value
   * @param digits significant digits, at least 1
   */
  static String significant(double v, int digits) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return Double.toString(v);
    }
    if (v == 0) {
      return (1 / v < 0) ? "-0.0" : "0.0";
    }
    BigDecimal r = new BigDecimal(v).round(new MathContext(digits, RoundingMode.HALF_EVEN))
        .stripTrailingZeros();
    int exponent = r.precision() - r.scale() - 1; // of the leading digit
    if (exponent < -5 || exponent >= digits) {
      BigDecimal mantissa = r.movePointLeft(exponent).stripTrailingZeros();
      String m = mantissa.scale() <= 0 ? mantissa.toBigInteger().toString() : mantissa.toPlainString();
      return m + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "")
          + Math.abs(exponent);
    }
    String s = r.toPlainString();
    if (r.scale() <= 0 && v == Math.rint(v)) {
      s += ".0"; // an exact whole number still reads as a floating-point value
    }
    return s;
  }

  /** A {@link NumberFormat} printing a fixed number of significant digits. */
  private static final class Significant extends NumberFormat {
    private static final long serialVersionUID = 1L;
    private final int digits;

    Significant(int digits) {
      this.digits = digits;
    }

    @Override
    public StringBuffer format(double number, StringBuffer toAppendTo, FieldPosition pos) {
      return toAppendTo.append(significant(number, digits));
    }

    @Override
    public StringBuffer format(long number, StringBuffer toAppendTo, FieldPosition pos) {
      return toAppendTo.append(number);
    }

    @Override
    public Number parse(String source, ParsePosition parsePosition) {
      throw new UnsupportedOperationException("display only");
    }
  }
}
