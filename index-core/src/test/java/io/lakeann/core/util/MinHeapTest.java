package io.lakeann.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Packed keys order like (key, index) and round-trip; the heap empties in that order. */
class MinHeapTest {
  private static final float[] SPECIAL = {Float.NEGATIVE_INFINITY, -Float.MAX_VALUE, -1.5f,
      -Float.MIN_VALUE, -0f, 0f, Float.MIN_VALUE, 1e-30f, 2.5f, Float.MAX_VALUE,
      Float.POSITIVE_INFINITY};

  @Test
  void packedKeysOrderByKeyThenIndexAndRoundTrip() {
    for (float a : SPECIAL) {
      for (float b : SPECIAL) {
        long pa = PackedKeys.pack(a, 7);
        long pb = PackedKeys.pack(b, 3);
        assertEquals(Float.compare(a, b) < 0, pa < pb, a + " vs " + b);
        assertEquals(a, PackedKeys.key(pa));
        assertEquals(7, PackedKeys.index(pa));
      }
      assertTrue(PackedKeys.pack(a, 3) < PackedKeys.pack(a, 4), "ties go by index at " + a);
    }
  }

  @Test
  void heapEmptiesInKeyThenIndexOrder() {
    Random random = new Random(11);
    int n = 1_000;
    float[] keys = new float[n];
    long[] packed = new long[n];
    Integer[] expected = new Integer[n];
    for (int i = 0; i < n; i++) {
      // Few distinct keys, so that ties are common.
      keys[i] = (random.nextInt(50) - 25) * 0.5f;
      packed[i] = PackedKeys.pack(keys[i], i);
      expected[i] = i;
    }
    Arrays.sort(expected, Comparator.<Integer>comparingDouble(i -> keys[i])
        .thenComparingInt(i -> i));

    MinHeap heap = new MinHeap(packed, n);
    for (int i = 0; i < n; i++) {
      assertEquals(expected[i], PackedKeys.index(heap.peek()));
      assertEquals(expected[i], PackedKeys.index(heap.poll()));
    }
    assertTrue(heap.isEmpty());
  }
}
