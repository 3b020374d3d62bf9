package dev.tessera.examples.tutorials;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The optional {@code name=value} arguments of a tutorial example, such as {@code n=2000} or
 * {@code out=DIR} (where pictures and reports go; {@code target/examples} under the current
 * directory by default). A malformed argument stops the example with a message that shows the
 * form, rather than being ignored.
 */
final class ExampleArgs {
  private final Map<String, String> values = new LinkedHashMap<>();

  private ExampleArgs() {}

  /** Reads {@code name=value} pairs; anything else is refused with the expected form. */
  static ExampleArgs parse(String... args) {
    ExampleArgs a = new ExampleArgs();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("argument '" + arg + "' is not of the form"
            + " name=value, e.g. n=1000 or out=target/examples");
      }
      a.values.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    return a;
  }

  /** The integer value of {@code name} (underscores allowed: {@code 100_000}), or the default. */
  int integer(String name, int otherwise) {
    String v = values.get(name);
    return v == null ? otherwise : Integer.parseInt(v.replace("_", ""));
  }

  /** The directory for pictures and reports: {@code out=DIR}, else {@code target/examples}. */
  Path out() {
    return Path.of(values.getOrDefault("out", "target/examples"));
  }
}
