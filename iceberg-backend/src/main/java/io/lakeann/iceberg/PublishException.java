package io.lakeann.iceberg;

import io.lakeann.core.LakeAnnException;

/** A bundle could not be registered with its snapshot; nothing unregistered was left behind. */
public class PublishException extends LakeAnnException {
  private static final long serialVersionUID = 1L;

  public PublishException(String message) {
    super(message);
  }

  public PublishException(String message, Throwable cause) {
    super(message, cause);
  }
}
