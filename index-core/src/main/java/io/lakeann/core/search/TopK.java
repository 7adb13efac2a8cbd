package io.lakeann.core.search;

/**
 * The k best (smallest distance, then smallest id) candidates seen so far, as a binary max-heap on
 * flat arrays: the worst kept candidate is at the root, so a new candidate is compared against
 * {@link #worst()} in O(1). Not thread-safe; one per query.
 */
public final class TopK {
  private final int k;
  private final float[] dist;
  private final long[] ids;
  private int size;

  public TopK(int k) {
    this.k = k;
    this.dist = new float[k];
    this.ids = new long[k];
  }

  /** The k this heap keeps. */
  public int capacity() {
    return k;
  }

  /** Forgets every candidate. */
  public void clear() {
    size = 0;
  }

  public boolean isFull() {
    return size == k;
  }

  /** Distance a candidate must beat to enter; +infinity until k candidates were kept. */
  public float worst() {
    return size == k ? dist[0] : Float.POSITIVE_INFINITY;
  }

  /** Offers a candidate; keeps it if it ranks among the k best. */
  public void offer(long id, float d) {
    if (size < k) {
      int i = size++;
      dist[i] = d;
      ids[i] = id;
      siftUp(i);
    } else if (worse(dist[0], ids[0], d, id)) {
      dist[0] = d;
      ids[0] = id;
      siftDown(0);
    }
  }

  /** True when candidate a ranks after candidate b. */
  private static boolean worse(float da, long ia, float db, long ib) {
    return da > db || (da == db && ia > ib);
  }

  private void siftUp(int i) {
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!worse(dist[i], ids[i], dist[parent], ids[parent])) {
        return;
      }
      swap(i, parent);
      i = parent;
    }
  }

  private void siftDown(int i) {
    while (true) {
      int l = 2 * i + 1;
      if (l >= size) {
        return;
      }
      int r = l + 1;
      int big = r < size && worse(dist[r], ids[r], dist[l], ids[l]) ? r : l;
      if (!worse(dist[big], ids[big], dist[i], ids[i])) {
        return;
      }
      swap(i, big);
      i = big;
    }
  }

  private void swap(int a, int b) {
    float d = dist[a];
    dist[a] = dist[b];
    dist[b] = d;
    long t = ids[a];
    ids[a] = ids[b];
    ids[b] = t;
  }

  /** The kept candidates, nearest first; the heap is emptied. */
  public Neighbors drain() {
    int n = size;
    long[] outIds = new long[n];
    float[] outDist = new float[n];
    for (int i = n - 1; i >= 0; i--) {
      outIds[i] = ids[0];
      outDist[i] = dist[0];
      size--;
      if (size > 0) {
        dist[0] = dist[size];
        ids[0] = ids[size];
        siftDown(0);
      }
    }
    return new Neighbors(outIds, outDist);
  }
}
