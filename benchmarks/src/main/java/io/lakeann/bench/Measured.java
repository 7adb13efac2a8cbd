package io.lakeann.bench;

import java.util.Arrays;
import java.util.Map;

/**
 * Speed and recall of one {@link Searcher} over a set of queries, on one thread. Warm-up: passes
 * over all the queries until at least {@value #WARM_UP_SECONDS} s have passed. Then timed passes,
 * again at least one and until {@value #MIN_TIMED_SECONDS} s have passed, so that small query sets
 * still give stable numbers (both durations scale with a {@link Timing}); every query's latency is
 * recorded, and recall comes from the first timed pass (searches are deterministic). Immutable.
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

  /**
   * How long to warm up and to time at least: {@link #DEFAULT} is {@value #WARM_UP_SECONDS} s and
   * {@value #MIN_TIMED_SECONDS} s.
   */
  record Timing(double warmUpSeconds, double minTimedSeconds) {
    static final Timing DEFAULT = new Timing(WARM_UP_SECONDS, MIN_TIMED_SECONDS);

    /** At least {@code seconds} timed, after a warm-up in the default proportion. */
    static Timing timed(double seconds) {
      return new Timing(seconds * WARM_UP_SECONDS / MIN_TIMED_SECONDS, seconds);
    }
  }

  /** Measures {@code searcher} on the first {@code count} queries with the default timing. */
  static Measured of(Searcher searcher, float[][] queries, int count, int k, GroundTruth truth) {
    return of(searcher, queries, count, k, truth, Timing.DEFAULT);
  }

  /** Measures {@code searcher} on the first {@code count} queries. */
  static Measured of(Searcher searcher, float[][] queries, int count, int k, GroundTruth truth,
      Timing timing) {
    long warmUp = System.nanoTime();
    do {
      for (int q = 0; q < count; q++) {
        searcher.nearest(queries[q], k);
      }
    } while (Clock.secondsSince(warmUp) < timing.warmUpSeconds());

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
    } while (Clock.secondsSince(start) < timing.minTimedSeconds());
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

  /** Queries of the batch warm-up: a prefix of the batch, searched as one smaller batch. */
  static final int BATCH_WARM_UP_QUERIES = 1000;

  /**
   * Measures {@code searcher} on the whole of {@code queries} as one batch, on this thread. Warm-up:
   * batches of the first {@value #BATCH_WARM_UP_QUERIES} queries until the warm-up time has passed.
   * Then the whole batch, again until at least the timed seconds have passed; QPS is queries
   * answered over the seconds, and recall comes from the first timed batch, over its queries
   * that have ground truth (the first ones). There is no per-query latency, so the percentiles
   * are NaN.
   */
  static Measured batch(BatchSearcher searcher, float[][] queries, int k, GroundTruth truth,
      Timing timing) {
    float[][] warmUpQueries = Arrays.copyOf(queries,
        Math.min(BATCH_WARM_UP_QUERIES, queries.length));
    long warmUp = System.nanoTime();
    do {
      searcher.nearestAll(warmUpQueries, k);
    } while (Clock.secondsSince(warmUp) < timing.warmUpSeconds());

    long[][] found = null;
    long answered = 0;
    long start = System.nanoTime();
    do {
      long[][] ids = searcher.nearestAll(queries, k);
      if (found == null) {
        found = ids;
      }
      answered += queries.length;
    } while (Clock.secondsSince(start) < timing.minTimedSeconds());
    double seconds = Clock.secondsSince(start);
    int judged = Math.min(queries.length, truth.ids().length);
    double recallSum = 0;
    for (int q = 0; q < judged; q++) {
      recallSum += truth.recall(q, found[q]);
    }
    return new Measured(queries.length, recallSum / judged, answered / seconds,
        Double.NaN, Double.NaN);
  }

  /** Adds the fields that report this measurement to a JSON line, in print order. */
  void addTo(Map<String, Object> line) {
    line.put("queries", queries);
    line.put("recall_at_k", Json.round(recall, 4));
    line.put("qps", Json.round(qps, 1));
    line.put("search_threads", 1);
    if (!Double.isNaN(p50Ms)) {
      line.put("p50_ms", Json.round(p50Ms, 4));
      line.put("p99_ms", Json.round(p99Ms, 4));
    }
  }

  /** Nearest-rank percentile of sorted values. */
  private static long percentile(long[] sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }
}
