package io.lakeann.core.quant;

import java.util.Arrays;

/**
 * Encodes rotated residual vectors into RaBitQ codes and their correction factors.
 *
 * <p>For a rotated residual {@code r} (padded dimension P) with norm {@code |r|} and unit direction
 * {@code u = r / |r|}, the 1-bit code holds {@code b_i = [u_i > 0]}; the quantized unit vector is
 * {@code x = (2b - 1) / sqrt(P)}. For a (rotated, residual) query {@code q}, RaBitQ estimates
 * {@code <r, q> ~ |r| <x, q> / <x, u>} with an error at most {@code epsilon * |q| * |r| *
 * sqrt(1 - <x,u>^2) / (<x,u> sqrt(P - 1))} with high probability. Per vector we store:
 * <ul>
 *   <li>{@code normSq = |r|^2};
 *   <li>{@code scale = |r| / <x, u>}, so the estimate is {@code scale * <x, q>};
 *   <li>{@code err = |r| sqrt(1 - <x,u>^2) / (<x,u> sqrt(P-1))}, so the bound is
 *       {@code epsilon * |q| * err};
 *   <li>{@code popcount}, the number of one bits of the code (exact as a float).
 * </ul>
 *
 * <p>Extended codes (Extended RaBitQ) add {@code E} bits per dimension. The full code
 * {@code k_i = b_i 2^E + e'_i} in {@code [0, 2^(E+1))} represents {@code y_i = k_i - (2^(E+1)-1)/2},
 * whose magnitudes {@code |y_i| = e_i + 1/2} come from the scaling {@code t} that maximizes
 * {@code <y, u> / |y|} with {@code e_i = min(floor(t |u_i|), 2^E - 1)}. The stored planes hold
 * {@code e'_i} (bit p of every dimension in plane p); the factors are {@code exScale = |r| / <y, u>}
 * and {@code exErr} as above with {@code <y,u>/|y|} in place of {@code <x,u>}.
 *
 * <p>Stateless apart from scratch buffers: one encoder per thread.
 */
public final class RabitqEncoder {
  /** Floats of 1-bit factors per vector: normSq, scale, err, popcount of the code. */
  public static final int FACTORS = 4;
  /** Floats of extended factors per vector: exScale, exErr. */
  public static final int EX_FACTORS = 2;

  private final int paddedDim;
  private final int words;
  private final int exBits;
  private final float[] unit;
  private final int[] levels;
  private final double[] eventTime;
  private final int[] heap;

  public RabitqEncoder(int paddedDim, int exBits) {
    this.paddedDim = paddedDim;
    this.words = paddedDim / 64;
    this.exBits = exBits;
    this.unit = new float[paddedDim];
    this.levels = new int[paddedDim];
    this.eventTime = new double[paddedDim];
    this.heap = new int[paddedDim];
  }

  /**
   * Encodes {@code residual[0, paddedDim)} into slot {@code slot} of the given arrays.
   * {@code exPlanes} and {@code exFactors} are ignored when {@code exBits == 0}.
   */
  public void encode(float[] residual, int slot, long[] signCodes, float[] factors,
      long[] exPlanes, float[] exFactors) {
    double normSq = 0;
    for (int i = 0; i < paddedDim; i++) {
      normSq += (double) residual[i] * residual[i];
    }
    double norm = Math.sqrt(normSq);
    int codeOff = slot * words;
    int factorOff = slot * FACTORS;
    factors[factorOff] = (float) normSq;
    if (norm == 0) {
      // The vector is its centroid: the estimate reduces to |q|^2 exactly, with no error.
      Arrays.fill(signCodes, codeOff, codeOff + words, 0L);
      factors[factorOff + 1] = 0f;
      factors[factorOff + 2] = 0f;
      factors[factorOff + 3] = 0f;
      if (exBits > 0) {
        Arrays.fill(exPlanes, slot * exBits * words, (slot + 1) * exBits * words, 0L);
        exFactors[slot * EX_FACTORS] = 0f;
        exFactors[slot * EX_FACTORS + 1] = 0f;
      }
      return;
    }
    double sumAbs = 0;
    int popcount = 0;
    for (int w = 0; w < words; w++) {
      long bits = 0;
      for (int j = 0; j < 64; j++) {
        int i = w * 64 + j;
        float u = (float) (residual[i] / norm);
        unit[i] = u;
        sumAbs += Math.abs(u);
        if (u > 0) {
          bits |= 1L << j;
        }
      }
      signCodes[codeOff + w] = bits;
      popcount += Long.bitCount(bits);
    }
    double ip = sumAbs / Math.sqrt(paddedDim);
    factors[factorOff + 1] = (float) (norm / ip);
    factors[factorOff + 2] = (float) errorFactor(norm, ip);
    factors[factorOff + 3] = popcount;
    if (exBits > 0) {
      encodeExtended(norm, slot, exPlanes, exFactors);
    }
  }

