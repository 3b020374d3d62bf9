package dev.tessera.array;

/** Estimates for {@link Array#optimize}. */
final class Optimize {
  private Optimize() {}

  /** Bytes a generator's block takes; 0 when not known. */
  static long bytes(Generator g) {
    if (g instanceof Creation.RandomBlock r) {
      return Layout.size(r.shape()) * r.dtype().itemSize();
    }
    if (g instanceof Creation.Full f) {
      return Layout.size(f.shape()) * f.dtype().itemSize();
    }
    if (g instanceof Creation.Supplied s) {
      return Layout.size(s.info().shape()) * s.dtype().itemSize();
    }
    if (g instanceof Creation.Eye e) {
      return Layout.size(e.shape()) * e.dtype().itemSize();
    }
    return 0;
  }
}
