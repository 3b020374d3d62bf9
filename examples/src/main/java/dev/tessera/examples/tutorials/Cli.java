package dev.tessera.examples.tutorials;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The tutorial examples' command line: {@code name=value} words, for example
 * {@code ./examples/run Mandelbrot width=300 out=/tmp/pictures}; a word without {@code =} is
 * refused, so a typo never runs the default quietly.
 */
final class Cli {
  private final Map<String, String> values = new HashMap<>();

  private Cli(String[] args) {
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("argument '" + a + "': expected name=value, for"
            + " example n=1000000 or out=target/examples");
      }
      values.put(a.substring(0, eq), a.substring(eq + 1));
    }
  }

  /** Parses {@code args}. */
  static Cli of(String... args) {
    return new Cli(args);
  }

  /** The integer named {@code name} (underscores allowed: {@code n=1_000_000}), or the default. */
  int integer(String name, int otherwise) {
    String v = values.get(name);
    return v == null ? otherwise : Integer.parseInt(v.replace("_", ""));
  }

  /** The number named {@code name}, or the default. */
  double number(String name, double otherwise) {
    String v = values.get(name);
    return v == null ? otherwise : Double.parseDouble(v.replace("_", ""));
  }

  /** The folder for pictures ({@code out=DIR}), by default {@code target/examples}. */
  Path out() {
    return Path.of(values.getOrDefault("out", "target/examples"));
  }
}
