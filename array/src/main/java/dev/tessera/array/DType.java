package dev.tessera.array;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * The element types of an {@link Array}, each mapped to its ND4J {@link DataType} and NumPy
 * type code.
 */
public enum DType {
  /** 64-bit float, NumPy {@code <f8}. */
  FLOAT64(DataType.DOUBLE, 8, "<f8"),
  /** 32-bit float, NumPy {@code <f4}. */
  FLOAT32(DataType.FLOAT, 4, "<f4"),
  /** 32-bit signed integer, NumPy {@code <i4}. */
  INT32(DataType.INT32, 4, "<i4"),
  /** 64-bit signed integer, NumPy {@code <i8}. */
  INT64(DataType.INT64, 8, "<i8"),
  /** Boolean, one byte per element, NumPy {@code |b1}. */
  BOOL(DataType.BOOL, 1, "|b1");

  private final DataType nd4j;
  private final int itemSize;
  private final String npy;

  DType(DataType nd4j, int itemSize, String npy) {
    this.nd4j = nd4j;
    this.itemSize = itemSize;
    this.npy = npy;
  }

  /** {@return the ND4J data type} */
  public DataType nd4j() {
    return nd4j;
  }

  /** {@return the size of one element in bytes} */
  public int itemSize() {
    return itemSize;
  }

  /** {@return the NumPy type descriptor, such as {@code <f8}} */
  public String npyDescr() {
    return npy;
  }

  /** {@return whether this is a floating-point type} */
  public boolean isFloat() {
    return this == FLOAT64 || this == FLOAT32;
  }

  /** {@return whether this is an integer type} */
  public boolean isInteger() {
    return this == INT32 || this == INT64;
  }

  /**
   * Returns the type of an ND4J data type.
   *
   * @param t the ND4J type
   * @return the matching type
   * @throws IllegalArgumentException if the type is not one of the five supported
   */
  public static DType of(DataType t) {
    for (DType d : values()) {
      if (d.nd4j == t) {
        return d;
      }
    }
    throw new IllegalArgumentException("unsupported ND4J data type " + t
        + "; supported: DOUBLE, FLOAT, INT, LONG, BOOL (cast with castTo first)");
  }

  /**
   * Returns the type of a NumPy descriptor such as {@code <f8}.
   *
   * @param descr the descriptor
   * @return the type
   * @throws IllegalArgumentException if it is not supported
   */
  public static DType ofNpy(String descr) {
    for (DType d : values()) {
      if (d.npy.equals(descr) || (d == BOOL && descr.equals("?"))) {
        return d;
      }
    }
    throw new IllegalArgumentException("unsupported NumPy dtype '" + descr
        + "'; supported: <f8, <f4, <i4, <i8, |b1");
  }

  /**
   * Returns the type NumPy gives the result of a binary operation on these two types: bool &lt;
   * int32 &lt; int64 &lt; float32 &lt; float64, except that float32 with an integer gives
   * float64.
   *
   * @param a one type
   * @param b the other
   * @return the common type
   */
  public static DType promote(DType a, DType b) {
    if (a == b) {
      return a;
    }
    if (a.isFloat() || b.isFloat()) {
      DType other = a.isFloat() ? b : a;
      if ((a == FLOAT32 || b == FLOAT32) && (other == FLOAT32 || other == BOOL)) {
        return FLOAT32;
      }
      return FLOAT64;
    }
    if (a == INT64 || b == INT64) {
      return INT64;
    }
    return INT32;
  }

  /** Returns the float type results of this type's math functions have: float32 or float64. */
  DType floatResult() {
    return this == FLOAT32 ? FLOAT32 : FLOAT64;
  }
}
