package io.lakeann.core;

/**
 * Base of every error lakeann raises on purpose. Messages name the object (table, column, file,
 * row, id), the bad value and what to do about it; callers at the edges (Spark, SQL) may rely on
 * the message being fit to show to a user.
 */
public class LakeAnnException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LakeAnnException(String message) {
    super(message);
  }

  public LakeAnnException(String message, Throwable cause) {
    super(message, cause);
  }
}
