package dev.tessera.diagnostics;

import dev.tessera.graph.Lazy;
import guru.nidi.graphviz.engine.Format;
import guru.nidi.graphviz.engine.Graphviz;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The entry point of the diagnostics module: draws task graphs and profile reports. The
 * recorders are {@link ProgressBar}, {@link Profiler}, {@link ResourceProfiler} and
 * {@link CacheProfiler}.
 *
 * <pre>{@code
 * Diagnostics.render(x, Path.of("graph.svg"));                       // or .png, .dot
 * try (Profiler prof = Profiler.start();
 *      ResourceProfiler res = ResourceProfiler.start(Duration.ofMillis(50));
 *      CacheProfiler cache = CacheProfiler.start()) {
 *   x.compute();
 * }
 * Diagnostics.visualize(Path.of("profile.html"), prof, res, cache);  // or .png
 * }</pre>
 */
public final class Diagnostics {
  private Diagnostics() {}

  /**
   * Draws {@code collection}'s task graph into {@code file} with the default options; the
   * format follows the extension: {@code .svg}, {@code .png} or {@code .dot}.
   *
   * @param collection any lazy collection
   * @param file where to write; missing parent directories are created
   * @return {@code file}
   * @throws IllegalArgumentException if the extension is not one of those
   * @throws UncheckedIOException if the file cannot be written
   */
  public static Path render(Lazy<?> collection, Path file) {
    return render(collection, file, GraphOptions.defaults());
  }

  /**
   * Draws {@code collection}'s task graph into {@code file}; the format follows the
   * extension: {@code .svg}, {@code .png} or {@code .dot}. Layout uses the system {@code dot}
   * when it is on the PATH and Graphviz compiled to JavaScript (V8) otherwise. Pictures of more
   * than {@link GraphOptions#renderLimit} tasks draw the layer view instead of one node per task
   * (the picture and standard error say so), and are at most {@link GraphOptions#MAX_SIZE}
   * points per side.
   *
   * @param collection any lazy collection
   * @param file where to write; missing parent directories are created
   * @param options how to draw
   * @return {@code file}
   * @throws IllegalArgumentException if the extension is not {@code .svg}, {@code .png} or
   *     {@code .dot}
   * @throws UncheckedIOException if the file cannot be written
   * @throws IllegalStateException if the layout engine fails (the message says what was
   *     drawn, by which engine, and what to try instead)
   * @throws dev.tessera.graph.GraphException if {@code options} ask for the execution order
   *     or the optimized graph of an invalid graph
   */
  public static Path render(Lazy<?> collection, Path file, GraphOptions options) {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(options, "options");
    String ext = extension(file, List.of("svg", "png", "dot"), "a graph");
    Files2.checkWritable(file);
    GraphRenderer.Drawing d = GraphRenderer.draw(collection, options, !ext.equals("dot"));
    if (ext.equals("dot")) {
      Files2.write(file, d.graph().toString().getBytes(StandardCharsets.UTF_8));
      return file;
    }
    if (d.note() != null) {
      System.err.println("[tessera] " + file + ": " + d.note());
    }
    String engine = Engines.useDefault(options.getTimeout());
    Graphviz gv = Graphviz.fromGraph(d.graph());
    int nodes = d.graph().nodes().size();
    if (nodes > 1000) {
      gv = gv.totalMemory(512 * 1024 * 1024); // viz.js needs more than its default for big graphs
    }
    try {
      if (ext.equals("svg")) {
        Files2.write(file, gv.render(Format.SVG).toString().getBytes(StandardCharsets.UTF_8));
      } else {
        if (options.getWidth() > 0) {
          gv = gv.width(Math.min(options.getWidth(), GraphOptions.MAX_SIZE));
        }
        Files2.writeImage(file, gv.render(Format.PNG).toImage());
      }
    } catch (RuntimeException e) {
      if (e instanceof UncheckedIOException) {
        throw e;
      }
      throw renderFailed(file, d, nodes, engine, options, e);
    }
    return file;
  }