  private double errorFactor(double norm, double ip) {
    double sinOverCos = Math.sqrt(Math.max(0, 1 - ip * ip)) / ip;
    return norm * sinOverCos / Math.sqrt(paddedDim - 1);
  }

  private void encodeExtended(double norm, int slot, long[] exPlanes, float[] exFactors) {
    int maxLevel = (1 << exBits) - 1;
    double t = bestScale(maxLevel);
    double yu = 0;
    double yy = 0;
    int planeOff = slot * exBits * words;
    Arrays.fill(exPlanes, planeOff, planeOff + exBits * words, 0L);
    for (int i = 0; i < paddedDim; i++) {
      double a = Math.abs(unit[i]);
      int e = (int) Math.min(Math.floor(t * a), maxLevel);
      double m = e + 0.5;
      yu += m * a;
      yy += m * m;
      int stored = unit[i] > 0 ? e : maxLevel - e;
      int w = i >>> 6;
      long bit = 1L << (i & 63);
      for (int p = 0; p < exBits; p++) {
        if (((stored >>> p) & 1) != 0) {
          exPlanes[planeOff + p * words + w] |= bit;
        }
      }
    }
    double ip = yu / Math.sqrt(yy);
    exFactors[slot * EX_FACTORS] = (float) (norm / yu);
    exFactors[slot * EX_FACTORS + 1] = (float) errorFactor(norm, ip);
  }

  /**
   * The scaling t maximizing {@code <y,u>/|y|}, by walking, in increasing t, the points where
   * some {@code e_i} steps up (a min-heap of next step times), from {@code t0 = f * L / max|u|}
   * (f = 1 - 2/(L+1): below it the largest coordinate would use too few levels) to
   * {@code (L + 1) / max|u|}, one level past the point where the largest coordinate saturates.
   * Each step updates both sums in O(1).
   */
  private double bestScale(int maxLevel) {
    double maxAbs = 0;
    for (int i = 0; i < paddedDim; i++) {
      maxAbs = Math.max(maxAbs, Math.abs(unit[i]));
    }
    double tStart = Math.max(0, 1 - 2.0 / (maxLevel + 1)) * maxLevel / maxAbs;
    double tEnd = (maxLevel + 1) / maxAbs;
    double yu = 0;
    double yy = 0;
    int heapSize = 0;
    for (int i = 0; i < paddedDim; i++) {
      double a = Math.abs(unit[i]);
      int e = (int) Math.min(Math.floor(tStart * a), maxLevel);
      levels[i] = e;
      yu += (e + 0.5) * a;
      yy += (e + 0.5) * (e + 0.5);
      if (e < maxLevel && a > 0) {
        eventTime[i] = (e + 1) / a;
        heap[heapSize] = i;
        siftUp(heapSize++);
      }
    }
    double best = yu / Math.sqrt(yy);
    double bestT = tStart;
    while (heapSize > 0) {
      int i = heap[0];
      double t = eventTime[i];
      if (t >= tEnd) {
        break;
      }
      double a = Math.abs(unit[i]);
      int e = levels[i];
      yu += a;
      yy += 2 * e + 2; // (e + 1.5)^2 - (e + 0.5)^2
      levels[i] = e + 1;
      double value = yu / Math.sqrt(yy);
      if (value > best) {
        best = value;
        bestT = t;
      }
      if (e + 1 < maxLevel) {
        eventTime[i] = (e + 2) / a;
      } else {
        heap[0] = heap[--heapSize];
      }
      siftDown(0, heapSize);
    }
    // Step just past the event so floor(t * a) lands on the level reached there.
    return bestT * (1 + 1e-9);
  }

  private void siftUp(int pos) {
    int item = heap[pos];
    while (pos > 0) {
      int parent = (pos - 1) >>> 1;
      if (!before(item, heap[parent])) {
        break;
      }
      heap[pos] = heap[parent];
      pos = parent;
    }
    heap[pos] = item;
  }

  private void siftDown(int pos, int size) {
    if (size == 0) {
      return;
    }
    int item = heap[pos];
    while (true) {
      int l = 2 * pos + 1;
      if (l >= size) {
        break;
      }
      int r = l + 1;
      int child = r < size && before(heap[r], heap[l]) ? r : l;
      if (!before(heap[child], item)) {
        break;
      }
      heap[pos] = heap[child];
      pos = child;
    }
    heap[pos] = item;
  }

  /** Event order: earlier time first, ties by coordinate index (deterministic). */
  private boolean before(int i, int j) {
    return eventTime[i] < eventTime[j] || (eventTime[i] == eventTime[j] && i < j);
  }
}
