package io.lakeann.iceberg;

import io.lakeann.core.LakeAnnException;

/** A registered bundle whose manifest, blobs or shards disagree; the caller treats it as no index. */
public class ManifestMismatchException extends LakeAnnException {
  private static final long serialVersionUID = 1L;

  public ManifestMismatchException(String message) {
    super(message);
  }

  public ManifestMismatchException(String message, Throwable cause) {
    super(message, cause);
  }
}