  /** A failed layout, explained: what was drawn, by which engine, and what to do instead. */
  static IllegalStateException renderFailed(Path file, GraphRenderer.Drawing d, int nodes,
      String engine, GraphOptions options, Throwable e) {
    String why = e.getMessage() == null || e.getMessage().isBlank()
        ? e.getClass().getSimpleName() + " without a message (the engine ran out of memory or"
            + " time)"
        : e.getClass().getSimpleName() + ": " + e.getMessage().strip();
    String fix = d.layers()
        ? "write a .dot file and lay it out elsewhere"
        : "draw the layer view (GraphOptions.view(View.LAYERS)), lower"
            + " GraphOptions.renderLimit (now " + options.getRenderLimit() + "), or write a .dot"
            + " file";
    String engineFix = engine.equals("dot") ? "; raise GraphOptions.timeout (now "
        + options.getTimeout().toSeconds() + " s) if dot ran out of time"
        : "; installing Graphviz's dot (faster than V8) may help";
    return new IllegalStateException("cannot draw " + file + ": laying out " + nodes
        + " nodes (" + (d.layers() ? "the layer view" : "one per task") + " of " + d.tasks()
        + " tasks) with " + engine + " failed: " + why + "; " + fix + engineFix, e);
  }

  /**
   * Returns {@code collection}'s task graph in Graphviz's DOT language, as
   * {@link #render(Lazy, Path, GraphOptions)} would draw it.
   *
   * @param collection any lazy collection
   * @param options how to draw
   * @return the DOT text
   */
  public static String dot(Lazy<?> collection, GraphOptions options) {
    return GraphRenderer.draw(collection, options).graph().toString();
  }

  /**
   * Writes one report of the given profiles into {@code file}: {@code .html} for a
   * self-contained page (its script is inlined, it needs no network) with a task stream (one
   * row per worker, one bar per task coloured by prefix; hovering shows the key and the
   * duration), the CPU and memory lines and the cache size on a shared time axis;
   * {@code .png} for the same as an image.
   *
   * @param file where to write; missing parent directories are created
   * @param profiles what to show, at least one; each must have recorded something
   * @return {@code file}
   * @throws IllegalArgumentException if the extension is not {@code .html} or {@code .png},
   *     or no profile is given
   * @throws IllegalStateException if a profile recorded nothing
   * @throws UncheckedIOException if the file cannot be written
   */
  public static Path visualize(Path file, Profile... profiles) {
    String ext = extension(file, List.of("html", "png"), "a profile report");
    ReportData data = ReportData.of(List.of(profiles));
    Files2.checkWritable(file);
    if (ext.equals("html")) {
      Files2.write(file, HtmlReport.render(data).getBytes(StandardCharsets.UTF_8));
    } else {
      Files2.writeImage(file, PngReport.render(data));
    }
    return file;
  }

  private static String extension(Path file, List<String> known, String what) {
    Objects.requireNonNull(file, "file");
    Path name = file.getFileName();
    String s = name == null ? "" : name.toString();
    int dot = s.lastIndexOf('.');
    String ext = dot < 0 ? "" : s.substring(dot + 1).toLowerCase(Locale.ROOT);
    if (!known.contains(ext)) {
      throw new IllegalArgumentException("cannot write " + what + " to " + file + ": "
          + (ext.isEmpty() ? "the file name has no extension" : "unknown extension ." + ext)
          + "; the format follows the extension, use ." + String.join(", .", known));
    }
    return ext;
  }

  /** File helpers with messages that name the file. */
  static final class Files2 {
    private Files2() {}

    /** Fails early, before any long rendering, when {@code file} cannot be written. */
    static void checkWritable(Path file) {
      Path abs = file.toAbsolutePath();
      if (Files.isDirectory(abs)) {
        throw new UncheckedIOException(new IOException("cannot write " + file
            + ": it is a directory; give a file name"));
      }
      Path parent = abs.getParent();
      try {
        Files.createDirectories(parent);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file + ": cannot create its directory "
            + parent + " (" + e + "); choose a writable location", e);
      }
      if (!Files.isWritable(parent) || (Files.exists(abs) && !Files.isWritable(abs))) {
        throw new UncheckedIOException(new IOException("cannot write " + file
            + ": permission denied; choose a writable location"));
      }
    }

    static void write(Path file, byte[] bytes) {
      try {
        Files.write(file, bytes);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file + ": " + e
            + "; choose a writable location", e);
      }
    }

    static void writeImage(Path file, java.awt.image.BufferedImage image) {
      try {
        if (!javax.imageio.ImageIO.write(image, "png", file.toFile())) {
          throw new IOException("no PNG writer in this JVM");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file + ": " + e
            + "; choose a writable location", e);
      }
    }
  }
}
