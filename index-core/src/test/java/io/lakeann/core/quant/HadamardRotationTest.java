package io.lakeann.core.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link HadamardRotation} is an orthogonal map of R^dim into R^paddedDim: it preserves norms and
 * inner products up to float rounding, is linear, and is fixed by its seed.
 *
 * <p>Tolerances: the map is a few rounds of sign flips and butterflies, each rounding relative to
 * the magnitudes involved, so errors scale with the norms, not with the (possibly cancelling)
 * result. Norms are compared relative to |x|^2 and inner products relative to |x| |y|, the bound
 * Cauchy-Schwarz puts on them.
 */
class HadamardRotationTest {
  private static final double REL = 1e-5;

  @Test
  void paddedDimensionIsTheNextMultipleOf64() {
    int[][] cases = {{1, 64}, {3, 64}, {17, 64}, {63, 64}, {64, 64}, {65, 128}, {100, 128},
        {128, 128}, {129, 192}, {768, 768}, {1000, 1024}, {1025, 1088}};
    for (int[] c : cases) {
      assertEquals(c[1], HadamardRotation.paddedDim(c[0]), "dim " + c[0]);
      HadamardRotation r = new HadamardRotation(c[0], 1);
      assertEquals(c[0], r.dim());
      assertEquals(c[1], r.paddedDim(), "dim " + c[0]);
    }
  }

  @ParameterizedTest(name = "dim {0}")
  @ValueSource(ints = {1, 3, 17, 64, 100, 128, 129, 768, 1000})
  void preservesNorms(int dim) {
    HadamardRotation r = new HadamardRotation(dim, 42);
    Random rnd = new Random(dim);
    for (int trial = 0; trial < 10; trial++) {
      float[] x = gaussian(rnd, dim);
      double before = dot(x, x, dim);
      double after = dot(rotate(r, x), rotate(r, x), r.paddedDim());
      assertEquals(before, after, REL * before, "trial " + trial);
    }
  }

  @ParameterizedTest(name = "dim {0}")
  @ValueSource(ints = {1, 3, 17, 64, 100, 128, 129, 768, 1000})
  void preservesInnerProducts(int dim) {
    HadamardRotation r = new HadamardRotation(dim, 42);
    Random rnd = new Random(1000 + dim);
    for (int trial = 0; trial < 10; trial++) {
      float[] x = gaussian(rnd, dim);
      float[] y = gaussian(rnd, dim);
      double before = dot(x, y, dim);
      double after = dot(rotate(r, x), rotate(r, y), r.paddedDim());
      double scale = Math.sqrt(dot(x, x, dim) * dot(y, y, dim));
      assertEquals(before, after, REL * scale, "trial " + trial);
    }
  }

  @ParameterizedTest(name = "dim {0}")
  @ValueSource(ints = {1, 3, 17, 64, 100, 129})
  void imagesOfTheBasisVectorsAreOrthonormal(int dim) {
    // The columns of the map's matrix: orthonormal exactly when the map is an isometry.
    HadamardRotation r = new HadamardRotation(dim, 7);
    float[][] columns = new float[dim][];
    for (int i = 0; i < dim; i++) {
      float[] e = new float[dim];
      e[i] = 1;
      columns[i] = rotate(r, e);
    }
    for (int i = 0; i < dim; i++) {
      for (int j = i; j < dim; j++) {
        double expected = i == j ? 1 : 0;
        assertEquals(expected, dot(columns[i], columns[j], r.paddedDim()), REL,
            "columns " + i + ", " + j);
      }
    }
  }

  @ParameterizedTest(name = "dim {0}")
  @ValueSource(ints = {3, 100, 768})
  void isLinear(int dim) {
    HadamardRotation r = new HadamardRotation(dim, 42);
    Random rnd = new Random(2000 + dim);
    float[] x = gaussian(rnd, dim);
    float[] y = gaussian(rnd, dim);
    float a = 1.75f;
    float b = -0.5f;
    float[] combo = new float[dim];
    for (int i = 0; i < dim; i++) {
      combo[i] = a * x[i] + b * y[i];
    }
    float[] rx = rotate(r, x);
    float[] ry = rotate(r, y);
    float[] rCombo = rotate(r, combo);
    double scale =
        Math.abs(a) * Math.sqrt(dot(x, x, dim)) + Math.abs(b) * Math.sqrt(dot(y, y, dim));
    for (int i = 0; i < r.paddedDim(); i++) {
      assertEquals(a * (double) rx[i] + b * (double) ry[i], rCombo[i], REL * scale, "index " + i);
    }
  }

  @Test
  void sameSeedGivesBitIdenticalOutputAndOtherSeedsDiffer() {
    int dim = 100;
    float[] x = gaussian(new Random(3), dim);
    float[] once = rotate(new HadamardRotation(dim, 42), x);
    assertArrayEquals(once, rotate(new HadamardRotation(dim, 42), x));
    for (long seed : new long[] {43, 0, -42}) {
      float[] other = rotate(new HadamardRotation(dim, seed), x);
      assertFalse(Arrays.equals(once, other), "seed " + seed + " gave the same rotation");
    }
  }

  @Test
  void signsAreFixedBySeedAndAreAllPlusOrMinusOne() {
    HadamardRotation r = new HadamardRotation(100, 42);
    float[] signs = r.signs();
    assertEquals(HadamardRotation.ROUNDS * r.paddedDim(), signs.length);
    int negative = 0;
    for (float s : signs) {
      assertTrue(s == 1f || s == -1f, "sign " + s);
      negative += s < 0 ? 1 : 0;
    }
    // 512 fair coin flips: 256 +- 4 standard deviations (~ 4 * 11).
    assertTrue(Math.abs(negative - signs.length / 2) < 45, negative + " negative signs");
    assertArrayEquals(signs, new HadamardRotation(100, 42).signs());
  }

  @Test
  void spreadsASingleCoordinateOverTheWholeOutput() {
    // A rotation that left e_0 concentrated would quantize it badly; a mixing one spreads it.
    for (int dim : new int[] {64, 100, 768, 1000}) {
      HadamardRotation r = new HadamardRotation(dim, 42);
      float[] e = new float[dim];
      e[0] = 1;
      float[] out = rotate(r, e);
      float max = 0;
      for (float v : out) {
        max = Math.max(max, Math.abs(v));
      }
      assertTrue(max < 0.5f, "dim " + dim + ": a coordinate kept " + max + " of e_0");
    }
  }

  @Test
  void readsTheSourceAtItsOffsetAndOverwritesTheWholeDestination() {
    int dim = 17;
    HadamardRotation r = new HadamardRotation(dim, 42);
    float[] x = gaussian(new Random(4), dim);
    float[] clean = rotate(r, x);
    float[] shifted = new float[5 + dim + 5];
    Arrays.fill(shifted, 1e6f);
    System.arraycopy(x, 0, shifted, 5, dim);
    float[] dirty = new float[r.paddedDim()];
    Arrays.fill(dirty, Float.NaN);
    r.rotate(shifted, 5, dirty);
    assertArrayEquals(clean, dirty);
  }

  private static float[] rotate(HadamardRotation r, float[] x) {
    float[] out = new float[r.paddedDim()];
    r.rotate(x, 0, out);
    return out;
  }

  private static float[] gaussian(Random rnd, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) rnd.nextGaussian();
    }
    return x;
  }

  private static double dot(float[] a, float[] b, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }
}
