package dev.tessera.examples.tutorials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The examples' {@code name=value} arguments. */
class CliTest {
  @Test
  void readsValuesAndDefaults() {
    Cli a = Cli.of("n=100_000", "out=/tmp/x");
    assertEquals(100_000, a.integer("n", 5));
    assertEquals(7, a.integer("draws", 7));
    assertEquals(Path.of("/tmp/x"), a.out());
    assertEquals(Path.of("target/examples"), Cli.of().out());
  }

  @Test
  void refusesOtherForms() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Cli.of("1000"));
    assertTrue(e.getMessage().contains("name=value"), e.getMessage());
  }
}
