package io.lakeann.core.search;

import java.util.BitSet;

/**
 * The rows a search may return, as an immutable bitset over row numbers (the order in which rows
 * were given to the build). Used for filtered search and to mask deleted rows. Rows at or beyond
 * {@link #capacity()} are not allowed.
 */
public final class RowFilter {
  private final long[] words;
  private final int capacity;
  private final int allowed;

  private RowFilter(long[] words, int capacity) {
    this.words = words;
    this.capacity = capacity;
    int count = 0;
    for (long w : words) {
      count += Long.bitCount(w);
    }
    this.allowed = count;
  }

  /** The rows set in {@code bits}; the bitset is copied. */
  public static RowFilter of(BitSet bits) {
    return new RowFilter(bits.toLongArray(), bits.length());
  }

  /** Every row in {@code [0, rows)}. */
  public static RowFilter all(int rows) {
    BitSet bits = new BitSet(rows);
    bits.set(0, rows);
    return of(bits);
  }

  public boolean allows(int row) {
    int w = row >>> 6;
    return w < words.length && (words[w] & (1L << row)) != 0;
  }

  /** Number of allowed rows. */
  public int allowedCount() {
    return allowed;
  }

  /** The bytes this filter occupies (its words). */
  public long bytes() {
    return 8L * words.length;
  }

  /** One past the highest allowed row. */
  public int capacity() {
    return capacity;
  }

  /** The complement of this filter within {@code [0, rows)}: e.g. a deletion mask turned around. */
  public RowFilter complement(int rows) {
    BitSet bits = BitSet.valueOf(words);
    bits.flip(0, rows);
    bits.clear(rows, Math.max(rows, capacity));
    return of(bits);
  }
}
