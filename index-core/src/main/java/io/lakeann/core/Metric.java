package io.lakeann.core;

import java.util.Locale;

/**
 * How closeness is measured. Every search returns distances where smaller means closer:
 * <ul>
 *   <li>{@link #L2}: squared Euclidean distance;
 *   <li>{@link #INNER_PRODUCT}: the negated inner product {@code -<q, x>};
 *   <li>{@link #COSINE}: {@code 1 - cos(q, x)}; vectors and queries are normalized, so a zero
 *       vector is rejected.
 * </ul>
 */
public enum Metric {
  L2,
  INNER_PRODUCT,
  COSINE;

  /**
   * Parses a metric name, case-insensitively: {@code l2} (or {@code euclidean}), {@code ip} (or
   * {@code inner_product}, {@code dot}), {@code cosine} (or {@code cos}).
   */
  public static Metric parse(String name) {
    switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "l2":
      case "euclidean":
        return L2;
      case "ip":
      case "inner_product":
      case "dot":
        return INNER_PRODUCT;
      case "cosine":
      case "cos":
        return COSINE;
      default:
        throw new InvalidRequestException(
            "Unknown metric '" + name + "': use one of l2, ip (inner product), cosine");
    }
  }
}
