package io.lakeann.core.ivf;

import io.lakeann.core.kernel.Kernels;
import io.lakeann.core.kernel.VectorKernels;
import io.lakeann.core.util.Parallel;
import io.lakeann.core.util.SplitMix64;
import java.util.Arrays;

/**
 * Lloyd's k-means for IVF coarse partitioning, deterministic for a given seed whatever the thread
 * count: the training sample and the k-means++ seeds come from a seeded generator, assignment is
 * per point (parallel over fixed chunks), and centroid sums are accumulated in one fixed order in
 * double precision. Empty and starved clusters are re-seeded inside crowded ones (see
 * {@link #reseed}).
 *
 * <p>Distances to all centroids are computed a block of points at a time with
 * {@link VectorKernels#dotPanels}: {@code |x - c|^2 = |x|^2 - 2 <x, c> + |c|^2}, and the
 * {@code |x|^2} term does not change which centroid is nearest.
 */
public final class KMeans {
  private static final long PURPOSE_SAMPLE = 0x53414D504C45L; // "SAMPLE"
  private static final long PURPOSE_INIT = 0x494E4954L; // "INIT"
  private static final long PURPOSE_RESEED = 0x524553454544L; // "RESEED"
  /** Points per assignment block: big enough to amortize, small enough for the cache. */
  private static final int BLOCK = 64;
  /** A cluster below this fraction of the mean size is re-seeded (but not in the last rounds). */
  private static final double SMALL_FRACTION = 0.25;

  private KMeans() {}

  /**
   * Trains {@code k} centroids on a sample of at most {@code sampleSize} of the {@code n} points in
   * {@code data} (row-major, {@code dim} floats each). Returns {@code k * dim} floats.
   */
  public static float[] train(float[] data, int n, int dim, int k, int iterations,
      int sampleSize, long seed, Parallel parallel) {
    float[] sample = sample(data, n, dim, Math.min(n, Math.max(k, sampleSize)), seed);
    int m = sample.length / dim;
    float[] centroids = seedPlusPlus(sample, m, dim, k, SplitMix64.forPurpose(seed, PURPOSE_INIT));
    int[] assignment = new int[m];
    SplitMix64 splitRng = SplitMix64.forPurpose(seed, PURPOSE_RESEED);
    for (int iter = 0; iter < iterations; iter++) {
      assign(sample, m, dim, centroids, k, assignment, parallel);
      update(sample, m, dim, centroids, k, assignment, splitRng, iter < iterations - 2);
    }
    return centroids;
  }

  /** Writes the index of the nearest centroid of every point (ties: lowest index). */
  public static void assign(float[] data, int n, int dim, float[] centroids, int k,
      int[] assignment, Parallel parallel) {
    float[] panels = VectorKernels.packPanels(centroids, k, dim);
    float[] halfNormSq = halfSquaredNorms(centroids, k, dim);
    int paddedK = VectorKernels.panelColumns(k);
    // One block of BLOCK points per item; each worker reuses one buffer of inner products.
    parallel.forEachItem((n + BLOCK - 1) / BLOCK, () -> new float[BLOCK * paddedK],
        (dots, block) -> nearestOfBlock(data, block * BLOCK, Math.min(BLOCK, n - block * BLOCK),
            dim, panels, k, halfNormSq, dots, assignment));
  }

