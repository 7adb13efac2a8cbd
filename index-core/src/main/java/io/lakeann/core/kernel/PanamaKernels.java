package io.lakeann.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels on {@code jdk.incubator.vector}, using the platform's preferred float species.
 *
 * <p>Only {@link Kernels} loads this class, and only after checking that the incubator module is
 * present; referencing it elsewhere would fail class loading on a JVM started without
 * {@code --add-modules jdk.incubator.vector}. The bit-plane dot products stay scalar: JDK 17's
 * incubator API has no lane-wise popcount, and {@link Long#bitCount} compiles to POPCNT.
 */
final class PanamaKernels implements VectorKernels {

  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();
  /** {@code SHIFTS[s]} moves lane {@code j + 2^s} to lane {@code j} (wrapping). */
  private static final VectorShuffle<Float>[] SHIFTS = shifts();

  private final ScalarKernels scalar = new ScalarKernels();

  @SuppressWarnings("unchecked")
  private static VectorShuffle<Float>[] shifts() {
    VectorShuffle<Float>[] out = new VectorShuffle[Integer.numberOfTrailingZeros(LANES) + 1];
    for (int s = 0; s < out.length; s++) {
      int by = 1 << s;
      out[s] = VectorShuffle.fromOp(SPECIES, j -> (j + by) % LANES);
    }
    return out;
  }

  /** True when the preferred species is wide enough to beat the scalar loops. */
  static boolean supported() {
    return LANES >= 4;
  }

  @Override
  public String name() {
    return "panama-" + SPECIES.vectorBitSize();
  }

  @Override
  public float dot(float[] a, int aOff, float[] b, int bOff, int len) {
    return LANES == 16 || LANES == 8 ? reduce(a, aOff, b, bOff, len, false)
        : scalar.dot(a, aOff, b, bOff, len);
  }

  @Override
  public float squaredDistance(float[] a, int aOff, float[] b, int bOff, int len) {
    return LANES == 16 || LANES == 8 ? reduce(a, aOff, b, bOff, len, true)
        : scalar.squaredDistance(a, aOff, b, bOff, len);
  }

  /**
   * Sum of {@code a_i * b_i}, or of {@code (a_i - b_i)^2} when {@code distance}, in the order of
   * {@link Reductions}: 32 chains as two 16-lane or four 8-lane accumulators.
   */
  private static float reduce(float[] a, int aOff, float[] b, int bOff, int len,
      boolean distance) {
    int full = Reductions.blocked(len);
    float sum;
    if (LANES == 16) {
      FloatVector c0 = FloatVector.zero(SPECIES);
      FloatVector c1 = c0;
      for (int i = 0; i < full; i += Reductions.CHAINS) {
        c0 = step(a, aOff + i, b, bOff + i, c0, distance);
        c1 = step(a, aOff + i + 16, b, bOff + i + 16, c1, distance);
      }
      sum = fold(c0.add(c1), 8);
    } else {
      FloatVector c0 = FloatVector.zero(SPECIES);
      FloatVector c1 = c0;
      FloatVector c2 = c0;
      FloatVector c3 = c0;
      for (int i = 0; i < full; i += Reductions.CHAINS) {
        c0 = step(a, aOff + i, b, bOff + i, c0, distance);
        c1 = step(a, aOff + i + 8, b, bOff + i + 8, c1, distance);
        c2 = step(a, aOff + i + 16, b, bOff + i + 16, c2, distance);
        c3 = step(a, aOff + i + 24, b, bOff + i + 24, c3, distance);
      }
      sum = fold(c0.add(c2).add(c1.add(c3)), 4);
    }
    for (int i = full; i < len; i++) {
      sum = Reductions.step(a[aOff + i], b[bOff + i], sum, distance);
    }
    return sum;
  }

  /** One fused step of {@link #reduce} on a vector of lanes. */
  private static FloatVector step(float[] a, int aOff, float[] b, int bOff, FloatVector acc,
      boolean distance) {
    FloatVector x = FloatVector.fromArray(SPECIES, a, aOff);
    FloatVector y = FloatVector.fromArray(SPECIES, b, bOff);
    if (distance) {
      FloatVector d = x.sub(y);
      return d.fma(d, acc);
    }
    return x.fma(y, acc);
  }

  /**
   * The fixed fold of {@link Reductions#foldSixteen}, in registers: lane j gets lane j + width,
   * then j + width/2, ..., j + 1; returns lane 0. Only lane-wise additions and shuffles, so the
   * result is the same interpreted or compiled. {@code v} holds sums 0..LANES-1 of the sixteen
   * (for 8 lanes the caller has already added sums 8..15 onto 0..7).
   */
  private static float fold(FloatVector v, int width) {
    for (int w = width; w >= 1; w >>= 1) {
      v = v.add(v.rearrange(SHIFTS[Integer.numberOfTrailingZeros(w)]));
    }
    return v.lane(0);
  }


  @Override
  public void dotPanels(float[] rows, int rowOff, int rowCount, int dim, float[] panels, int cols,
      float[] out, int outOff) {
    if (LANES == 16) {
      dotPanels16(rows, rowOff, rowCount, dim, panels, cols, out, outOff);
    } else if (LANES == 8) {
      dotPanels8(rows, rowOff, rowCount, dim, panels, cols, out, outOff);
    } else {
      scalar.dotPanels(rows, rowOff, rowCount, dim, panels, cols, out, outOff);
    }
  }

  /**
   * 16-lane micro-kernel: four rows times one panel per step, so each panel load feeds four fused
   * multiply-adds and the accumulators stay in registers; a single row takes four panels per step
   * instead, so four independent FMA chains hide the FMA latency. Each step is its own small
   * method: C2 only keeps vectors in registers in methods it can compile whole.
   */
  private static void dotPanels16(float[] rows, int rowOff, int rowCount, int dim,
      float[] panels, int cols, float[] out, int outOff) {
    int paddedCols = VectorKernels.panelColumns(cols);
    int r = 0;
    for (; r + 3 < rowCount; r += 4) {
      for (int panel = 0; panel < paddedCols; panel += PANEL_WIDTH) {
        fourRowsOnePanel16(rows, rowOff + r * dim, dim, panels, panel * dim, out,
            outOff + r * paddedCols + panel, paddedCols);
      }
    }
    for (; r < rowCount; r++) {
      int o = outOff + r * paddedCols;
      int panel = 0;
      for (; panel + 4 * PANEL_WIDTH <= paddedCols; panel += 4 * PANEL_WIDTH) {
        oneRowFourPanels16(rows, rowOff + r * dim, dim, panels, panel * dim, out, o + panel);
      }
      for (; panel < paddedCols; panel += PANEL_WIDTH) {
        oneRowOnePanel16(rows, rowOff + r * dim, dim, panels, panel * dim, out, o + panel);
      }
    }
  }

  private static void fourRowsOnePanel16(float[] rows, int x0, int dim, float[] panels, int p,
      float[] out, int o, int outStride) {
    int x1 = x0 + dim;
    int x2 = x1 + dim;
    int x3 = x2 + dim;
    FloatVector a0 = FloatVector.zero(SPECIES);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    for (int d = 0; d < dim; d++, p += PANEL_WIDTH) {
      FloatVector c = FloatVector.fromArray(SPECIES, panels, p);
      a0 = c.fma(FloatVector.broadcast(SPECIES, rows[x0 + d]), a0);
      a1 = c.fma(FloatVector.broadcast(SPECIES, rows[x1 + d]), a1);
      a2 = c.fma(FloatVector.broadcast(SPECIES, rows[x2 + d]), a2);
      a3 = c.fma(FloatVector.broadcast(SPECIES, rows[x3 + d]), a3);
    }
    a0.intoArray(out, o);
    a1.intoArray(out, o + outStride);
    a2.intoArray(out, o + 2 * outStride);
    a3.intoArray(out, o + 3 * outStride);
  }

  private static void oneRowFourPanels16(float[] rows, int x0, int dim, float[] panels, int p,
      float[] out, int o) {
    int stride = PANEL_WIDTH * dim;
    FloatVector a0 = FloatVector.zero(SPECIES);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    for (int d = 0; d < dim; d++, p += PANEL_WIDTH) {
      FloatVector x = FloatVector.broadcast(SPECIES, rows[x0 + d]);
      a0 = FloatVector.fromArray(SPECIES, panels, p).fma(x, a0);
      a1 = FloatVector.fromArray(SPECIES, panels, p + stride).fma(x, a1);
      a2 = FloatVector.fromArray(SPECIES, panels, p + 2 * stride).fma(x, a2);
      a3 = FloatVector.fromArray(SPECIES, panels, p + 3 * stride).fma(x, a3);
    }
    a0.intoArray(out, o);
    a1.intoArray(out, o + PANEL_WIDTH);
    a2.intoArray(out, o + 2 * PANEL_WIDTH);
    a3.intoArray(out, o + 3 * PANEL_WIDTH);
  }

  private static void oneRowOnePanel16(float[] rows, int x0, int dim, float[] panels, int p,
      float[] out, int o) {
    FloatVector a0 = FloatVector.zero(SPECIES);
    for (int d = 0; d < dim; d++, p += PANEL_WIDTH) {
      a0 = FloatVector.fromArray(SPECIES, panels, p)
          .fma(FloatVector.broadcast(SPECIES, rows[x0 + d]), a0);
    }
    a0.intoArray(out, o);
  }

  /**
   * 8-lane micro-kernel: two vectors cover one panel; four rows per step, or for a single row two
   * panels per step (four FMA chains either way). Small methods for the reason given above.
   */
  private static void dotPanels8(float[] rows, int rowOff, int rowCount, int dim,
      float[] panels, int cols, float[] out, int outOff) {
    int paddedCols = VectorKernels.panelColumns(cols);
    int r = 0;
    for (; r + 3 < rowCount; r += 4) {
      for (int panel = 0; panel < paddedCols; panel += PANEL_WIDTH) {
        fourRowsOnePanel8(rows, rowOff + r * dim, dim, panels, panel * dim, out,
            outOff + r * paddedCols + panel, paddedCols);
      }
    }
    for (; r < rowCount; r++) {
      int o = outOff + r * paddedCols;
      int panel = 0;
      for (; panel + 2 * PANEL_WIDTH <= paddedCols; panel += 2 * PANEL_WIDTH) {
        oneRowPanels8(rows, rowOff + r * dim, dim, panels, panel * dim, out, o + panel, 2);
      }
      for (; panel < paddedCols; panel += PANEL_WIDTH) {
        oneRowPanels8(rows, rowOff + r * dim, dim, panels, panel * dim, out, o + panel, 1);
      }
    }
  }

  private static void fourRowsOnePanel8(float[] rows, int x0, int dim, float[] panels, int p,
      float[] out, int o, int outStride) {
    int x1 = x0 + dim;
    int x2 = x1 + dim;
    int x3 = x2 + dim;
    FloatVector a0 = FloatVector.zero(SPECIES);
    FloatVector b0 = a0;
    FloatVector a1 = a0;
    FloatVector b1 = a0;
    FloatVector a2 = a0;
    FloatVector b2 = a0;
    FloatVector a3 = a0;
    FloatVector b3 = a0;
    for (int d = 0; d < dim; d++, p += PANEL_WIDTH) {
      FloatVector lo = FloatVector.fromArray(SPECIES, panels, p);
      FloatVector hi = FloatVector.fromArray(SPECIES, panels, p + 8);
      FloatVector v0 = FloatVector.broadcast(SPECIES, rows[x0 + d]);
      FloatVector v1 = FloatVector.broadcast(SPECIES, rows[x1 + d]);
      FloatVector v2 = FloatVector.broadcast(SPECIES, rows[x2 + d]);
      FloatVector v3 = FloatVector.broadcast(SPECIES, rows[x3 + d]);
      a0 = lo.fma(v0, a0);
      b0 = hi.fma(v0, b0);
      a1 = lo.fma(v1, a1);
      b1 = hi.fma(v1, b1);
      a2 = lo.fma(v2, a2);
      b2 = hi.fma(v2, b2);
      a3 = lo.fma(v3, a3);
      b3 = hi.fma(v3, b3);
    }
    a0.intoArray(out, o);
    b0.intoArray(out, o + 8);
    a1.intoArray(out, o + outStride);
    b1.intoArray(out, o + outStride + 8);
    a2.intoArray(out, o + 2 * outStride);
    b2.intoArray(out, o + 2 * outStride + 8);
    a3.intoArray(out, o + 3 * outStride);
    b3.intoArray(out, o + 3 * outStride + 8);
  }

  /** One row against {@code count} (1 or 2) consecutive panels. */
  private static void oneRowPanels8(float[] rows, int x0, int dim, float[] panels, int p,
      float[] out, int o, int count) {
    int stride = count == 2 ? PANEL_WIDTH * dim : 0;
    FloatVector a0 = FloatVector.zero(SPECIES);
    FloatVector b0 = a0;
    FloatVector a1 = a0;
    FloatVector b1 = a0;
    for (int d = 0; d < dim; d++, p += PANEL_WIDTH) {
      FloatVector v = FloatVector.broadcast(SPECIES, rows[x0 + d]);
      a0 = FloatVector.fromArray(SPECIES, panels, p).fma(v, a0);
      b0 = FloatVector.fromArray(SPECIES, panels, p + 8).fma(v, b0);
      a1 = FloatVector.fromArray(SPECIES, panels, p + stride).fma(v, a1);
      b1 = FloatVector.fromArray(SPECIES, panels, p + stride + 8).fma(v, b1);
    }
    a0.intoArray(out, o);
    b0.intoArray(out, o + 8);
    if (count == 2) {
      a1.intoArray(out, o + PANEL_WIDTH);
      b1.intoArray(out, o + PANEL_WIDTH + 8);
    }
  }

  @Override
  public void walshHadamard(float[] x, int off, int len) {
    for (int h = 1; h < len; h <<= 1) {
      if (h < LANES) {
        ScalarKernels.butterflies(x, off, len, h, 0, h);
        continue;
      }
      // h is a multiple of LANES here: whole vectors of a's face whole vectors of b's.
      for (int i = off; i < off + len; i += h << 1) {
        for (int j = i; j < i + h; j += LANES) {
          FloatVector a = FloatVector.fromArray(SPECIES, x, j);
          FloatVector b = FloatVector.fromArray(SPECIES, x, j + h);
          a.add(b).intoArray(x, j);
          a.sub(b).intoArray(x, j + h);
        }
      }
    }
  }

  @Override
  public void bitPlaneDots(long[] codes, int firstCode, int count, int words, long[] planes,
      int planeCount, long[] out) {
    scalar.bitPlaneDots(codes, firstCode, count, words, planes, planeCount, out);
  }

  @Override
  public long bitPlaneDot(long[] codes, int codeOff, long[] planes, int planeCount, int words) {
    return scalar.bitPlaneDot(codes, codeOff, planes, planeCount, words);
  }
}
