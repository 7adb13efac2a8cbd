package io.lakeann.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scalar and SIMD kernels compute the same bits (every kernel fixes its order of operations),
 * checked on random inputs of many lengths, odd ones included. Each kernel is also checked
 * against a naive double-precision reference within 1e-5 of the condition of the sum, so the two
 * cannot agree on a wrong answer.
 *
 * <p>Float tolerance: a float sum of n products is exact up to rounding, and the rounding error of
 * any summation order is bounded by a multiple of {@code sum |x_i * y_i|}, not of the result (which
 * may cancel to near zero). So two summation orders, or one order and the exact value, must agree
 * within {@code 1e-5 * sum |x_i * y_i|}; a tiny absolute term covers an all-zero sum.
 */
class KernelParityTest {
  /** Odd and awkward lengths around every unrolling and vector width (4, 8, 16, 32 lanes). */
  private static final int[] DIMS = {0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65,
      100, 127, 128, 129, 768, 1000, 1024, 1031};
  private static final double REL = 1e-5;
  private static final double ABS = 1e-30;

  private static final VectorKernels SCALAR = Kernels.scalar();
  private static final VectorKernels SIMD = Kernels.simdOrNull();

  private static VectorKernels simd() {
    assumeTrue(SIMD != null, "SIMD kernels unavailable in this JVM (needs --add-modules "
        + "jdk.incubator.vector and >= 128-bit vectors); scalar/SIMD parity NOT checked");
    return SIMD;
  }

  @Test
  void chosenKernelsAreSimdWhenTheVectorModuleIsPresent() {
    simd();
    assumeTrue(System.getProperty("lakeann.kernels") == null,
        "kernel choice forced by -Dlakeann.kernels");
    assertTrue(Kernels.get().name().startsWith("panama"),
        "SIMD is available but Kernels.get() is " + Kernels.get().name());
    assertEquals(SIMD.name(), Kernels.get().name());
  }

  @Test
  void scalarKernelsAreNamedScalar() {
    assertEquals("scalar", SCALAR.name());
  }

  // ---- dot and squaredDistance ----

  /** The two kernels that reduce a pair of vectors to one float, with their exact references. */
  enum PairKernel {
    DOT {
      @Override
      float run(VectorKernels k, float[] a, int aOff, float[] b, int bOff, int len) {
        return k.dot(a, aOff, b, bOff, len);
      }

      @Override
      double term(double x, double y) {
        return x * y;
      }
    },
    SQUARED_DISTANCE {
      @Override
      float run(VectorKernels k, float[] a, int aOff, float[] b, int bOff, int len) {
        return k.squaredDistance(a, aOff, b, bOff, len);
      }

      @Override
      double term(double x, double y) {
        return (x - y) * (x - y);
      }
    };

    abstract float run(VectorKernels k, float[] a, int aOff, float[] b, int bOff, int len);

    /** One summand of the exact result. */
    abstract double term(double x, double y);

    double reference(float[] a, int aOff, float[] b, int bOff, int len) {
      double sum = 0;
      for (int i = 0; i < len; i++) {
        sum += term(a[aOff + i], b[bOff + i]);
      }
      return sum;
    }

    /** Sum of the absolute summands: the scale of any summation order's rounding error. */
    double condition(float[] a, int aOff, float[] b, int bOff, int len) {
      double sum = 0;
      for (int i = 0; i < len; i++) {
        sum += Math.abs(term(a[aOff + i], b[bOff + i]));
      }
      return sum;
    }
  }

  @ParameterizedTest
  @EnumSource(PairKernel.class)
  void scalarPairKernelMatchesDoublePrecisionReference(PairKernel kernel) {
    checkAgainstReference(kernel, SCALAR);
  }

  @ParameterizedTest
  @EnumSource(PairKernel.class)
  void simdPairKernelMatchesDoublePrecisionReference(PairKernel kernel) {
    checkAgainstReference(kernel, simd());
  }