  /** Assigns {@code rows} points from {@code start}: argmin |c|^2/2 - <x, c> (ties: lowest). */
  private static void nearestOfBlock(float[] data, int start, int rows, int dim, float[] panels,
      int k, float[] halfNormSq, float[] dots, int[] assignment) {
    int paddedK = VectorKernels.panelColumns(k);
    Kernels.dotPanels(data, start * dim, rows, dim, panels, k, dots, 0);
    for (int r = 0; r < rows; r++) {
      // The nearest centroid up to the constant |x|^2 / 2, which every centroid shares.
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

  /**
   * k-means++ seeding: each next centre is a sample point drawn with probability proportional to
   * its squared distance to the nearest centre chosen so far. Unlike uniform seeding it rarely
   * puts two centres in one natural cluster, which would leave lists unbalanced. The distances of
   * all sample points to a new centre come from one {@link VectorKernels#dotPanels} call over the
   * sample laid out as panels (fused multiply-adds in a fixed order, so the result does not depend
   * on the kernels or the JIT), and the draw is sequential.
   */
  private static float[] seedPlusPlus(float[] sample, int m, int dim, int k, SplitMix64 rng) {
    float[] centroids = new float[k * dim];
    float[] samplePanels = VectorKernels.packPanels(sample, m, dim);
    float[] halfNorms = halfSquaredNorms(sample, m, dim);
    float[] dots = new float[VectorKernels.panelColumns(m)];
    float[] nearest = new float[m];
    Arrays.fill(nearest, Float.POSITIVE_INFINITY);
    int chosen = rng.nextInt(m);
    for (int c = 0; c < k; c++) {
      System.arraycopy(sample, chosen * dim, centroids, c * dim, dim);
      if (c == k - 1) {
        break;
      }
      Kernels.dotPanels(centroids, c * dim, 1, dim, samplePanels, m, dots, 0);
      float centreHalfNorm = halfNorms[chosen];
      double total = 0;
      for (int i = 0; i < m; i++) {
        // |x - c|^2 = 2 (|x|^2/2 + |c|^2/2 - <x, c>), clamped against rounding below zero.
        float d = Math.max(0f, 2 * (halfNorms[i] + centreHalfNorm - dots[i]));
        if (d < nearest[i]) {
          nearest[i] = d;
        }
        total += nearest[i];
      }
      chosen = total > 0 ? drawProportional(nearest, total, rng) : rng.nextInt(m);
    }
    return centroids;
  }

  private static int drawProportional(float[] weights, double total, SplitMix64 rng) {
    double target = (rng.nextLong() >>> 11) * 0x1.0p-53 * total;
    double running = 0;
    int last = 0;
    for (int i = 0; i < weights.length; i++) {
      if (weights[i] > 0) {
        running += weights[i];
        last = i;
        if (running > target) {
          return i;
        }
      }
    }
    return last;
  }

  private static void update(float[] sample, int m, int dim, float[] centroids, int k,
      int[] assignment, SplitMix64 rng, boolean rebalance) {
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
    double mean = (double) m / k;
    int budget = Math.max(1, k / 20);
    int[] members = counts.clone();
    boolean[] reseeded = new boolean[k];
    for (int c = 0; c < k; c++) {
      boolean starved = counts[c] == 0
          || (rebalance && budget > 0 && counts[c] < mean * SMALL_FRACTION);
      if (starved) {
        budget--;
        reseeded[c] = true;
        reseed(sample, dim, centroids, counts, members, reseeded, assignment, c, mean, rng);
      }
    }
  }

  /**
   * Moves the centroid of a starved cluster onto a random member of a crowded one, drawn with
   * probability proportional to its surplus over the mean size. Uniform or k-means++ seeding
   * leaves some natural clusters with two centroids and merges others under one; this splits the
   * merged ones (the next assignment gives the new centroid its half) and frees the duplicates.
   * {@code counts} are the expected sizes after this round's re-seeds (a donor's surplus shrinks
   * as it gives); {@code members} are the real sizes under {@code assignment}; clusters re-seeded
   * this round never donate.
   */
  private static void reseed(float[] sample, int dim, float[] centroids, int[] counts,
      int[] members, boolean[] reseeded, int[] assignment, int starved, double mean,
      SplitMix64 rng) {
    int k = counts.length;
    double surplus = 0;
    for (int c = 0; c < k; c++) {
      surplus += donorWeight(counts, reseeded, c, mean);
    }
    if (surplus <= 0) {
      return;
    }
    double pick = rng.nextFloat() * surplus;
    int donor = -1;
    for (int c = 0; c < k && donor < 0; c++) {
      double s = donorWeight(counts, reseeded, c, mean);
      if (s > 0 && (pick < s || c == k - 1)) {
        donor = c;
      }
      pick -= s;
    }
    if (donor < 0) {
      return;
    }
    int member = rng.nextInt(members[donor]);
    for (int i = 0; i < assignment.length; i++) {
      if (assignment[i] == donor && member-- == 0) {
        System.arraycopy(sample, i * dim, centroids, starved * dim, dim);
        break;
      }
    }
    counts[starved] = counts[donor] / 2;
    counts[donor] -= counts[starved];
  }

  private static double donorWeight(int[] counts, boolean[] reseeded, int c, double mean) {
    return reseeded[c] ? 0 : Math.max(0, counts[c] - mean);
  }

  /** Half the squared norm of each of {@code k} vectors, summed in double in a fixed order. */
  public static float[] halfSquaredNorms(float[] vectors, int k, int dim) {
    float[] out = new float[k];
    for (int c = 0; c < k; c++) {
      double s = 0;
      for (int d = 0; d < dim; d++) {
        double v = vectors[c * dim + d];
        s += v * v;
      }
      out[c] = (float) (0.5 * s);
    }
    return out;
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
