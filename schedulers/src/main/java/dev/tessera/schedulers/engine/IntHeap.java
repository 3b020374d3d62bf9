package dev.tessera.schedulers.engine;

import java.util.Arrays;

/**
 * A binary min-heap of task indices ordered by a priority array (lowest first), for engines
 * that pick the next ready task by the plan's static priority; not thread-safe.
 */
public final class IntHeap {
  private final int[] priority;
  private int[] heap;
  private int size;

  /**
   * Creates an empty heap.
   *
   * @param priority each task's priority, read (not copied) when tasks are compared
   * @param capacity the initial capacity; the heap grows as needed
   */
  public IntHeap(int[] priority, int capacity) {
    this.priority = java.util.Objects.requireNonNull(priority, "priority");
    this.heap = new int[Math.max(4, capacity)];
  }

  /** {@return how many tasks are in the heap} */
  public int size() {
    return size;
  }

  /** Empties the heap. */
  public void clear() {
    size = 0;
  }

  /**
   * Adds a task.
   *
   * @param task its index into the priority array
   */
  public void add(int task) {
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

  /** {@return the task with the lowest priority, removed, or -1 if the heap is empty} */
  public int poll() {
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
