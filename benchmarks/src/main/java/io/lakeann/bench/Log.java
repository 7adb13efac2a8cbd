package io.lakeann.bench;

import java.util.Locale;

/**
 * Progress messages on stderr, stamped with seconds since start, so that stdout carries only the
 * JSON result lines.
 */
final class Log {
  private static final long START = System.nanoTime();

  private Log() {}

  static void info(String format, Object... args) {
    System.err.printf(Locale.ROOT, "[bench %7.1fs] %s%n", Clock.secondsSince(START),
        String.format(Locale.ROOT, format, args));
  }
}
