package io.lakeann.core.kernel;

import java.util.Arrays;

/** Plain-Java kernels: the reference implementation and the fallback when SIMD is unavailable. */
public final class ScalarKernels implements VectorKernels {

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public float dot(float[] a, int aOff, float[] b, int bOff, int len) {
    return reduce(a, aOff, b, bOff, len, false);
  }

  @Override
  public float squaredDistance(float[] a, int aOff, float[] b, int bOff, int len) {
    return reduce(a, aOff, b, bOff, len, true);
  }

  /**
   * Sum of {@code a_i * b_i}, or of {@code (a_i - b_i)^2} when {@code distance}, in the order of
   * {@link Reductions}.
   */
  private static float reduce(float[] a, int aOff, float[] b, int bOff, int len,
      boolean distance) {
    float[] c = Reductions.buffer();
    Arrays.fill(c, 0f);
    int full = Reductions.blocked(len);
    for (int i = 0; i < full; i += Reductions.CHAINS) {
      for (int j = 0; j < Reductions.CHAINS; j++) {
        c[j] = Reductions.step(a[aOff + i + j], b[bOff + i + j], c[j], distance);
      }
    }
    for (int j = 0; j < Reductions.HALF; j++) {
      c[j] += c[j + Reductions.HALF];
    }
    float sum = Reductions.foldSixteen(c);
    for (int i = full; i < len; i++) {
      sum = Reductions.step(a[aOff + i], b[bOff + i], sum, distance);
    }
    return sum;
  }

  @Override
  public void dotPanels(float[] rows, int rowOff, int rowCount, int dim, float[] panels, int cols,
      float[] out, int outOff) {
    int paddedCols = VectorKernels.panelColumns(cols);
    float[] acc = new float[PANEL_WIDTH];
    for (int r = 0; r < rowCount; r++) {
      int rowBase = rowOff + r * dim;
      for (int panel = 0; panel < paddedCols; panel += PANEL_WIDTH) {
        Arrays.fill(acc, 0f);
        int base = panel * dim;
        for (int d = 0; d < dim; d++) {
          float x = rows[rowBase + d];
          int p = base + d * PANEL_WIDTH;
          for (int lane = 0; lane < PANEL_WIDTH; lane++) {
            // Fused, like the SIMD kernel: both give bit-identical results.
            acc[lane] = Math.fma(x, panels[p + lane], acc[lane]);
          }
        }
        System.arraycopy(acc, 0, out, outOff + r * paddedCols + panel, PANEL_WIDTH);
      }
    }
  }

  @Override
  public void walshHadamard(float[] x, int off, int len) {
    for (int h = 1; h < len; h <<= 1) {
      butterflies(x, off, len, h, 0, h);
    }
  }

  /**
   * One stage of the transform restricted to positions {@code [from, to)} inside each half-block
   * of size {@code h}: {@code (a, b) -> (a + b, a - b)} for {@code a = x[i+j], b = x[i+j+h]}.
   */
  static void butterflies(float[] x, int off, int len, int h, int from, int to) {
    for (int i = off; i < off + len; i += h << 1) {
      for (int j = i + from; j < i + to; j++) {
        float a = x[j];
        float b = x[j + h];
        x[j] = a + b;
        x[j + h] = a - b;
      }
    }
  }

  @Override
  public void bitPlaneDots(long[] codes, int firstCode, int count, int words, long[] planes,
      int planeCount, long[] out) {
    if (planeCount == 4) {
      bitPlaneDots4(codes, firstCode, count, words, planes, out);
      return;
    }
    for (int i = 0; i < count; i++) {
      out[i] = bitPlaneDot(codes, (firstCode + i) * words, planes, planeCount, words);
    }
  }

  /** The 4-plane case of the 1-bit search stage, unrolled: one pass over each code word. */
  private static void bitPlaneDots4(long[] codes, int firstCode, int count, int words,
      long[] planes, long[] out) {
    int p1 = words;
    int p2 = 2 * words;
    int p3 = 3 * words;
    for (int i = 0; i < count; i++) {
      int off = (firstCode + i) * words;
      long c0 = 0;
      long c1 = 0;
      long c2 = 0;
      long c3 = 0;
      for (int w = 0; w < words; w++) {
        long code = codes[off + w];
        c0 += Long.bitCount(code & planes[w]);
        c1 += Long.bitCount(code & planes[p1 + w]);
        c2 += Long.bitCount(code & planes[p2 + w]);
        c3 += Long.bitCount(code & planes[p3 + w]);
      }
      out[i] = c0 + (c1 << 1) + (c2 << 2) + (c3 << 3);
    }
  }

  @Override
  public long bitPlaneDot(long[] codes, int codeOff, long[] planes, int planeCount, int words) {
    long total = 0;
    for (int p = 0; p < planeCount; p++) {
      int planeOff = p * words;
      long count = 0;
      for (int w = 0; w < words; w++) {
        count += Long.bitCount(codes[codeOff + w] & planes[planeOff + w]);
      }
      total += count << p;
    }
    return total;
  }
}
