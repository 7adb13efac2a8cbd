package io.lakeann.core;

/** Two rows of one build share an id; ids must be unique within an index. */
public class DuplicateIdException extends LakeAnnException {
  private static final long serialVersionUID = 1L;

  public DuplicateIdException(String message) {
    super(message);
  }
}
