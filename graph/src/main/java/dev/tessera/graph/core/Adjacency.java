package dev.tessera.graph.core;

import java.util.Arrays;

/**
 * The edges of an indexed graph in compressed rows: the neighbours of node {@code i} are
 * {@code flat[start[i]] .. flat[start[i + 1] - 1]}, in order. Two arrays for a whole graph
 * instead of one small array per task, so a graph of 10^5 tasks is indexed, derived by each
 * pass and collected as a handful of objects: with one array per task, planning
 * {@code (x + x.T).sum()} over 200 x 200 blocks spent more in the collector than in its own work
 * (W1c). Immutable once built.
 */
final class Adjacency {
  final int[] start;
  final int[] flat;

  private Adjacency(int[] start, int[] flat) {
    this.start = start;
    this.flat = flat;
  }

  /** {@return the number of nodes (rows)} */
  int size() {
    return start.length - 1;
  }

  /** {@return the number of neighbours of node {@code i}} */
  int count(int i) {
    return start[i + 1] - start[i];
  }

  /** {@return the {@code j}-th neighbour of node {@code i}} */
  int get(int i, int j) {
    return flat[start[i] + j];
  }

  /** The reverse edges: row {@code x} lists, in increasing order, every {@code i} that has x. */
  Adjacency invert() {
    int n = size();
    int[] st = new int[n + 1];
    for (int e = 0; e < start[n]; e++) {
      st[flat[e] + 1]++;
    }
    for (int i = 0; i < n; i++) {
      st[i + 1] += st[i];
    }
    int[] fill = Arrays.copyOf(st, n);
    int[] out = new int[start[n]];
    for (int i = 0; i < n; i++) {
      for (int e = start[i]; e < start[i + 1]; e++) {
        out[fill[flat[e]]++] = i;
      }
    }
    return new Adjacency(st, out);
  }

  /** Builds rows in order: {@link #add} a row's neighbours, then {@link #endRow}. */
  static final class Builder {
    private int[] start;
    private int[] flat;
    private int rows;
    private int edges;

    Builder(int rowsHint, int edgesHint) {
      start = new int[Math.max(1, rowsHint) + 1];
      flat = new int[Math.max(4, edgesHint)];
    }

    void add(int x) {
      if (edges == flat.length) {
        flat = Arrays.copyOf(flat, Math.max(8, flat.length + (flat.length >> 1)));
      }
      flat[edges++] = x;
    }

    void endRow() {
      if (rows + 2 > start.length) {
        start = Arrays.copyOf(start, start.length + (start.length >> 1) + 2);
      }
      start[++rows] = edges;
    }

    Adjacency build() {
      int[] st = start.length == rows + 1 ? start : Arrays.copyOf(start, rows + 1);
      int[] fl = flat.length == edges ? flat : Arrays.copyOf(flat, edges);
      return new Adjacency(st, fl);
    }
  }
}
