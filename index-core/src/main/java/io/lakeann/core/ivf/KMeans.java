package io.lakeann.core.ivf;

import io.lakeann.core.kernel.Kernels;
import io.lakeann.core.kernel.VectorKernels;
import io.lakeann.core.util.Parallel;
import io.lakeann.core.util.SplitMix64;
import java.util.Arrays;

/**
 * Lloyd's k-means for IVF coarse partitioning, deterministic for a given seed whatever the thread
 * count: the training sample and the initial centroids come from a seeded generator, assignment is
 * per point (parallel over fixed chunks), and centroid sums are accumulated in one fixed order in
 * double precision. Empty clusters are re-seeded by splitting the largest cluster.
 *
 * <p>Distances to all centroids are computed a block of points at a time with
 * {@link VectorKernels#dotPanels}: {@code |x - c|^2 = |x|^2 - 2 <x, c> + |c|^2}, and the
 * {@code |x|^2} term does not change which centroid is nearest.
 */
public final class KMeans {
  private static final long PURPOSE_SAMPLE = 0x53414D504C45L; // "SAMPLE"
  private static final long PURPOSE_INIT = 0x494E4954L; // "INIT"
  private static final long PURPOSE_SPLIT = 0x53504C4954L; // "SPLIT"
  /** Points per assignment block: big enough to amortize, small enough for the cache. */
  private static final int BLOCK = 64;
  private static final float SPLIT_EPS = 1f / 1024;

  private KMeans() {}

  /**
   * Trains {@code k} centroids on a sample of at most {@code sampleSize} of the {@code n} points in
   * {@code data} (row-major, {@code dim} floats each). Returns {@code k * dim} floats.
   */
  public static float[] train(float[] data, int n, int dim, int k, int iterations,
      int sampleSize, long seed, Parallel parallel) {
    float[] sample = sample(data, n, dim, Math.min(n, Math.max(k, sampleSize)), seed);
    int m = sample.length / dim;
    float[] centroids = new float[k * dim];
    int[] init = distinctIndices(m, k, SplitMix64.forPurpose(seed, PURPOSE_INIT));
    for (int c = 0; c < k; c++) {
      System.arraycopy(sample, init[c] * dim, centroids, c * dim, dim);
    }
    int[] assignment = new int[m];
    SplitMix64 splitRng = SplitMix64.forPurpose(seed, PURPOSE_SPLIT);
    for (int iter = 0; iter < iterations; iter++) {
      assign(sample, m, dim, centroids, k, assignment, parallel);
      update(sample, m, dim, centroids, k, assignment, splitRng);
    }
    return centroids;
  }

  /** Writes the index of the nearest centroid of every point (ties: lowest index). */
  public static void assign(float[] data, int n, int dim, float[] centroids, int k,
      int[] assignment, Parallel parallel) {
    float[] panels = VectorKernels.packPanels(centroids, k, dim);
    float[] halfNormSq = new float[k];
    for (int c = 0; c < k; c++) {
      halfNormSq[c] = 0.5f * Kernels.dot(centroids, c * dim, centroids, c * dim, dim);
    }
    int paddedK = VectorKernels.panelColumns(k);
    parallel.forEachChunk(n, BLOCK * 16, (from, to) -> {
      float[] dots = new float[BLOCK * paddedK];
      for (int start = from; start < to; start += BLOCK) {
        int rows = Math.min(BLOCK, to - start);
        Kernels.dotPanels(data, start * dim, rows, dim, panels, k, dots, 0);
        for (int r = 0; r < rows; r++) {
          // argmin |c|^2/2 - <x, c>, the nearest centroid up to the constant |x|^2 / 2.
          int base = r * paddedK;
          int best = 0;
          float bestValue = halfNormSq[0] - dots[base];
          for (int c = 1; c < k; c++) {
            float value = halfNormSq[c] - dots[base + c];
            if (value < bestValue) {
              bestValue = value;
              best = c;
            }
          }
          assignment[start + r] = best;
        }
      }
    });
  }

  private static void update(float[] sample, int m, int dim, float[] centroids, int k,
      int[] assignment, SplitMix64 splitRng) {
    double[] sums = new double[k * dim];
    int[] counts = new int[k];
    for (int i = 0; i < m; i++) {
      int c = assignment[i];
      counts[c]++;
      int s = c * dim;
      int x = i * dim;
      for (int d = 0; d < dim; d++) {
        sums[s + d] += sample[x + d];
      }
    }
    for (int c = 0; c < k; c++) {
      if (counts[c] == 0) {
        continue;
      }
      double inv = 1.0 / counts[c];
      for (int d = 0; d < dim; d++) {
        centroids[c * dim + d] = (float) (sums[c * dim + d] * inv);
      }
    }
    for (int c = 0; c < k; c++) {
      if (counts[c] == 0) {
        splitLargest(centroids, dim, k, counts, c, splitRng);
      }
    }
  }

  /**
   * Re-seeds the empty cluster {@code empty} next to a large cluster: both centroids move apart
   * by a tiny symmetric perturbation, and the large cluster's count is shared between them. The
   * large cluster is drawn with probability proportional to its surplus over the mean size.
   */
  private static void splitLargest(float[] centroids, int dim, int k, int[] counts, int empty,
      SplitMix64 rng) {
    long total = 0;
    for (int c = 0; c < k; c++) {
      total += counts[c];
    }
    double mean = (double) total / k;
    double surplus = 0;
    for (int c = 0; c < k; c++) {
      surplus += Math.max(0, counts[c] - mean);
    }
    double pick = rng.nextFloat() * surplus;
    int donor = 0;
    for (int c = 0; c < k; c++) {
      double s = Math.max(0, counts[c] - mean);
      if (s > 0) {
        donor = c;
        if (pick < s) {
          break;
        }
        pick -= s;
      }
    }
    for (int d = 0; d < dim; d++) {
      float v = centroids[donor * dim + d];
      float sign = (d & 1) == 0 ? 1f : -1f;
      centroids[empty * dim + d] = v * (1 + sign * SPLIT_EPS);
      centroids[donor * dim + d] = v * (1 - sign * SPLIT_EPS);
    }
    counts[empty] = counts[donor] / 2;
    counts[donor] -= counts[empty];
  }

  private static float[] sample(float[] data, int n, int dim, int size, long seed) {
    if (size >= n) {
      return Arrays.copyOf(data, n * dim);
    }
    int[] rows = distinctIndices(n, size, SplitMix64.forPurpose(seed, PURPOSE_SAMPLE));
    Arrays.sort(rows);
    float[] out = new float[size * dim];
    for (int i = 0; i < size; i++) {
      System.arraycopy(data, rows[i] * dim, out, i * dim, dim);
    }
    return out;
  }

  /** {@code count} distinct values of {@code [0, n)} by a partial Fisher-Yates shuffle. */
  private static int[] distinctIndices(int n, int count, SplitMix64 rng) {
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    for (int i = 0; i < count; i++) {
      int j = i + rng.nextInt(n - i);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    return Arrays.copyOf(perm, count);
  }
}