  /** Searches and builds rely on this: one summation order in every implementation. */
  @ParameterizedTest
  @EnumSource(PairKernel.class)
  void simdPairKernelIsBitIdenticalToScalar(PairKernel kernel) {
    VectorKernels simd = simd();
    forRandomPairs(kernel.ordinal() + 11, (a, aOff, b, bOff, dim, what) -> assertEquals(
        kernel.run(SCALAR, a, aOff, b, bOff, dim), kernel.run(simd, a, aOff, b, bOff, dim),
        0f, what));
  }

  private static void checkAgainstReference(PairKernel kernel, VectorKernels k) {
    forRandomPairs(kernel.ordinal() + 21, (a, aOff, b, bOff, dim, what) -> assertClose(
        kernel.reference(a, aOff, b, bOff, dim), kernel.run(k, a, aOff, b, bOff, dim),
        kernel.condition(a, aOff, b, bOff, dim), k.name() + " " + what));
  }

  /** A check of one random pair of vectors at offsets. */
  @FunctionalInterface
  interface PairCheck {
    void check(float[] a, int aOff, float[] b, int bOff, int dim, String what);
  }

  /** Five random pairs at random offsets for every length in {@link #DIMS}. */
  private static void forRandomPairs(long seed, PairCheck check) {
    Random rnd = new Random(seed);
    for (int dim : DIMS) {
      for (int trial = 0; trial < 5; trial++) {
        int aOff = rnd.nextInt(5);
        int bOff = rnd.nextInt(5);
        check.check(gaussian(rnd, aOff + dim), aOff, gaussian(rnd, bOff + dim), bOff, dim,
            "dim " + dim + " trial " + trial);
      }
    }
  }

  @Test
  void dotAndDistanceOfEmptyRangeAreZero() {
    float[] a = {1, 2, 3};
    for (VectorKernels k : available()) {
      assertEquals(0f, k.dot(a, 1, a, 2, 0), k.name());
      assertEquals(0f, k.squaredDistance(a, 1, a, 0, 0), k.name());
    }
  }
  @Test
  void dotReadsOnlyItsRange() {
    // Values outside [off, off + len) are huge: any stray read would show in the result.
    for (VectorKernels k : available()) {
      for (int dim : DIMS) {
        float[] a = new float[dim + 40];
        float[] b = new float[dim + 40];
        Arrays.fill(a, 1e30f);
        Arrays.fill(b, 1e30f);
        Arrays.fill(a, 20, 20 + dim, 1f);
        Arrays.fill(b, 7, 7 + dim, 2f);
        assertEquals(2f * dim, k.dot(a, 20, b, 7, dim), k.name() + " dim " + dim);
        assertEquals(dim, k.squaredDistance(a, 20, b, 7, dim), k.name() + " dim " + dim);
      }
    }
  }
  @Test
  void squaredDistanceOfAVectorToItselfIsZero() {
    Random rnd = new Random(22);
    for (VectorKernels k : available()) {
      for (int dim : DIMS) {
        float[] a = gaussian(rnd, dim);
        assertEquals(0f, k.squaredDistance(a, 0, a.clone(), 0, dim), k.name() + " dim " + dim);
      }
    }
  }
  // ---- dotPanels ----

  /** 1..9 rows hit the 4-row blocks and every remainder; columns straddle the 16-wide panels. */
  @ParameterizedTest(name = "{0} columns")
  @ValueSource(ints = {1, 2, 15, 16, 17, 31, 32, 33, 48})
  void scalarDotPanelsMatchesDoublePrecisionReference(int cols) {
    checkPanelsAgainstReference(SCALAR, cols);
  }

  @ParameterizedTest(name = "{0} columns")
  @ValueSource(ints = {1, 2, 15, 16, 17, 31, 32, 33, 48})
  void simdDotPanelsMatchesDoublePrecisionReference(int cols) {
    checkPanelsAgainstReference(simd(), cols);
  }

