package io.lakeann.core.cache;

/**
 * What a {@link Loader} produced: the value and the bytes it occupies, which the cache charges
 * against its budget. Immutable; the value is never null and the size never negative.
 */
public record Loaded<V>(V value, long bytes) {

  public Loaded {
    if (value == null) {
      throw new IllegalArgumentException("Cannot cache a null value (" + bytes + " bytes)");
    }
    if (bytes < 0) {
      throw new IllegalArgumentException(
          "Invalid size of a cached value: " + bytes + " bytes (must be >= 0)");
    }
  }
}
