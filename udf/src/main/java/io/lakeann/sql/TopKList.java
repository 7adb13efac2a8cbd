package io.lakeann.sql;

import java.nio.ByteBuffer;

/**
 * The k nearest (id, distance) pairs seen so far, for {@code lakeann_top_k}: sorted by distance,
 * ties by id, each id at most once (its smallest distance). Insertion into a sorted array of at
 * most k entries, as k is small. Mutable; one per aggregation buffer.
 */
public final class TopKList {
  private final int k;
  private final long[] ids;
  private final float[] distances;
  private int size;

  public TopKList(int k) {
    this.k = k;
    this.ids = new long[k];
    this.distances = new float[k];
  }

  public int size() {
    return size;
  }

  public long id(int rank) {
    return ids[rank];
  }

  public float distance(int rank) {
    return distances[rank];
  }

  public void add(long id, float distance) {
    for (int i = 0; i < size; i++) {
      if (ids[i] == id) {
        if (!before(distance, id, distances[i], ids[i])) {
          return;
        }
        remove(i);
        break;
      }
    }
    int at = size;
    while (at > 0 && before(distance, id, distances[at - 1], ids[at - 1])) {
      at--;
    }
    if (at >= k) {
      return;
    }
    int moved = Math.min(size, k - 1) - at;
    System.arraycopy(ids, at, ids, at + 1, moved);
    System.arraycopy(distances, at, distances, at + 1, moved);
    ids[at] = id;
    distances[at] = distance;
    size = Math.min(size + 1, k);
  }

  public void merge(TopKList other) {
    for (int i = 0; i < other.size; i++) {
      add(other.ids[i], other.distances[i]);
    }
  }

  private void remove(int i) {
    System.arraycopy(ids, i + 1, ids, i, size - i - 1);
    System.arraycopy(distances, i + 1, distances, i, size - i - 1);
    size--;
  }

  private static boolean before(float d, long id, float otherD, long otherId) {
    int c = Float.compare(d, otherD);
    return c < 0 || c == 0 && id < otherId;
  }

  /** k, size, then the pairs. */
  public byte[] serialize() {
    ByteBuffer b = ByteBuffer.allocate(8 + 12 * size);
    b.putInt(k).putInt(size);
    for (int i = 0; i < size; i++) {
      b.putLong(ids[i]).putFloat(distances[i]);
    }
    return b.array();
  }

  public static TopKList deserialize(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    TopKList out = new TopKList(b.getInt());
    int n = b.getInt();
    for (int i = 0; i < n; i++) {
      out.ids[i] = b.getLong();
      out.distances[i] = b.getFloat();
    }
    out.size = n;
    return out;
  }
}
