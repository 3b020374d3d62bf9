package dev.tessera.diagnostics;

import guru.nidi.graphviz.engine.Graphviz;
import guru.nidi.graphviz.engine.GraphvizCmdLineEngine;
import guru.nidi.graphviz.engine.GraphvizEngine;
import guru.nidi.graphviz.engine.GraphvizV8Engine;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Chooses graphviz-java's layout engine, once per JVM: the system {@code dot} when it is on
 * the PATH, else the V8 engine (Graphviz compiled to JavaScript, run by J2V8).
 *
 * <p>Why not graphviz-java's defaults: its default V8 engine unpacks a 19 MB native library
 * into the user's home directory, and its other fallbacks (GraalJS, Nashorn) are ~100 times
 * slower or refused on Java 15+. Here the V8 engine unpacks into {@code java.io.tmpdir}.
 * Graphviz's engine is a JVM-wide setting of graphviz-java; this class sets it before the
 * first rendering and again whenever the choice changes.
 */
final class Engines {
  private Engines() {}

  /** Which engine to use. */
  enum Choice {
    /** {@code dot} when on the PATH, else V8. */
    AUTO,
    /** The V8 engine even when {@code dot} is present. */
    V8
  }

  // guarded by Engines.class
  private static Choice configured;
  private static Duration configuredTimeout;
  private static String current;

  /** Makes sure graphviz-java uses the engines of {@code choice}; returns the engine's name. */
  static String use(Choice choice) {
    return use(choice, GraphOptions.DEFAULT_TIMEOUT);
  }

  /**
   * Makes sure graphviz-java uses the engines of {@code choice}, {@code dot} with
   * {@code timeout}; returns the engine's name.
   */
  static synchronized String use(Choice choice, Duration timeout) {
    if (choice == configured && timeout.equals(configuredTimeout)) {
      return current;
    }
    List<GraphvizEngine> engines = new ArrayList<>();
    String name;
    if (choice == Choice.AUTO && dotOnPath()) {
      engines.add(new GraphvizCmdLineEngine().timeout((int) timeout.toMillis(),
          TimeUnit.MILLISECONDS));
      name = "dot";
    } else {
      name = "v8";
    }
    Path dir = v8Dir();
    if (name.equals("v8")) {
      V8Library.load(dir); // without the JVM's stack-guard warning
    }
    engines.add(new GraphvizV8Engine(dir.toString()));
    Graphviz.releaseEngine();
    Graphviz.useEngine(engines);
    configured = choice;
    configuredTimeout = timeout;
    current = name;
    return name;
  }

  /** Returns the engine chosen by {@code tessera.graphviz.engine} (auto or v8). */
  static String useDefault() {
    return useDefault(GraphOptions.DEFAULT_TIMEOUT);
  }

  /** As {@link #useDefault()}, {@code dot} with {@code timeout}. */
  static String useDefault(Duration timeout) {
    String p = System.getProperty("tessera.graphviz.engine", "auto");
    return use("v8".equalsIgnoreCase(p) ? Choice.V8 : Choice.AUTO, timeout);
  }

  static boolean dotOnPath() {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "dot"))) {
        return true;
      }
    }
    return false;
  }

  /** A per-user directory under {@code java.io.tmpdir} for the V8 engine's native library. */
  private static Path v8Dir() {
    Path dir = Path.of(System.getProperty("java.io.tmpdir"),
        "tessera-graphviz-" + System.getProperty("user.name", "user"));
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir + " for graphviz's V8 engine;"
          + " set java.io.tmpdir to a writable directory", e);
    }
    return dir;
  }
}
