package io.lakeann.spark.source;

import io.lakeann.core.LakeAnnException;

/**
 * A write that must create a bundle found one at its path already; the message names the path
 * and says to overwrite it or choose another path. The existing bundle is left as it was.
 */
public class BundleExistsException extends LakeAnnException {
  private static final long serialVersionUID = 1L;

  public BundleExistsException(String message) {
    super(message);
  }
}
