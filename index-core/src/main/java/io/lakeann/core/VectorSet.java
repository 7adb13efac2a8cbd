package io.lakeann.core;

import java.util.Arrays;
import java.util.Locale;

/**
 * Rows to index: a {@code long} id and a float vector per row, stored flat (row-major). Every row is
 * checked on the way in; a {@code VectorSet} never holds a null, NaN, infinite or wrongly sized
 * vector. Immutable once built; row {@code r} of the set is row {@code r} of an index built from it
 * (filters address rows by this number).
 */
public final class VectorSet {
  /** Largest number of floats one set may hold (one Java array). */
  public static final long MAX_FLOATS = Integer.MAX_VALUE - 16;

  private final String source;
  private final int dim;
  private final long[] ids;
  private final float[] data;
  private final long skippedNulls;

  private VectorSet(String source, int dim, long[] ids, float[] data, long skippedNulls) {
    this.source = source;
    this.dim = dim;
    this.ids = ids;
    this.data = data;
    this.skippedNulls = skippedNulls;
  }

  /**
   * Wraps existing arrays without copying: {@code data} holds {@code ids.length} vectors of
   * {@code dim} floats. Every row is checked; the caller must not modify the arrays afterwards.
   */
  public static VectorSet of(String source, long[] ids, float[] data, int dim) {
    VectorChecks.requireSupportedDimension(dim, source);
    if ((long) ids.length * dim != data.length) {
      throw new DimensionMismatchException(String.format(Locale.ROOT,
          "%s: %d floats cannot hold %d vectors of %d dimensions (expected %d floats)",
          source, data.length, ids.length, dim, (long) ids.length * dim));
    }
    for (int r = 0; r < ids.length; r++) {
      VectorChecks.requireFinite(data, r * dim, dim, VectorChecks.describeRow(source, r, ids[r]));
    }
    return new VectorSet(source, dim, ids, data, 0);
  }

  public static Builder builder(String source, int dim) {
    return new Builder(source, dim);
  }

  /** What these rows are, for messages (e.g. a table and column name). */
  public String source() {
    return source;
  }

  public int dim() {
    return dim;
  }

  public int size() {
    return ids.length;
  }

  public long id(int row) {
    return ids[row];
  }

  /** The flat row-major vectors; shared, do not modify. */
  public float[] data() {
    return data;
  }

  /** The ids by row; shared, do not modify. */
  public long[] ids() {
    return ids;
  }

  /** Copy of the vector of {@code row}. */
  public float[] vector(int row) {
    return Arrays.copyOfRange(data, row * dim, (row + 1) * dim);
  }

  /** Null vectors dropped by a builder with {@code skipNullVectors(true)}. */
  public long skippedNulls() {
    return skippedNulls;
  }

  /** Accumulates rows one by one, checking each; not thread-safe. */
  public static final class Builder {
    private final String source;
    private final int dim;
    private long[] ids = new long[64];
    private float[] data;
    private int size;
    private long inputRows;
    private long skippedNulls;
    private boolean skipNulls;

    private Builder(String source, int dim) {
      VectorChecks.requireSupportedDimension(dim, source);
      this.source = source;
      this.dim = dim;
      this.data = new float[ids.length * dim];
    }

    /**
     * When true, null vectors are dropped and counted in {@link VectorSet#skippedNulls()} instead
     * of failing the build. Default false.
     */
    public Builder skipNullVectors(boolean value) {
      this.skipNulls = value;
      return this;
    }

    /** Adds one row; the vector is copied. Row numbers in messages count every added row. */
    public Builder add(long id, float[] vector) {
      long row = inputRows++;
      if (vector == null && skipNulls) {
        skippedNulls++;
        return this;
      }
      VectorChecks.requireValid(vector, dim, VectorChecks.describeRow(source, row, id));
      if (size == ids.length) {
        grow();
      }
      ids[size] = id;
      System.arraycopy(vector, 0, data, size * dim, dim);
      size++;
      return this;
    }

    private void grow() {
      long newRows = Math.min((long) ids.length * 2, MAX_FLOATS / dim);
      if (newRows <= ids.length) {
        throw new InvalidRequestException(String.format(Locale.ROOT,
            "%s: more than %d vectors of %d dimensions do not fit one vector set; split the "
                + "input into several shards", source, ids.length, dim));
      }
      ids = Arrays.copyOf(ids, (int) newRows);
      data = Arrays.copyOf(data, (int) newRows * dim);
    }

    public VectorSet build() {
      return new VectorSet(source, dim, Arrays.copyOf(ids, size),
          Arrays.copyOf(data, size * dim), skippedNulls);
    }
  }
}
