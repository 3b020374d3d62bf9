package dev.tessera.array;

import java.io.Serializable;

/**
 * What {@link Array#mapOverlap} puts beyond the array's edges, Dask's {@code boundary}:
 * {@link #reflect()} (mirrored, the edge element repeated: {@code c b a | a b c}),
 * {@link #periodic()} (wrapped around from the other end), {@link #nearest()} (the edge
 * element repeated), {@link #constant(double)} (a fixed value) or {@link #none()} (nothing:
 * blocks at the edges get fewer ghost cells on that side).
 */
public final class Boundary implements Serializable {
  private static final long serialVersionUID = 1L;

  enum Kind { REFLECT, PERIODIC, NEAREST, CONSTANT, NONE }

  final Kind kind;
  final double value;

  private Boundary(Kind kind, double value) {
    this.kind = kind;
    this.value = value;
  }

  /** Mirrored at the edge, the edge element included (NumPy's {@code pad} mode symmetric). */
  public static Boundary reflect() {
    return new Boundary(Kind.REFLECT, 0);
  }

  /** Wrapped around: beyond the end comes the start. */
  public static Boundary periodic() {
    return new Boundary(Kind.PERIODIC, 0);
  }

  /** The edge element repeated. */
  public static Boundary nearest() {
    return new Boundary(Kind.NEAREST, 0);
  }

  /**
   * A constant.
   *
   * @param value the value beyond the edges
   * @return the boundary
   */
  public static Boundary constant(double value) {
    return new Boundary(Kind.CONSTANT, value);
  }

  /** No ghost cells beyond the edges: the function sees the edge blocks unextended there. */
  public static Boundary none() {
    return new Boundary(Kind.NONE, 0);
  }

  /**
   * Where coordinate {@code g} (which may lie outside {@code [0, n)}) reads from: a coordinate
   * inside, or -1 for the constant.
   */
  long source(long g, long n) {
    if (g >= 0 && g < n) {
      return g;
    }
    switch (kind) {
      case REFLECT: return g < 0 ? -g - 1 : 2 * n - g - 1;
      case PERIODIC: return Math.floorMod(g, n);
      case NEAREST: return g < 0 ? 0 : n - 1;
      default: return -1;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Boundary b && b.kind == kind
        && Double.doubleToLongBits(b.value) == Double.doubleToLongBits(value);
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + Double.hashCode(value);
  }

  @Override
  public String toString() {
    return kind == Kind.CONSTANT ? "constant(" + value + ")"
        : kind.name().toLowerCase(java.util.Locale.ROOT);
  }
}