  /** Builds rely on this: every entry is the same chain of fused multiply-adds in both kernels. */
  @ParameterizedTest(name = "{0} columns")
  @ValueSource(ints = {1, 2, 15, 16, 17, 31, 32, 33, 48, 64, 65})
  void simdDotPanelsIsBitIdenticalToScalar(int cols) {
    VectorKernels simd = simd();
    Random rnd = new Random(31 + cols);
    for (int dim : new int[] {1, 3, 16, 17, 100, 1000}) {
      float[] panels = VectorKernels.packPanels(gaussian(rnd, cols * dim), cols, dim);
      int paddedCols = VectorKernels.panelColumns(cols);
      for (int rowCount = 1; rowCount <= 9; rowCount++) {
        float[] rows = gaussian(rnd, rowCount * dim);
        float[] s = new float[rowCount * paddedCols];
        float[] v = new float[rowCount * paddedCols];
        SCALAR.dotPanels(rows, 0, rowCount, dim, panels, cols, s, 0);
        simd.dotPanels(rows, 0, rowCount, dim, panels, cols, v, 0);
        assertArrayEquals(s, v, "dim " + dim + " rows " + rowCount);
      }
    }
  }

  @Test
  void dotPanelsWritesOnlyItsBlockOfTheOutput() {
    // Rows start at an offset and the output sits between sentinels that must survive.
    int dim = 17;
    int cols = 17;
    int paddedCols = VectorKernels.panelColumns(cols);
    Random rnd = new Random(41);
    float[] panels = VectorKernels.packPanels(gaussian(rnd, cols * dim), cols, dim);
    for (VectorKernels k : available()) {
      for (int rowCount = 1; rowCount <= 9; rowCount++) {
        float[] rows = gaussian(rnd, 3 + rowCount * dim);
        float[] out = new float[5 + rowCount * paddedCols + 5];
        Arrays.fill(out, -7f);
        k.dotPanels(rows, 3, rowCount, dim, panels, cols, out, 5);
        for (int i = 0; i < 5; i++) {
          assertEquals(-7f, out[i], k.name() + " wrote before outOff");
          assertEquals(-7f, out[out.length - 1 - i], k.name() + " wrote past its block");
        }
        float[] alone = new float[rowCount * paddedCols];
        k.dotPanels(Arrays.copyOfRange(rows, 3, rows.length), 0, rowCount, dim, panels, cols,
            alone, 0);
        assertArrayEquals(alone, Arrays.copyOfRange(out, 5, 5 + alone.length),
            k.name() + ": offsets change the result, rows " + rowCount);
      }
    }
  }

  @Test
  void packPanelsPutsColumnComponentsSideBySideAndZeroPadsTheLastPanel() {
    int dim = 2;
    int cols = 17;
    float[] columns = new float[cols * dim];
    for (int c = 0; c < cols; c++) {
      columns[c * dim] = 100 + c;
      columns[c * dim + 1] = 200 + c;
    }
    float[] panels = VectorKernels.packPanels(columns, cols, dim);
    assertEquals(32 * dim, panels.length);
    // Panel 0, dimension 1, lane 5 is column 5's second component.
    assertEquals(205f, panels[16 + 5]);
    // Panel 1 holds column 16 in lane 0 and zeros elsewhere.
    assertEquals(116f, panels[32]);
    assertEquals(216f, panels[48]);
    for (int lane = 1; lane < 16; lane++) {
      assertEquals(0f, panels[32 + lane]);
      assertEquals(0f, panels[48 + lane]);
    }
  }

