package io.lakeann.core.util;

/**
 * A float key and a non-negative int index packed into one long whose signed order is the order
 * of (key, index): the key's float order, ties by index. Sorting or heaping the longs orders the
 * indexes without a comparator. Static functions only.
 */
public final class PackedKeys {
  private PackedKeys() {}

  /** The packed form of {@code key} (not NaN) and {@code index} (>= 0). */
  public static long pack(float key, int index) {
    int bits = Float.floatToRawIntBits(key);
    int sortable = bits ^ ((bits >> 31) & 0x7fffffff);
    return ((long) sortable << 32) | index;
  }

  /** The key of a packed value. */
  public static float key(long packed) {
    int sortable = (int) (packed >>> 32);
    return Float.intBitsToFloat(sortable ^ ((sortable >> 31) & 0x7fffffff));
  }

  /** The index of a packed value. */
  public static int index(long packed) {
    return (int) packed;
  }
}
