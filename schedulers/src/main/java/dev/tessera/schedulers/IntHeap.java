package dev.tessera.schedulers;

import java.util.Arrays;

/** A binary min-heap of task indices ordered by a priority array; not thread-safe. */
final class IntHeap {
  private final int[] priority;
  private int[] heap;
  private int size;

  IntHeap(int[] priority, int capacity) {
    this.priority = priority;
    this.heap = new int[Math.max(4, capacity)];
  }

  int size() {
    return size;
  }

  void clear() {
    size = 0;
  }

  void add(int task) {
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    int i = size++;
    int p = priority[task];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      int up = heap[parent];
      if (priority[up] <= p) {
        break;
      }
      heap[i] = up;
      i = parent;
    }
    heap[i] = task;
  }

  /** Removes and returns the task with the lowest priority, or -1 if empty. */
  int poll() {
    if (size == 0) {
      return -1;
    }
    int top = heap[0];
    int last = heap[--size];
    if (size > 0) {
      int p = priority[last];
      int i = 0;
      int half = size >>> 1;
      while (i < half) {
        int child = 2 * i + 1;
        int right = child + 1;
        if (right < size && priority[heap[right]] < priority[heap[child]]) {
          child = right;
        }
        if (p <= priority[heap[child]]) {
          break;
        }
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}
