package dev.tessera.futures;

/** When {@link Client#wait} returns: like Dask's {@code FIRST_COMPLETED} and {@code ALL_COMPLETED}. */
public enum WaitFor {
  /** As soon as one future is done (or at once if one already is). */
  FIRST_COMPLETED,
  /** Once every future is done. */
  ALL_COMPLETED
}