  private static void checkPanelsAgainstReference(VectorKernels k, int cols) {
    Random rnd = new Random(51 + cols);
    for (int dim : new int[] {1, 3, 16, 17, 100, 1000}) {
      float[] columns = gaussian(rnd, cols * dim);
      float[] panels = VectorKernels.packPanels(columns, cols, dim);
      int paddedCols = VectorKernels.panelColumns(cols);
      for (int rowCount = 1; rowCount <= 9; rowCount++) {
        float[] rows = gaussian(rnd, rowCount * dim);
        float[] out = new float[rowCount * paddedCols];
        Arrays.fill(out, Float.NaN); // padding columns must be written as 0, not left alone
        k.dotPanels(rows, 0, rowCount, dim, panels, cols, out, 0);
        for (int r = 0; r < rowCount; r++) {
          for (int c = 0; c < paddedCols; c++) {
            float got = out[r * paddedCols + c];
            String where = k.name() + " dim " + dim + " rows " + rowCount + " row " + r
                + " col " + c;
            if (c >= cols) {
              assertEquals(0f, got, where + " (padding)");
              continue;
            }
            double exact = 0;
            for (int d = 0; d < dim; d++) {
              exact += (double) rows[r * dim + d] * columns[c * dim + d];
            }
            assertClose(exact, got, PairKernel.DOT.condition(rows, r * dim, columns, c * dim, dim), where);
          }
        }
      }
    }
  }

  // ---- walshHadamard ----

  @Test
  void simdWalshHadamardIsBitIdenticalToScalar() {
    VectorKernels simd = simd();
    Random rnd = new Random(61);
    for (int len = 1; len <= 4096; len <<= 1) {
      for (int off : new int[] {0, 3, 64}) {
        float[] x = gaussian(rnd, off + len + 5);
        float[] s = x.clone();
        float[] v = x.clone();
        SCALAR.walshHadamard(s, off, len);
        simd.walshHadamard(v, off, len);
        for (int i = 0; i < x.length; i++) {
          assertEquals(Float.floatToRawIntBits(s[i]), Float.floatToRawIntBits(v[i]),
              "len " + len + " off " + off + " index " + i);
        }
      }
    }
  }

  @Test
  void scalarWalshHadamardMatchesHadamardMatrixProduct() {
    checkHadamardAgainstMatrix(SCALAR);
  }

  @Test
  void simdWalshHadamardMatchesHadamardMatrixProduct() {
    checkHadamardAgainstMatrix(simd());
  }

  /** H[i][j] = (-1)^popcount(i AND j), unnormalized; elements outside the range are untouched. */
  private static void checkHadamardAgainstMatrix(VectorKernels k) {
    Random rnd = new Random(62);
    for (int len = 1; len <= 512; len <<= 1) {
      int off = 5;
      float[] x = gaussian(rnd, off + len + 5);
      float[] y = x.clone();
      k.walshHadamard(y, off, len);
      double sumAbs = 0;
      for (int j = 0; j < len; j++) {
        sumAbs += Math.abs(x[off + j]);
      }
      for (int i = 0; i < len; i++) {
        double exact = 0;
        for (int j = 0; j < len; j++) {
          exact += (Integer.bitCount(i & j) & 1) == 0 ? x[off + j] : -x[off + j];
        }
        assertClose(exact, y[off + i], sumAbs, k.name() + " len " + len + " index " + i);
      }
      for (int i = 0; i < off; i++) {
        assertEquals(x[i], y[i], k.name() + " changed index " + i + " before the range");
        assertEquals(x[x.length - 1 - i], y[y.length - 1 - i], k.name() + " changed past range");
      }
    }
  }

  // ---- bitPlaneDot ----

  @Test
  void scalarBitPlaneDotMatchesPerDimensionReference() {
    checkBitPlaneAgainstReference(SCALAR);
  }

  @Test
  void simdBitPlaneDotMatchesPerDimensionReference() {
    checkBitPlaneAgainstReference(simd());
  }

  @Test
  void simdBitPlaneDotIsIdenticalToScalar() {
    VectorKernels simd = simd();
    Random rnd = new Random(71);
    for (int words = 1; words <= 17; words++) {
      for (int planeCount = 1; planeCount <= 8; planeCount++) {
        long[] codes = randomLongs(rnd, 3 * words);
        long[] planes = randomLongs(rnd, planeCount * words);
        for (int codeOff : new int[] {0, words, 2 * words}) {
          assertEquals(SCALAR.bitPlaneDot(codes, codeOff, planes, planeCount, words),
              simd.bitPlaneDot(codes, codeOff, planes, planeCount, words),
              "words " + words + " planes " + planeCount + " codeOff " + codeOff);
        }
      }
    }
  }

