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
  L2(0),
  INNER_PRODUCT(1),
  COSINE(2);

  private final int code;

  Metric(int code) {
    this.code = code;
  }

  /** The fixed code of this metric in files and hashes; never changes with the enum's order. */
  public int code() {
    return code;
  }

  /** The short name {@link #parse} reads and the command line and SQL print: l2, ip, cosine. */
  public String shortName() {
    return switch (this) {
      case L2 -> "l2";
      case INNER_PRODUCT -> "ip";
      case COSINE -> "cosine";
    };
  }

  /** The metric with {@code code}, or null when no metric has it. */
  public static Metric ofCode(int code) {
    for (Metric m : values()) {
      if (m.code == code) {
        return m;
      }
    }
    return null;
  }

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
