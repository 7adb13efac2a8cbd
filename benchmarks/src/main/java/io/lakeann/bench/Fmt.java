package io.lakeann.bench;

import java.util.Locale;

/** Number formats of the report, in one place so the table, summary and plot agree. */
final class Fmt {
  private Fmt() {}

  static String recall(double recall) {
    return String.format(Locale.ROOT, "%.4f", recall);
  }

  /** Queries per second: whole numbers with thousands separators, one decimal below 100. */
  static String qps(double qps) {
    return qps >= 100 ? String.format(Locale.ROOT, "%,.0f", qps)
        : String.format(Locale.ROOT, "%.1f", qps);
  }

  static String ms(double ms) {
    return String.format(Locale.ROOT, "%.3f", ms);
  }

  static String seconds(double seconds) {
    return String.format(Locale.ROOT, "%.2f", seconds);
  }

  static String bytes(double bytes) {
    return Double.isNaN(bytes) ? "–" : String.format(Locale.ROOT, "%,.1f", bytes);
  }

  /** Bytes per vector of a build, with the float32 originals in parentheses when they differ. */
  static String bytes(BuildStats b) {
    String bytes = bytes(b.bytesPerVector());
    if (!Double.isNaN(b.bytesPerVectorWithOriginals())
        && b.bytesPerVectorWithOriginals() != b.bytesPerVector()) {
      bytes += " (" + bytes(b.bytesPerVectorWithOriginals()) + ")";
    }
    return bytes;
  }

  /** A ratio such as {@code 12.3×}. */
  static String times(double ratio) {
    return String.format(Locale.ROOT, ratio >= 100 ? "%,.0f×" : "%.2f×", ratio);
  }

  /** A heap size in GiB. */
  static String gib(long bytes) {
    return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
  }
}
