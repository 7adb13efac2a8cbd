package io.lakeann.core.search;

import java.util.Arrays;

/**
 * The answer to one query: ids and distances sorted by distance, ties by id. Immutable.
 * Distances follow {@link io.lakeann.core.Metric}: smaller is closer. An index search also says
 * how much work it did ({@link #rowsScanned()}), which equality ignores.
 */
public final class Neighbors {
  private final long[] ids;
  private final float[] distances;
  private final long rowsScanned;

  public Neighbors(long[] ids, float[] distances) {
    this(ids, distances, 0);
  }

  public Neighbors(long[] ids, float[] distances, long rowsScanned) {
    if (ids.length != distances.length) {
      throw new IllegalArgumentException("ids and distances differ in length");
    }
    this.ids = ids;
    this.distances = distances;
    this.rowsScanned = rowsScanned;
  }

  /** Rows whose codes the search scanned (its work); 0 where nothing counted them. */
  public long rowsScanned() {
    return rowsScanned;
  }

  public int size() {
    return ids.length;
  }

  public long id(int rank) {
    return ids[rank];
  }

  public float distance(int rank) {
    return distances[rank];
  }

  /** A copy of the ids, nearest first. */
  public long[] ids() {
    return ids.clone();
  }

  /** A copy of the distances, nearest first. */
  public float[] distances() {
    return distances.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Neighbors && Arrays.equals(ids, ((Neighbors) o).ids)
        && Arrays.equals(distances, ((Neighbors) o).distances);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(ids) + Arrays.hashCode(distances);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Neighbors[");
    for (int i = 0; i < ids.length; i++) {
      s.append(i == 0 ? "" : ", ").append(ids[i]).append(':').append(distances[i]);
    }
    return s.append(']').toString();
  }
}
