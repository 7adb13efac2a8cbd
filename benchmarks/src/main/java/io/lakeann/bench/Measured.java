package io.lakeann.bench;

import java.util.Arrays;

/**
 * Speed and recall of one {@link Searcher} over a set of queries, on one thread. Warm-up: passes
 * over all the queries until at least {@value #WARM_UP_SECONDS} s have passed. Then timed passes,
 * again at least one and until {@value #MIN_TIMED_SECONDS} s have passed, so that small query sets
 * still give stable numbers; every query's latency is recorded, and recall comes from the first
 * timed pass (searches are deterministic). Immutable.
 *
 * @param queries number of distinct queries timed
 * @param recall mean recall@k over them (see {@link GroundTruth#recall})
 * @param qps queries per second over the timed passes
 * @param p50Ms median latency in milliseconds
 * @param p99Ms 99th-percentile latency in milliseconds (nearest rank)
 */
record Measured(int queries, double recall, double qps, double p50Ms, double p99Ms) {
  /** Long enough for C2 to finish compiling the search path of the first setting of a sweep. */
  static final double WARM_UP_SECONDS = 2.0;
  static final double MIN_TIMED_SECONDS = 1.0;

  /** Measures {@code searcher} on the first {@code count} queries. */
  static Measured of(Searcher searcher, float[][] queries, int count, int k, GroundTruth truth) {
    long warmUp = System.nanoTime();
    do {
      for (int q = 0; q < count; q++) {
        searcher.nearest(queries[q], k);
      }
    } while (Clock.secondsSince(warmUp) < WARM_UP_SECONDS);

    long[][] found = new long[count][];
    long[] nanos = new long[count];
    int timed = 0;
    long start = System.nanoTime();
    do {
      if (timed + count > nanos.length) {
        nanos = Arrays.copyOf(nanos, Math.max(2 * nanos.length, timed + count));
      }
      for (int q = 0; q < count; q++) {
        long t0 = System.nanoTime();
        long[] ids = searcher.nearest(queries[q], k);
        nanos[timed++] = System.nanoTime() - t0;
        if (found[q] == null) {
          found[q] = ids;
        }
      }
    } while (Clock.secondsSince(start) < MIN_TIMED_SECONDS);
    double seconds = Clock.secondsSince(start);

    double recallSum = 0;
    for (int q = 0; q < count; q++) {
      recallSum += truth.recall(q, found[q]);
    }
    long[] sorted = Arrays.copyOf(nanos, timed);
    Arrays.sort(sorted);
    return new Measured(count, recallSum / count, timed / seconds,
        percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6);
  }

  /** Nearest-rank percentile of sorted values. */
  private static long percentile(long[] sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }
}
