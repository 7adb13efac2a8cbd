package io.lakeann.sql;

import java.nio.ByteBuffer;

/**
 * The running element-wise sum of the vectors of one group, for {@code vector_sum} and
 * {@code vector_avg}: summed in double, counted, and checked to share one dimension (the first
 * vector's). Mutable; one per aggregation buffer.
 */
public final class VectorAccumulator {
  private double[] sum;
  private long count;

  /** Adds one vector; refuses one of another dimension than those before. */
  public void add(String function, float[] v) {
    if (sum == null) {
      sum = new double[v.length];
    }
    VectorMath.sameLength(function, sum.length, v.length);
    for (int i = 0; i < v.length; i++) {
      sum[i] += v[i];
    }
    count++;
  }

  /** Adds everything {@code other} holds. */
  public void merge(String function, VectorAccumulator other) {
    if (other.sum == null) {
      return;
    }
    if (sum == null) {
      sum = other.sum.clone();
      count = other.count;
      return;
    }
    VectorMath.sameLength(function, sum.length, other.sum.length);
    for (int i = 0; i < sum.length; i++) {
      sum[i] += other.sum[i];
    }
    count += other.count;
  }

  /** The sum, or the mean when {@code average}; null when no vector was added. */
  public float[] result(boolean average) {
    if (sum == null) {
      return null;
    }
    float[] out = new float[sum.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (average ? sum[i] / count : sum[i]);
    }
    return out;
  }

  /** count, dimension (-1 for none), then the sums. */
  public byte[] serialize() {
    int dim = sum == null ? -1 : sum.length;
    ByteBuffer b = ByteBuffer.allocate(12 + 8 * Math.max(dim, 0));
    b.putLong(count).putInt(dim);
    for (int i = 0; i < dim; i++) {
      b.putDouble(sum[i]);
    }
    return b.array();
  }

  public static VectorAccumulator deserialize(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    VectorAccumulator out = new VectorAccumulator();
    out.count = b.getLong();
    int dim = b.getInt();
    if (dim >= 0) {
      out.sum = new double[dim];
      for (int i = 0; i < dim; i++) {
        out.sum[i] = b.getDouble();
      }
    }
    return out;
  }
}
