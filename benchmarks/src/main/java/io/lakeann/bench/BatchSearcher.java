package io.lakeann.bench;

/**
 * One engine at one setting searching many queries in one call, on the calling thread: the ids of
 * the k nearest rows of each query, in query order.
 */
@FunctionalInterface
interface BatchSearcher {
  long[][] nearestAll(float[][] queries, int k);

  /** A batch as a loop of single searches: how an engine without a batch search runs one. */
  static BatchSearcher looping(Searcher single) {
    return (queries, k) -> {
      long[][] out = new long[queries.length][];
      for (int q = 0; q < queries.length; q++) {
        out[q] = single.nearest(queries[q], k);
      }
      return out;
    };
  }
}
