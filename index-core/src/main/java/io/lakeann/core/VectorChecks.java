package io.lakeann.core;

import java.util.Locale;

/**
 * The single place where a vector is checked before it enters an index or a search: null, wrong
 * length, NaN or infinity. Messages name the source, the row, the id and the value.
 */
public final class VectorChecks {
  private VectorChecks() {}

  /**
   * Checks one vector of {@code expectedDim} floats.
   *
   * @param what describes the row for the message, e.g. {@code "row 17 (id 42) of docs.embedding"}
   */
  public static void requireValid(float[] vector, int expectedDim, String what) {
    if (vector == null) {
      throw new InvalidVectorException(what + ": vector is null; filter out null vectors before "
          + "indexing or searching (or build the vector set with skipNullVectors)");
    }
    requireDimension(vector.length, expectedDim, what);
    requireFinite(vector, 0, expectedDim, what);
  }

  /** Fails with a {@link DimensionMismatchException} unless {@code actual == expected}. */
  public static void requireDimension(int actual, int expected, String what) {
    if (actual != expected) {
      throw new DimensionMismatchException(String.format(Locale.ROOT,
          "%s: vector has %d dimensions but %d are expected; all vectors of an index and its "
              + "queries must have the same dimension", what, actual, expected));
    }
  }

  /** Fails with an {@link InvalidVectorException} naming the first NaN or infinite component. */
  public static void requireFinite(float[] data, int off, int dim, String what) {
    for (int i = 0; i < dim; i++) {
      float v = data[off + i];
      if (!Float.isFinite(v)) {
        throw new InvalidVectorException(String.format(Locale.ROOT,
            "%s: component %d is %s; vectors must be finite (clean or drop this row)",
            what, i, v));
      }
    }
  }

  /** Describes a row for messages: {@code "row 17 (id 42) of source"}. */
  public static String describeRow(String source, long row, long id) {
    return "row " + row + " (id " + id + ") of " + source;
  }
}
