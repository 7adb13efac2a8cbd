package io.lakeann.core;

/**
 * A vector that cannot be indexed or searched: null, containing NaN or infinity, or (for cosine)
 * of zero length. The message names the source, the row, the id and the offending value.
 */
public class InvalidVectorException extends LakeAnnException {
  private static final long serialVersionUID = 1L;

  public InvalidVectorException(String message) {
    super(message);
  }
}
