package io.lakeann.iceberg;

import io.lakeann.core.InvalidRequestException;

/**
 * How to search: k, nprobe (0: each shard's default) and the RaBitQ error-bound epsilon
 * ({@code NaN}: the index's configured one). Immutable; each method returns a new value.
 *
 * @param k results per query
 * @param nprobe IVF lists to probe per shard, capped at the shard's list count; 0 for default
 * @param epsilon error-bound multiplier; larger re-ranks more candidates exactly
 */
public record SearchParams(int k, int nprobe, float epsilon) implements java.io.Serializable {
  public static final int DEFAULT_K = 10;

  public SearchParams {
    InvalidRequestException.check(k > 0, "Invalid k: %s (must be > 0)", k);
    InvalidRequestException.check(nprobe >= 0,
        "Invalid nprobe: %s (must be >= 0; 0 picks each shard's default)", nprobe);
    InvalidRequestException.check(Float.isNaN(epsilon) || epsilon >= 0 && Float.isFinite(epsilon),
        "Invalid epsilon: %s (must be finite and >= 0)", epsilon);
  }

  public static SearchParams defaults() {
    return new SearchParams(DEFAULT_K, 0, Float.NaN);
  }

  /** {@code k} results with defaults otherwise. */
  public static SearchParams topK(int k) {
    return defaults().withK(k);
  }

  public SearchParams withK(int value) {
    return new SearchParams(value, nprobe, epsilon);
  }

  public SearchParams withNprobe(int value) {
    return new SearchParams(k, value, epsilon);
  }

  public SearchParams withEpsilon(float value) {
    return new SearchParams(k, nprobe, value);
  }
}
