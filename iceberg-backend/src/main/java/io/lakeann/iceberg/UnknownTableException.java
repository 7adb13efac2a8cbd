package io.lakeann.iceberg;

import io.lakeann.core.LakeAnnException;

/** A table name that the catalog does not know; the message names the catalog and table. */
public class UnknownTableException extends LakeAnnException {
  private static final long serialVersionUID = 1L;

  public UnknownTableException(String message) {
    super(message);
  }

  public UnknownTableException(String message, Throwable cause) {
    super(message, cause);
  }
}
