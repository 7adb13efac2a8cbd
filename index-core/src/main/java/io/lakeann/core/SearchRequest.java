package io.lakeann.core;

import static io.lakeann.core.InvalidRequestException.check;

import io.lakeann.core.search.Neighbors;
import io.lakeann.core.search.RowFilter;

/**
 * One k-nearest-neighbour query against a {@link RabitqIndex}, as an immutable value: every
 * refinement ({@link #k}, {@link #recall}, {@link #nprobe}, {@link #filter}, {@link #epsilon},
 * {@link #bar}) returns a new request and {@link #run()} does the work. Defaults: k = 10, recall
 * target 0.95 (met by the shard's own calibration, see docs/index-core.md), no filter, epsilon
 * chosen for the target.
 *
 * <p>Effort: an explicit {@link #nprobe} wins (the expert override); else an explicit
 * {@link #recall} target; else the index config's nprobe when one was configured; else the
 * default recall target 0.95.
 *
 * <p>A search returns k neighbours whenever k rows are allowed: it probes more lists when those
 * it would stop after hold fewer than k (allowed) rows. When fewer than k rows are allowed (k > n,
 * or a sparse filter), every allowed row is returned. An nprobe above the number of lists probes
 * every list. The query array is read when {@code run()} is called.
 */
public final class SearchRequest {
  static final int DEFAULT_K = 10;
  /** The recall target of a search that states neither a target nor nprobe. */
  public static final double DEFAULT_RECALL = Probes.DEFAULT_RECALL;

  private final RabitqIndex index;
  private final float[] query;
  private final int k;
  /** Explicit nprobe, or 0 when not given. */
  private final int nprobe;
  /** Explicit recall target, or NaN when not given. */
  private final double recall;
  private final RowFilter filter;
  /** Explicit epsilon, or NaN when not given. */
  private final float epsilon;
  /** Rows at this distance or beyond are not wanted; +infinity for none. */
  private final float bar;

  SearchRequest(RabitqIndex index, float[] query) {
    this(index, query, DEFAULT_K, 0, Double.NaN, null, Float.NaN, Float.POSITIVE_INFINITY);
  }

  private SearchRequest(RabitqIndex index, float[] query, int k, int nprobe, double recall,
      RowFilter filter, float epsilon, float bar) {
    this.index = index;
    this.query = query;
    this.k = k;
    this.nprobe = nprobe;
    this.recall = recall;
    this.filter = filter;
    this.epsilon = epsilon;
    this.bar = bar;
  }

  /** Number of neighbours wanted; must be > 0. */
  public SearchRequest k(int value) {
    return new SearchRequest(index, query, value, nprobe, recall, filter, epsilon, bar);
  }

  /**
   * The recall@k to reach, in expectation over queries drawn like the indexed rows: 0 < value
   * <= 1 (default {@value #DEFAULT_RECALL}). The shard's calibration gives the effort it needs,
   * and each query stops as soon as that effort's rule says nothing unprobed can be closer; 1
   * searches until nothing unprobed can be closer at all, which returns what probing every list
   * returns. An explicit {@link #nprobe} overrides it.
   */
  public SearchRequest recall(double value) {
    checkRecall(value, index.source());
    return new SearchRequest(index, query, k, nprobe, value, filter, epsilon, bar);
  }

  /**
   * Number of IVF lists to probe, overriding the recall target (an expert setting); must be > 0.
   * More lists: higher recall, slower.
   */
  public SearchRequest nprobe(int value) {
    check(value > 0, "Invalid nprobe for search of %s: %s (must be > 0; the index has %s lists;"
        + " or leave nprobe out and set a recall target)", index.source(), value, index.nlist());
    return new SearchRequest(index, query, k, value, recall, filter, epsilon, bar);
  }

  /** Only rows allowed by {@code value} may be returned; {@code null} allows all. */
  public SearchRequest filter(RowFilter value) {
    return new SearchRequest(index, query, k, nprobe, recall, value, epsilon, bar);
  }

  /**
   * RaBitQ error-bound confidence: a candidate gets an exact distance unless its estimate minus
   * epsilon standard errors already loses. Larger: more exact distances, higher recall. Without
   * it, a search at a recall target uses the larger of the config's epsilon and the one the
   * target calls for (see docs/index-core.md), and one at an explicit nprobe the config's.
   */
  public SearchRequest epsilon(float value) {
    check(Float.isFinite(value) && value >= 0,
        "Invalid epsilon for search of %s: %s (must be finite and >= 0; default 1.9)",
        index.source(), value);
    return new SearchRequest(index, query, k, nprobe, recall, filter, value, bar);
  }

  /**
   * Only rows closer than {@code distance} are wanted, because k rows at least this close were
   * already found elsewhere (e.g. in another shard of the same table): the search skips what
   * cannot beat it and stops as soon as nothing unprobed can, so it may return fewer than k
   * rows. {@code +infinity} (the default) wants every row.
   */
  public SearchRequest bar(float distance) {
    check(!Float.isNaN(distance), "Invalid bar for search of %s: NaN (give a distance, or "
        + "+infinity for none)", index.source());
    return new SearchRequest(index, query, k, nprobe, recall, filter, epsilon, distance);
  }

  public Neighbors run() {
    checkParameters(index, k, filter);
    QueryScan scan = QueryScan.forThisThread();
    try {
      float[] q = scan.queryBuffer(index.dim());
      prepareQuery(index, query, "query", q, 0);
      boolean barred = bar != Float.POSITIVE_INFINITY;
      Probes probes = Probes.of(index, nprobe, recall, filter, k, barred);
      float[] dots = scan.centroidDotsBuffer(probes.dotsStride());
      probes.centroidDots(q, 1, dots);
      probes.start(q, dots);
      // Cosine distances are 1 - cos outside, squared distances of unit vectors inside.
      scan.start(index, k, filter, probes.epsilon(epsilon),
          index.metric() == Metric.COSINE ? 2 * bar : bar);
      for (int list; (list = probes.next(scan.allowedScanned(), scan.worst())) >= 0; ) {
        scan.prepare(list);
        scan.scan(index.listStart[list], index.listStart[list + 1], dots[list]);
        scan.finishList();
      }
      return scan.result();
    } finally {
      scan.release();
    }
  }

  /** Checks a recall target: {@code 0 < value <= 1}. */
  private static void checkRecall(double value, String source) {
    check(value > 0 && value <= 1, "Invalid recall target for search of %s: %s (must be a "
        + "fraction in (0, 1], e.g. 0.95; for more speed lower it, for exact results use 1)",
        source, value);
  }

  private static void checkParameters(RabitqIndex index, int k, RowFilter filter) {
    check(k > 0, "Invalid k for search of %s: %s (must be > 0)", index.source(), k);
    check(filter == null || filter.capacity() <= index.size(),
        "Invalid filter for search of %s: it allows row %s but the index has only %s rows",
        index.source(), filter == null ? 0 : filter.capacity() - 1, index.size());
  }

  /**
   * Checks a query and writes it, for cosine normalized, into {@code dst} at {@code dstOff}.
   */
  private static void prepareQuery(RabitqIndex index, float[] query, String what, float[] dst,
      int dstOff) {
    String name = what + " against " + index.source();
    if (query == null) {
      throw new InvalidVectorException(name + ": query vector is null; pass a vector of "
          + index.dim() + " floats");
    }
    VectorChecks.requireValid(query, index.dim(), name);
    if (index.metric() == Metric.COSINE) {
      VectorChecks.normalizeQuery(query, dst, dstOff, name);
    } else {
      System.arraycopy(query, 0, dst, dstOff, index.dim());
    }
  }
}
