package io.lakeann.bench;

/** One engine at one setting, reduced to what is timed: the ids of the k nearest rows of a query. */
@FunctionalInterface
interface Searcher {
  long[] nearest(float[] query, int k);
}
