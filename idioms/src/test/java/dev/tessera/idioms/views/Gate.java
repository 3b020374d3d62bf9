package dev.tessera.idioms.views;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A gate a function on an engine waits at until the test opens it: a file under target/, so
 * that it works on threads and on worker JVMs alike.
 */
final class Gate implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String path;

  Gate() {
    try {
      Path dir = Path.of("target", "gates").toAbsolutePath();
      Files.createDirectories(dir);
      this.path = dir.resolve(UUID.randomUUID().toString()).toString();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  void open() throws IOException {
    Files.writeString(Path.of(path), "open");
  }

  /** Waits (up to a minute) until the gate is open; returns whether it opened. */
  boolean pass() throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!Files.exists(Path.of(path))) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }
}
