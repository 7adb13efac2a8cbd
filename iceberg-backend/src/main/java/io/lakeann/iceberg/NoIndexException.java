package io.lakeann.iceberg;

import io.lakeann.core.LakeAnnException;

/** No bundle is registered for the snapshot asked for, nor for any of its ancestors; build one. */
public class NoIndexException extends LakeAnnException {
  private static final long serialVersionUID = 1L;

  public NoIndexException(String message) {
    super(message);
  }

  public NoIndexException(String message, Throwable cause) {
    super(message, cause);
  }
}
