package io.lakeann.bench;

/** Wall-clock durations from {@link System#nanoTime()}, in the seconds every report uses. */
final class Clock {
  private Clock() {}

  static double secondsSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
