package io.lakeann.core.quant;

import io.lakeann.core.kernel.Kernels;
import io.lakeann.core.util.SplitMix64;
import java.util.Arrays;

/**
 * A random orthogonal transform of R^dim into R^paddedDim, applied in O(D log D).
 *
 * <p>The input is zero-padded to {@code paddedDim}, the next multiple of 64 (one code word), and
 * then passes through {@link #ROUNDS} rounds. Each round flips the sign of every coordinate by a
 * seeded random sign and applies a normalized Walsh-Hadamard transform to a block of
 * {@code block} coordinates, {@code block} being the largest power of two not above
 * {@code paddedDim}. Even rounds transform the leading block, odd rounds the trailing one, so
 * when {@code paddedDim} is not a power of two the two overlapping blocks mix every coordinate
 * with every other. Each step is orthogonal, so the whole transform preserves norms and inner
 * products exactly (up to float rounding).
 *
 * <p>Immutable after construction; safe to share across threads.
 */
public final class HadamardRotation {
  /** Rounds of sign flip + block Hadamard. */
  public static final int ROUNDS = 4;
  private static final long PURPOSE = 0x524F544154494F4EL; // "ROTATION"

  private final int dim;
  private final int paddedDim;
  private final int block;
  private final float scale;
  private final float[] signs;

  public HadamardRotation(int dim, long seed) {
    this(dim, randomSigns(paddedDim(dim), seed));
  }

  private static float[] randomSigns(int paddedDim, long seed) {
    float[] signs = new float[ROUNDS * paddedDim];
    SplitMix64 rng = SplitMix64.forPurpose(seed, PURPOSE);
    for (int i = 0; i < signs.length; i += 64) {
      long bits = rng.nextLong();
      for (int j = 0; j < 64 && i + j < signs.length; j++) {
        signs[i + j] = ((bits >>> j) & 1) == 0 ? 1f : -1f;
      }
    }
    return signs;
  }

  /**
   * The rotation with the given signs ({@link #ROUNDS} rounds of {@code paddedDim(dim)} values,
   * each 1 or -1), as read back from an rbpx file; the caller has checked them.
   */
  public HadamardRotation(int dim, float[] signs) {
    this.dim = dim;
    this.paddedDim = paddedDim(dim);
    this.block = Integer.highestOneBit(paddedDim);
    this.scale = (float) (1 / Math.sqrt(block));
    this.signs = signs;
  }

  /** The rotated dimension for input dimension {@code dim}: a multiple of 64. */
  public static int paddedDim(int dim) {
    return Math.addExact(dim, 63) / 64 * 64;
  }

  public int dim() {
    return dim;
  }

  public int paddedDim() {
    return paddedDim;
  }

  /** The random signs, round by round; shared, do not modify. */
  public float[] signs() {
    return signs;
  }

  /**
   * Writes the rotation of {@code src[srcOff, srcOff+dim)} into {@code dst[0, paddedDim)}.
   * {@code dst} must not alias {@code src}.
   */
  public void rotate(float[] src, int srcOff, float[] dst) {
    System.arraycopy(src, srcOff, dst, 0, dim);
    Arrays.fill(dst, dim, paddedDim, 0f);
    for (int round = 0; round < ROUNDS; round++) {
      int signOff = round * paddedDim;
      for (int i = 0; i < paddedDim; i++) {
        dst[i] *= signs[signOff + i];
      }
      int start = (round & 1) == 0 ? 0 : paddedDim - block;
      Kernels.walshHadamard(dst, start, block);
      for (int i = start; i < start + block; i++) {
        dst[i] *= scale;
      }
    }
  }
}
