package dev.tessera.diagnostics;

import dev.tessera.graph.Lazy;
import dev.tessera.graph.core.GraphDrawer;
import java.nio.file.Path;

/**
 * {@link Lazy#visualize(Path)} for every collection: {@link Diagnostics#render}. Public only
 * because {@link java.util.ServiceLoader} instantiates it.
 */
public final class Drawer implements GraphDrawer {
  /** Made by {@link java.util.ServiceLoader}. */
  public Drawer() {}

  @Override
  public Path draw(Lazy<?> collection, Path file, Options options) {
    if (options != null && !(options instanceof GraphOptions)) {
      throw new IllegalArgumentException("visualize takes GraphOptions, got "
          + options.getClass().getName());
    }
    return Diagnostics.render(collection, file,
        options == null ? GraphOptions.defaults() : (GraphOptions) options);
  }
}
