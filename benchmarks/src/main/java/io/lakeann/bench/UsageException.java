package io.lakeann.bench;

import java.util.Locale;

/**
 * Bad command-line input: an unknown flag, a missing file, a malformed value. The message names the
 * flag or file, the bad value and the fix; {@link Main} prints it without a stack trace.
 */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String format, Object... args) {
    super(String.format(Locale.ROOT, format, args));
  }

  /**
   * The whole number written in {@code text} when it lies in {@code [min, max]}; otherwise a
   * {@code UsageException} with the formatted message.
   */
  static long wholeNumber(String text, long min, long max, String format, Object... args) {
    long value;
    try {
      value = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new UsageException(format, args);
    }
    if (value < min || value > max) {
      throw new UsageException(format, args);
    }
    return value;
  }
}
