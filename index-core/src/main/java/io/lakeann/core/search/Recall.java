package io.lakeann.core.search;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Recall of approximate results against exact ones: |found ∩ true| / |true|, pooled over all
 * queries. A query missing from the found results counts as nothing found. Stateless.
 */
public final class Recall {
  private Recall() {}

  /**
   * @param truth the exact ids of each query
   * @param found the ids found for each query, in the same order (may be shorter)
   * @return the pooled recall, 1 when there is nothing to find
   */
  public static double of(List<? extends Collection<Long>> truth,
      List<? extends Collection<Long>> found) {
    long hits = 0;
    long total = 0;
    for (int q = 0; q < truth.size(); q++) {
      Set<Long> expected = new HashSet<>(truth.get(q));
      total += expected.size();
      if (q < found.size()) {
        for (long id : found.get(q)) {
          hits += expected.contains(id) ? 1 : 0;
        }
      }
    }
    return total == 0 ? 1 : (double) hits / total;
  }
}
