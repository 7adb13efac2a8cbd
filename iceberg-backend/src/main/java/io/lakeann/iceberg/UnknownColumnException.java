package io.lakeann.iceberg;

import io.lakeann.core.LakeAnnException;

/** A column the table's schema does not have; the message lists the columns it has. */
public class UnknownColumnException extends LakeAnnException {
  private static final long serialVersionUID = 1L;

  public UnknownColumnException(String message) {
    super(message);
  }

  public UnknownColumnException(String message, Throwable cause) {
    super(message, cause);
  }
}