  @Test
  void bitPlaneDotOfAllOnesIsEveryDimensionTimesTheLargestValue() {
    for (VectorKernels k : available()) {
      for (int planeCount = 1; planeCount <= 8; planeCount++) {
        int words = 3;
        long[] codes = new long[words];
        long[] planes = new long[planeCount * words];
        Arrays.fill(codes, -1L);
        Arrays.fill(planes, -1L);
        assertEquals(64L * words * ((1L << planeCount) - 1),
            k.bitPlaneDot(codes, 0, planes, planeCount, words), k.name() + " " + planeCount);
      }
    }
  }

  @Test
  void bitPlaneDotsOfConsecutiveCodesEqualOneBitPlaneDotPerCode() {
    // Every plane count, including 4 (the unrolled path of the 1-bit search stage).
    Random rnd = new Random(73);
    for (VectorKernels k : available()) {
      for (int words = 1; words <= 5; words++) {
        for (int planeCount = 1; planeCount <= 8; planeCount++) {
          long[] codes = randomLongs(rnd, 12 * words);
          long[] planes = randomLongs(rnd, planeCount * words);
          for (int firstCode : new int[] {0, 1, 5}) {
            for (int count = 0; count <= 12 - firstCode; count += 3) {
              long[] out = new long[count + 2];
              Arrays.fill(out, -1L);
              k.bitPlaneDots(codes, firstCode, count, words, planes, planeCount, out);
              String where = k.name() + " words " + words + " planes " + planeCount
                  + " first " + firstCode + " count " + count;
              for (int i = 0; i < count; i++) {
                assertEquals(SCALAR.bitPlaneDot(codes, (firstCode + i) * words, planes,
                    planeCount, words), out[i], where + " code " + i);
              }
              assertEquals(-1L, out[count], where + ": wrote past count");
              assertEquals(-1L, out[count + 1], where + ": wrote past count");
            }
          }
        }
      }
    }
  }

  /** sum over dimensions i of code_i * v_i, with v_i assembled from bit i of each plane. */
  private static void checkBitPlaneAgainstReference(VectorKernels k) {
    Random rnd = new Random(72);
    for (int words = 1; words <= 5; words++) {
      for (int planeCount = 1; planeCount <= 8; planeCount++) {
        int codeOff = rnd.nextInt(3);
        long[] codes = randomLongs(rnd, codeOff + words);
        long[] planes = randomLongs(rnd, planeCount * words);
        long exact = 0;
        for (int i = 0; i < 64 * words; i++) {
          long codeBit = (codes[codeOff + i / 64] >>> (i % 64)) & 1;
          long v = 0;
          for (int p = 0; p < planeCount; p++) {
            v |= ((planes[p * words + i / 64] >>> (i % 64)) & 1) << p;
          }
          exact += codeBit * v;
        }
        assertEquals(exact, k.bitPlaneDot(codes, codeOff, planes, planeCount, words),
            k.name() + " words " + words + " planes " + planeCount);
      }
    }
  }

  // ---- helpers ----

  private static VectorKernels[] available() {
    return SIMD == null ? new VectorKernels[] {SCALAR} : new VectorKernels[] {SCALAR, SIMD};
  }

  private static float[] gaussian(Random rnd, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) rnd.nextGaussian();
    }
    return x;
  }

  private static long[] randomLongs(Random rnd, int n) {
    long[] x = new long[n];
    for (int i = 0; i < n; i++) {
      x[i] = rnd.nextLong();
    }
    return x;
  }


  private static void assertClose(double expected, double actual, double condition, String what) {
    double tolerance = REL * condition + ABS;
    assertTrue(Math.abs(expected - actual) <= tolerance, () -> what + ": expected " + expected
        + " but got " + actual + " (difference " + Math.abs(expected - actual)
        + " > tolerance " + tolerance + ")");
  }
}
