package dev.tessera.diagnostics;

import dev.tessera.graph.spi.SchedulerCallback;
import dev.tessera.graph.Tessera;

/** How a callback of this module is registered: for this thread or for the whole JVM. */
final class Registration {
  private Registration() {}

  /**
   * Registers {@code callback} on this thread ({@code global} false) or globally.
   *
   * @return the scope that unregisters it
   */
  static Tessera.Scope register(SchedulerCallback callback, boolean global) {
    return global ? Tessera.addCallback(callback) : Tessera.useCallback(callback);
  }
}
