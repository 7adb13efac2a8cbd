package io.lakeann.core;

import java.util.Locale;

/** A configuration value or search parameter out of its documented range (k <= 0, ...). */
public class InvalidRequestException extends LakeAnnException {
  private static final long serialVersionUID = 1L;

  public InvalidRequestException(String message) {
    super(message);
  }

  /** Throws an {@code InvalidRequestException} with the formatted message unless {@code ok}. */
  public static void check(boolean ok, String format, Object... args) {
    if (!ok) {
      throw new InvalidRequestException(String.format(Locale.ROOT, format, args));
    }
  }
}
