package io.lakeann.core;

/** A build was asked to index zero rows. */
public class EmptyInputException extends LakeAnnException {
  private static final long serialVersionUID = 1L;

  public EmptyInputException(String message) {
    super(message);
  }
}
