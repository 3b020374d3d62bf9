package dev.tessera.frame;

/** The kinds of {@link Frame#merge(Frame, JoinType, java.util.List)}, as in SQL and pandas. */
public enum JoinType {
  /** Only rows whose key is on both sides. */
  INNER,
  /** Every left row; right columns missing where no right row matches. */
  LEFT,
  /** Every right row; left columns missing where no left row matches. */
  RIGHT,
  /** Every row of both sides. */
  OUTER
}
