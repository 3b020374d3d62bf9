package dev.tessera.array;

/**
 * The result of {@link Array#unique()}: the sorted distinct values and how often each occurs,
 * two lazy 1-d arrays of one block each whose length is unknown (-1) until computed, as in
 * Dask. Computing both at once ({@code Array.compute(u.values(), u.counts())}) runs the shared
 * tree once.
 *
 * @param values the sorted distinct values, in the array's type
 * @param counts the occurrences of each value, int64
 */
public record Unique(Array values, Array counts) {}
