package io.lakeann.iceberg;

import io.lakeann.core.LakeAnnException;

/** A snapshot id, tag or branch the table does not have (or no longer has, after expiry). */
public class UnknownSnapshotException extends LakeAnnException {
  private static final long serialVersionUID = 1L;

  public UnknownSnapshotException(String message) {
    super(message);
  }

  public UnknownSnapshotException(String message, Throwable cause) {
    super(message, cause);
  }
}
