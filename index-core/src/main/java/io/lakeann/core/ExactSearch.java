package io.lakeann.core;

import static io.lakeann.core.InvalidRequestException.check;

import io.lakeann.core.kernel.Kernels;
import io.lakeann.core.search.Neighbors;
import io.lakeann.core.search.RowFilter;
import io.lakeann.core.search.TopK;
import io.lakeann.core.util.Parallel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

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

  /**
   * @throws InvalidVectorException for a zero vector under cosine, as {@link RabitqIndex#build}
   */
  public ExactSearch(VectorSet vectors, Metric metric) {
    check(metric != null, "Invalid metric for exact search of %s: null (use L2, INNER_PRODUCT or "
        + "COSINE)", vectors.source());
    this.vectors = vectors;
    this.metric = metric;
    this.data = metric == Metric.COSINE ? IndexBuilder.normalized(vectors) : vectors.data();
  }

  /**
   * Ground truth for evaluating approximate results: the ids of the exact {@code k} nearest of
   * {@code rows} (id to vector, each of {@code dim} floats) to each query, nearest first.
   */
  public static List<List<Long>> groundTruth(Map<Long, float[]> rows, int dim, Metric metric,
      float[][] queries, int k) {
    long[] ids = new long[rows.size()];
    float[] data = new float[rows.size() * dim];
    int r = 0;
    for (Map.Entry<Long, float[]> e : rows.entrySet()) {
      ids[r] = e.getKey();
      System.arraycopy(e.getValue(), 0, data, r * dim, dim);
      r++;
    }
    ExactSearch exact = new ExactSearch(VectorSet.of("ground truth", ids, data, dim), metric);
    List<List<Long>> out = new ArrayList<>(queries.length);
    for (float[] q : queries) {
      Neighbors n = exact.search(q, k, null);
      List<Long> top = new ArrayList<>(n.size());
      for (int i = 0; i < n.size(); i++) {
        top.add(n.id(i));
      }
      out.add(top);
    }
    return out;
  }

  /** The k nearest rows to {@code query} among those {@code filter} allows (null: all). */
  public Neighbors search(float[] query, int k, RowFilter filter) {
    return search(query, k, filter, "query");
  }

  private Neighbors search(float[] query, int k, RowFilter filter, String what) {
    check(k > 0, "Invalid k for exact search of %s: %s (must be > 0)", vectors.source(), k);
    int dim = vectors.dim();
    String name = what + " against " + vectors.source();
    VectorChecks.requireValid(query, dim, name);
    float[] q = query.clone();
    if (metric == Metric.COSINE) {
      VectorChecks.normalizeQuery(query, q, 0, name);
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
      top.offer(vectors.id(row), d);
    }
    return top.drain();
  }

  /** {@link #search} for every query, spread over {@code threads} threads. */
  public List<Neighbors> searchAll(float[][] queries, int k, RowFilter filter, int threads) {
    check(threads > 0, "Invalid threads for exact search of %s: %s (must be > 0)",
        vectors.source(), threads);
    Neighbors[] out = new Neighbors[queries.length];
    try (Parallel parallel = new Parallel(threads)) {
      parallel.forEachChunk(queries.length, 8, (from, to) -> {
        for (int q = from; q < to; q++) {
          out[q] = search(queries[q], k, filter, "query " + q);
        }
      });
    }
    return Arrays.asList(out);
  }
}
