package io.lakeann.iceberg;

import io.lakeann.core.InvalidRequestException;

/**
 * How to search: k, the recall target ({@code NaN}: the default, 0.95), nprobe (0: none, the
 * recall target decides; an explicit nprobe overrides it) and the RaBitQ error-bound epsilon
 * ({@code NaN}: the one the target or the index config calls for). Immutable; each method returns
 * a new value.
 *
 * @param k results per query
 * @param nprobe IVF lists to probe per shard, capped at the shard's list count; 0 for none
 * @param recall the recall@k to reach, in (0, 1], met by each shard's own calibration; NaN for
 *     the default 0.95
 * @param epsilon error-bound multiplier; larger re-ranks more candidates exactly
 */
public record SearchParams(int k, int nprobe, double recall, float epsilon)
    implements java.io.Serializable {
  public static final int DEFAULT_K = 10;
  /** The recall target of a search that states none. */
  public static final double DEFAULT_RECALL = io.lakeann.core.SearchRequest.DEFAULT_RECALL;

  public SearchParams {
    InvalidRequestException.check(k > 0, "Invalid k: %s (must be > 0)", k);
    InvalidRequestException.check(nprobe >= 0,
        "Invalid nprobe: %s (must be >= 0; 0 lets the recall target decide)", nprobe);
    InvalidRequestException.check(Double.isNaN(recall) || recall > 0 && recall <= 1,
        "Invalid recall target: %s (must be a fraction in (0, 1], e.g. 0.95; for more speed "
            + "lower it, for exact results use 1)", recall);
    InvalidRequestException.check(Float.isNaN(epsilon) || epsilon >= 0 && Float.isFinite(epsilon),
        "Invalid epsilon: %s (must be finite and >= 0)", epsilon);
  }

  public static SearchParams defaults() {
    return new SearchParams(DEFAULT_K, 0, Double.NaN, Float.NaN);
  }

  /** {@code k} results with defaults otherwise. */
  public static SearchParams topK(int k) {
    return defaults().withK(k);
  }

  public SearchParams withK(int value) {
    return new SearchParams(value, nprobe, recall, epsilon);
  }

  /** Lists probed per shard, overriding the recall target (an expert setting). */
  public SearchParams withNprobe(int value) {
    return new SearchParams(k, value, recall, epsilon);
  }

  /** The recall@k to reach, 0 < value <= 1 (default {@value #DEFAULT_RECALL}). */
  public SearchParams withRecall(double value) {
    InvalidRequestException.check(!Double.isNaN(value), "Invalid recall target: NaN (must be a "
        + "fraction in (0, 1], e.g. 0.95)");
    return new SearchParams(k, nprobe, value, epsilon);
  }

  public SearchParams withEpsilon(float value) {
    return new SearchParams(k, nprobe, recall, value);
  }
}
