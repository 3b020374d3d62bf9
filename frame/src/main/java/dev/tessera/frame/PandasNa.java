package dev.tessera.frame;

import java.util.Set;

/**
 * The strings pandas' {@code read_csv} reads as missing by default ({@code
 * pandas._libs.parsers.STR_NA_VALUES}): pandas 1.5's set plus {@code None}, which pandas 2.0
 * added. They are compared with the whole field, case-sensitively, after unquoting, so
 * {@code NA} is missing but {@code na} and {@code NAN} are not, as in pandas.
 */
final class PandasNa {
  private PandasNa() {}

  static final Set<String> DEFAULT = Set.of("", "#N/A", "#N/A N/A", "#NA", "-1.#IND",
      "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN",
      "None", "n/a", "nan", "null");
}
