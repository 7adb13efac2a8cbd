package io.lakeann.core.util;

/**
 * A binary min-heap over packed keys ({@link PackedKeys}), built in linear time from all of its
 * values at once and then emptied smallest first: for walking a few of many candidates in order
 * without sorting them all. Not thread-safe.
 */
public final class MinHeap {
  private final long[] heap;
  private int size;

  /** A heap of the first {@code count} values of {@code values}, which it takes and reorders. */
  public MinHeap(long[] values, int count) {
    this.heap = values;
    this.size = count;
    for (int i = (count >>> 1) - 1; i >= 0; i--) {
      siftDown(i);
    }
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** The smallest value; the heap must not be empty. */
  public long peek() {
    return heap[0];
  }

  /** Removes and returns the smallest value; the heap must not be empty. */
  public long poll() {
    long top = heap[0];
    heap[0] = heap[--size];
    siftDown(0);
    return top;
  }

  private void siftDown(int i) {
    long value = heap[i];
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      if (child + 1 < size && heap[child + 1] < heap[child]) {
        child++;
      }
      if (value <= heap[child]) {
        break;
      }
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = value;
  }
}
