package io.lakeann.iceberg;

import io.lakeann.core.search.Neighbors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;

/** Turning index results into table ids, and merging results of several shards. Stateless. */
public final class Hits {
  private Hits() {}

  /** The results of one index search as hits with the table's ids. */
  static List<Hit> of(Neighbors found, ColumnBinding.IdKind kind, String[] stringIds) {
    List<Hit> out = new ArrayList<>(found.size());
    for (int i = 0; i < found.size(); i++) {
      long id = found.id(i);
      Object user = switch (kind) {
        case LONG -> id;
        case INT -> (int) id;
        case STRING -> stringIds[(int) id];
      };
      out.add(new Hit(user, found.distance(i)));
    }
    return out;
  }

  /**
   * The {@code k} best of {@code hits} in {@link Hit#ORDER}, each id once (at its nearest hit);
   * sorts {@code hits} in place.
   */
  public static List<Hit> top(List<Hit> hits, int k) {
    return top(hits, k, repeated -> { });
  }

  /**
   * {@link #top(List, int)}, telling {@code repeats} how many hits it left out because an
   * earlier (nearer) hit had the same id: Iceberg does not enforce unique ids, so two rows of a
   * table may share one, and a neighbour is never returned twice.
   */
  public static List<Hit> top(List<Hit> hits, int k, LongConsumer repeats) {
    hits.sort(Hit.ORDER);
    List<Hit> out = new ArrayList<>(Math.min(k, hits.size()));
    Set<Object> seen = new HashSet<>();
    long repeated = 0;
    for (int i = 0; i < hits.size() && out.size() < k; i++) {
      Hit hit = hits.get(i);
      if (seen.add(hit.id())) {
        out.add(hit);
      } else {
        repeated++;
      }
    }
    if (repeated > 0) {
      repeats.accept(repeated);
    }
    return out;
  }
}
