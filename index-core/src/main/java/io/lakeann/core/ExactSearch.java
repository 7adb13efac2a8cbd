package io.lakeann.core;

import static io.lakeann.core.InvalidRequestException.check;

import io.lakeann.core.kernel.Kernels;
import io.lakeann.core.search.Neighbors;
import io.lakeann.core.search.RowFilter;
import io.lakeann.core.search.TopK;
import io.lakeann.core.util.Parallel;
import java.util.Arrays;
import java.util.List;

/**
 * Exact k-nearest-neighbour search by scanning every row with the SIMD kernels: the ground truth
 * for recall, the baseline in benchmarks, and the exact pass over rows no index covers yet.
 * Distances and ties follow the same rules as {@link RabitqIndex} (see {@link Metric}).
 * Immutable; safe to share across threads.
 */
public final class ExactSearch {
  private final VectorSet vectors;
  private final Metric metric;
  /** Rows as searched: the input, or unit-length copies for cosine. */
  private final float[] data;

  public ExactSearch(VectorSet vectors, Metric metric) {
    this.vectors = vectors;
    this.metric = metric;
    if (metric == Metric.COSINE) {
      int dim = vectors.dim();
      float[] unit = new float[vectors.data().length];
      for (int row = 0; row < vectors.size(); row++) {
        if (!IndexBuilder.normalizeInto(vectors.data(), row * dim, unit, row * dim, dim)) {
          // A zero vector has no cosine; keep it at the largest distance, 1.
          Arrays.fill(unit, row * dim, (row + 1) * dim, 0f);
        }
      }
      this.data = unit;
    } else {
      this.data = vectors.data();
    }
  }

  /** The k nearest rows to {@code query} among those {@code filter} allows (null: all). */
  public Neighbors search(float[] query, int k, RowFilter filter) {
    check(k > 0, "Invalid k for exact search of %s: %s (must be > 0)", vectors.source(), k);
    int dim = vectors.dim();
    String what = "query against " + vectors.source();
    VectorChecks.requireValid(query, dim, what);
    float[] q = query.clone();
    if (metric == Metric.COSINE && !IndexBuilder.normalizeInto(query, 0, q, 0, dim)) {
      throw new InvalidVectorException(what + ": query has zero length, which has no cosine "
          + "with anything; use a non-zero query or the l2 metric");
    }
    TopK top = new TopK(Math.min(k, vectors.size()));
    for (int row = 0; row < vectors.size(); row++) {
      if (filter != null && !filter.allows(row)) {
        continue;
      }
      float d;
      if (metric == Metric.INNER_PRODUCT) {
        d = -Kernels.dot(q, 0, data, row * dim, dim);
      } else {
        d = Kernels.squaredDistance(q, 0, data, row * dim, dim);
        if (metric == Metric.COSINE) {
          d *= 0.5f;
        }
      }
      if (d < top.worst() || !top.isFull()) {
        top.offer(vectors.id(row), d);
      }
    }
    return top.drain();
  }

  /** {@link #search} for every query, spread over {@code threads} threads. */
  public List<Neighbors> searchAll(float[][] queries, int k, RowFilter filter, int threads) {
    Neighbors[] out = new Neighbors[queries.length];
    try (Parallel parallel = new Parallel(threads)) {
      parallel.forEachChunk(queries.length, 8, (from, to) -> {
        for (int q = from; q < to; q++) {
          out[q] = search(queries[q], k, filter);
        }
      });
    }
    return Arrays.asList(out);
  }
}
