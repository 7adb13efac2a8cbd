package io.lakeann.iceberg;

import io.lakeann.core.LakeAnnException;

/** A column whose type cannot serve as a vector or id column; the message names the supported types. */
public class ColumnTypeException extends LakeAnnException {
  private static final long serialVersionUID = 1L;

  public ColumnTypeException(String message) {
    super(message);
  }

  public ColumnTypeException(String message, Throwable cause) {
    super(message, cause);
  }
}
