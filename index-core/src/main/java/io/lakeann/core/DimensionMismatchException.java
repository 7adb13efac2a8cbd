package io.lakeann.core;

/** A vector whose length differs from the dimension of its index or vector set. */
public class DimensionMismatchException extends InvalidVectorException {
  private static final long serialVersionUID = 1L;

  public DimensionMismatchException(String message) {
    super(message);
  }
}
