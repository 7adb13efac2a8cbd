package io.lakeann.spark.cli;

import java.util.Locale;

/**
 * A malformed command line: an unknown subcommand or flag, a missing flag, a value out of range.
 * The message names the flag, the bad value and the fix; {@link Main} prints it on one line and
 * exits with status 2, before Spark starts.
 */
public final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String format, Object... args) {
    super(String.format(Locale.ROOT, format, args));
  }
}
