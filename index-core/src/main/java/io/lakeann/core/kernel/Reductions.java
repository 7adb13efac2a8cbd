package io.lakeann.core.kernel;

/**
 * The one summation order of {@link VectorKernels#dot} and {@link VectorKernels#squaredDistance},
 * shared by every implementation so that their results are bit-identical whatever the vector
 * width, and whether the code runs interpreted or compiled ({@code reduceLanes} promises no order
 * and does differ between the two).
 *
 * <p>The order: element {@code i} of each whole block of {@value #CHAINS} elements is fused-multiply
 * -added into chain {@code i % 32}; chain {@code j + 16} is then added to chain {@code j}; the 16
 * sums are folded pairwise (lane {@code j} gets {@code j + 8}, then {@code j + 4}, {@code j + 2},
 * {@code j + 1}); finally the tail elements are fused-multiply-added into the total in order.
 */
final class Reductions {
  /** Interleaved FMA chains per reduction. */
  static final int CHAINS = 32;
  /** Sums left after chains {@code j} and {@code j + 16} are added. */
  static final int HALF = CHAINS / 2;

  /** Per-thread buffer of {@link #CHAINS} floats, so reductions allocate nothing. */
  private static final ThreadLocal<float[]> BUFFER =
      ThreadLocal.withInitial(() -> new float[CHAINS]);

  private Reductions() {}

  /** This thread's scratch buffer of {@link #CHAINS} floats; contents undefined. */
  static float[] buffer() {
    return BUFFER.get();
  }

  /** Folds {@code c[0, 16)} pairwise in the fixed order and returns the total. */
  static float foldSixteen(float[] c) {
    for (int width = HALF / 2; width >= 1; width >>= 1) {
      for (int j = 0; j < width; j++) {
        c[j] += c[j + width];
      }
    }
    return c[0];
  }

  /** {@code acc + x * y}, or {@code acc + (x - y)^2} when {@code distance}, fused. */
  static float step(float x, float y, float acc, boolean distance) {
    if (distance) {
      float d = x - y;
      return Math.fma(d, d, acc);
    }
    return Math.fma(x, y, acc);
  }

  /** Number of elements in whole blocks of {@link #CHAINS}. */
  static int blocked(int len) {
    return len - len % CHAINS;
  }
}
