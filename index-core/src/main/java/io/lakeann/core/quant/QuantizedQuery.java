package io.lakeann.core.quant;

import java.util.Arrays;

/**
 * A query vector (already rotated, and for L2 already made a residual) quantized to unsigned
 * {@code bits}-bit integers {@code v_i} with {@code q_i ~ lo + delta * v_i}, stored as bit planes
 * so that its inner product with a binary code is a sum of AND + popcount (see
 * {@link io.lakeann.core.kernel.VectorKernels#bitPlaneDot}). Rounding is to nearest, so quantizing
 * the same query twice gives the same planes. Mutable scratch: one per search thread.
 */
public final class QuantizedQuery {
  private final int paddedDim;
  private final int words;
  private final int bits;
  private final long[] planes;
  private float lo;
  private float delta;
  private long sumCodes;
  private float norm;

  public QuantizedQuery(int paddedDim, int bits) {
    this.paddedDim = paddedDim;
    this.words = paddedDim / 64;
    this.bits = bits;
    this.planes = new long[bits * words];
  }

  /** Quantizes {@code q[0, paddedDim)}, replacing the previous contents. */
  public void quantize(float[] q) {
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    double normSq = 0;
    for (int i = 0; i < paddedDim; i++) {
      float v = q[i];
      min = Math.min(min, v);
      max = Math.max(max, v);
      normSq += (double) v * v;
    }
    int top = (1 << bits) - 1;
    lo = min;
    delta = max > min ? (max - min) / top : 1f;
    norm = (float) Math.sqrt(normSq);
    float inv = 1f / delta;
    Arrays.fill(planes, 0L);
    long sum = 0;
    for (int i = 0; i < paddedDim; i++) {
      int v = Math.min(top, Math.round((q[i] - lo) * inv));
      sum += v;
      int w = i >>> 6;
      int shift = i & 63;
      for (int p = 0; p < bits; p++) {
        // Branch-free: query bits are random, so a branch here would mispredict half the time.
        planes[p * words + w] |= (long) ((v >>> p) & 1) << shift;
      }
    }
    sumCodes = sum;
  }

  public long[] planes() {
    return planes;
  }

  public int bits() {
    return bits;
  }

  public float lo() {
    return lo;
  }

  public float delta() {
    return delta;
  }

  /** Sum of the quantized integers. */
  public long sumCodes() {
    return sumCodes;
  }

  /** Euclidean norm of the unquantized query. */
  public float norm() {
    return norm;
  }
}
