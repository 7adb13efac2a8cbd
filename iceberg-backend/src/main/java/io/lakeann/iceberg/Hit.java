package io.lakeann.iceberg;

import java.util.Comparator;

/**
 * One neighbour: the row's id as the table holds it ({@code Long}, {@code Integer} or
 * {@code String}) and its distance under the index's metric. Immutable.
 */
public record Hit(Object id, float distance) implements java.io.Serializable {

  /** Nearest first; equal distances by id, so merged results do not depend on shard order. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static final Comparator<Hit> ORDER = Comparator.comparingDouble(Hit::distance)
      .thenComparing(h -> (Comparable) h.id());
}
