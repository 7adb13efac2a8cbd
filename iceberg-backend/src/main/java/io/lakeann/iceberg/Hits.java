package io.lakeann.iceberg;

import io.lakeann.core.search.Neighbors;
import java.util.ArrayList;
import java.util.List;

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

  /** The {@code k} best of {@code hits} in {@link Hit#ORDER}; sorts {@code hits} in place. */
  public static List<Hit> top(List<Hit> hits, int k) {
    hits.sort(Hit.ORDER);
    return new ArrayList<>(hits.subList(0, Math.min(k, hits.size())));
  }
}
