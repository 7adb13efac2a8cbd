package io.lakeann.core.util;

import java.util.Arrays;

/** Open-addressing set of longs without boxing, for duplicate checks over millions of ids. */
public final class LongHashSet {
  private static final long EMPTY = Long.MIN_VALUE;

  private long[] slots;
  private boolean containsEmptyMarker;
  private int size;

  public LongHashSet(int expected) {
    int capacity = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
    slots = new long[capacity];
    Arrays.fill(slots, EMPTY);
  }

  /** Adds {@code value}; returns false if it was already present. */
  public boolean add(long value) {
    if (value == EMPTY) {
      boolean added = !containsEmptyMarker;
      containsEmptyMarker = true;
      return added;
    }
    if (size * 2 >= slots.length) {
      rehash();
    }
    int mask = slots.length - 1;
    for (int i = hash(value) & mask; ; i = (i + 1) & mask) {
      if (slots[i] == EMPTY) {
        slots[i] = value;
        size++;
        return true;
      }
      if (slots[i] == value) {
        return false;
      }
    }
  }

  private void rehash() {
    long[] old = slots;
    slots = new long[old.length * 2];
    Arrays.fill(slots, EMPTY);
    size = 0;
    for (long v : old) {
      if (v != EMPTY) {
        add(v);
      }
    }
  }

  private static int hash(long v) {
    long h = v * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }
}
