package dev.tessera.graph.core;

import dev.tessera.graph.Lazy;
import java.nio.file.Path;
import java.util.ServiceLoader;

/**
 * Draws a collection's task graph into a file; what {@link Lazy#visualize(Path)} calls. The
 * {@code tessera-diagnostics} module provides it (found with {@link ServiceLoader}), so that
 * the graph module need not depend on Graphviz.
 */
public interface GraphDrawer {
  /**
   * How to draw: the diagnostics module's {@code GraphOptions} implement this, so that
   * {@code x.visualize(path, GraphOptions.defaults().colorByOrder())} reads as in Dask.
   */
  interface Options {}

  /**
   * Draws {@code collection}'s task graph into {@code file}.
   *
   * @param collection the collection
   * @param file where to write; the format follows the extension
   * @param options how to draw, or null for the defaults
   * @return {@code file}
   */
  Path draw(Lazy<?> collection, Path file, Options options);

  /**
   * {@return the drawer on the class path}
   *
   * @throws IllegalStateException if the diagnostics module is not on the class path
   */
  static GraphDrawer find() {
    return Holder.DRAWER;
  }

  /** Loads the drawer once. */
  final class Holder {
    private Holder() {}

    static final GraphDrawer DRAWER = load();

    private static GraphDrawer load() {
      for (GraphDrawer d : ServiceLoader.load(GraphDrawer.class)) {
        return d;
      }
      return (collection, file, options) -> {
        throw new IllegalStateException("cannot draw " + file + ": visualize needs the"
            + " tessera-diagnostics module (dev.tessera:tessera-diagnostics) on the class path");
      };
    }
  }
}
