package io.lakeann.bench;

import java.io.PrintStream;

/**
 * The JSON of the result lines: index-core's codec ({@link io.lakeann.core.util.Json}) writes
 * them; this adds the rounding that keeps lines short and the printing of one line. Stateless.
 */
final class Json {
  private Json() {}

  /** {@code value} rounded to {@code decimals} places, so that lines stay short and readable. */
  static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }

  /** {@code value} as compact JSON text on one line; non-finite numbers become null. */
  static String write(Object value) {
    return io.lakeann.core.util.Json.write(value);
  }

  /** Prints {@code value} as one line and flushes, so that each result shows when it is known. */
  static void println(PrintStream out, Object value) {
    out.println(write(value));
    out.flush();
  }
}
