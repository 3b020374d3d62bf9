package dev.tessera.idioms.views;

/**
 * A load-balanced task cannot run because of its dependencies, as ipyparallel's
 * {@code ImpossibleDependency}: one of them failed (its error is the cause), or the tasks it
 * follows ran on different engines or on one outside the view.
 */
public final class ImpossibleDependency extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ImpossibleDependency(String message, Throwable cause) {
    super(message, cause);
  }
}
