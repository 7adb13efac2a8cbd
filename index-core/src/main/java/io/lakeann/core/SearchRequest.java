package io.lakeann.core;

import static io.lakeann.core.InvalidRequestException.check;

import io.lakeann.core.search.Neighbors;
import io.lakeann.core.search.RowFilter;

/**
 * One k-nearest-neighbour query against a {@link RabitqIndex}, as an immutable value: every
 * refinement ({@link #k}, {@link #nprobe}, {@link #filter}, {@link #epsilon}) returns a new request
 * and {@link #run()} does the work. Defaults: k = 10, nprobe from the index config, no filter,
 * epsilon from the index config.
 *
 * <p>A search returns k neighbours whenever k rows are allowed: it probes beyond nprobe lists when
 * those hold fewer than k (allowed) rows. When fewer than k rows are allowed (k > n, or a sparse
 * filter), every allowed row is returned. An nprobe above the number of lists probes every list.
 * The query array is read when {@code run()} is called.
 */
public final class SearchRequest {
  static final int DEFAULT_K = 10;

  private final RabitqIndex index;
  private final float[] query;
  private final int k;
  private final int nprobe;
  private final RowFilter filter;
  private final float epsilon;

  SearchRequest(RabitqIndex index, float[] query) {
    this(index, query, DEFAULT_K, index.defaultNprobe(), null,
        index.config().epsilon());
  }

  private SearchRequest(RabitqIndex index, float[] query, int k, int nprobe, RowFilter filter,
      float epsilon) {
    this.index = index;
    this.query = query;
    this.k = k;
    this.nprobe = nprobe;
    this.filter = filter;
    this.epsilon = epsilon;
  }

  /** Number of neighbours wanted; must be > 0. */
  public SearchRequest k(int value) {
    return new SearchRequest(index, query, value, nprobe, filter, epsilon);
  }

  /** Number of IVF lists to probe; must be > 0. More lists: higher recall, slower. */
  public SearchRequest nprobe(int value) {
    return new SearchRequest(index, query, k, value, filter, epsilon);
  }

  /** Only rows allowed by {@code value} may be returned; {@code null} allows all. */
  public SearchRequest filter(RowFilter value) {
    return new SearchRequest(index, query, k, nprobe, value, epsilon);
  }

  /**
   * RaBitQ error-bound confidence: a candidate gets an exact distance unless its estimate minus
   * epsilon standard errors already loses. Larger: more exact distances, higher recall.
   */
  public SearchRequest epsilon(float value) {
    return new SearchRequest(index, query, k, nprobe, filter, value);
  }

  public Neighbors run() {
    checkParameters(index, k, nprobe, filter, epsilon);
    QueryScan scan = QueryScan.forThisThread();
    try {
      float[] q = scan.queryBuffer(index.dim());
      prepareQuery(index, query, "query", q, 0);
      Probes probes = new Probes(index, nprobe, filter, k);
      float[] dots = scan.centroidDotsBuffer(probes.dotsStride());
      probes.centroidDots(q, 1, dots);
      int[] order = probes.order(dots, 0);
      scan.start(index, k, filter, epsilon);
      for (int i = 0; i < order.length && !probes.enough(i, scan.allowedScanned()); i++) {
        int list = order[i];
        scan.prepare(list);
        scan.scan(index.listStart[list], index.listStart[list + 1], dots[list]);
        scan.finishList();
      }
      return scan.result();
    } finally {
      scan.release();
    }
  }

  static void checkParameters(RabitqIndex index, int k, int nprobe, RowFilter filter,
      float epsilon) {
    check(k > 0, "Invalid k for search of %s: %s (must be > 0)", index.source(), k);
    check(nprobe > 0, "Invalid nprobe for search of %s: %s (must be > 0; the index has %s lists)",
        index.source(), nprobe, index.nlist());
    check(Float.isFinite(epsilon) && epsilon >= 0,
        "Invalid epsilon for search of %s: %s (must be finite and >= 0; default 1.9)",
        index.source(), epsilon);
    check(filter == null || filter.capacity() <= index.size(),
        "Invalid filter for search of %s: it allows row %s but the index has only %s rows",
        index.source(), filter == null ? 0 : filter.capacity() - 1, index.size());
  }

  /**
   * Checks a query and writes it, for cosine normalized, into {@code dst} at {@code dstOff}.
   */
  static void prepareQuery(RabitqIndex index, float[] query, String what, float[] dst,
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
