package io.lakeann.core;

import java.util.Locale;

/**
 * The single place where a vector is checked before it enters an index or a search: null, wrong
 * length, NaN or infinity. Messages name the source, the row, the id and the value.
 */
public final class VectorChecks {
  /** Largest dimension lakeann accepts; bounds every per-vector allocation. */
  public static final int MAX_DIM = 1 << 16;

  private VectorChecks() {}

  /** Fails with an {@link InvalidRequestException} unless {@code 1 <= dim <= MAX_DIM}. */
  public static void requireSupportedDimension(int dim, String source) {
    InvalidRequestException.check(dim > 0 && dim <= MAX_DIM,
        "Invalid dimension for %s: %s (must be 1..%s)", source, dim, MAX_DIM);
  }

  /**
   * Writes {@code src / |src|} into {@code dst}, dividing in double precision so that tiny
   * (subnormal) vectors normalize too; returns false for a zero vector.
   */
  public static boolean normalizeInto(float[] src, int srcOff, float[] dst, int dstOff, int dim) {
    double normSq = 0;
    for (int i = 0; i < dim; i++) {
      normSq += (double) src[srcOff + i] * src[srcOff + i];
    }
    if (normSq == 0) {
      return false;
    }
    double norm = Math.sqrt(normSq);
    for (int i = 0; i < dim; i++) {
      dst[dstOff + i] = (float) (src[srcOff + i] / norm);
    }
    return true;
  }

  /** Normalizes a cosine query into {@code dst}; a zero query fails naming {@code what}. */
  public static void normalizeQuery(float[] query, float[] dst, int dstOff, String what) {
    if (!normalizeInto(query, 0, dst, dstOff, query.length)) {
      throw new InvalidVectorException(what + ": query has zero length, which has no cosine "
          + "with anything; use a non-zero query or the l2 metric");
    }
  }

  /**
   * Checks one vector of {@code expectedDim} floats.
   *
   * @param what describes the row for the message, e.g. {@code "row 17 (id 42) of docs.embedding"}
   */
  public static void requireValid(float[] vector, int expectedDim, String what) {
    if (vector == null) {
      throw new InvalidVectorException(what + ": vector is null; drop rows with null vectors "
          + "(VectorSet.Builder.skipNullVectors skips and counts them)");
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
