package io.lakeann.core;

import io.lakeann.core.kernel.Kernels;
import io.lakeann.core.kernel.VectorKernels;
import io.lakeann.core.search.Neighbors;
import io.lakeann.core.search.TopK;
import io.lakeann.core.util.Parallel;
import io.lakeann.core.util.SplitMix64;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Measures a built shard's {@link Calibration}. {@link #SAMPLE} rows chosen by a seeded
 * SplitMix64 stream are the queries. One blocked pass computes every sample query's exact
 * distance to every other row, list by list (each list's rows packed once as panels and
 * multiplied with all sample queries at once, like a matrix product), and keeps the k nearest of
 * each list per query. From those, for each query and each prefix of its lists in nearness
 * order, follow the k-th distance a search would hold there and its true top k. The adaptive rule
 * of {@link Probes} is then replayed for every {@code beta} of a grid: where it stops, and how
 * many true neighbours the lists before the stop hold. For each target the smallest {@code beta}
 * is kept whose mean sample recall, less {@code Z} standard errors, reaches
 * {@code target + MARGIN * (1 - target)}: the standard errors cover sample noise, the margin the
 * codes' own misses and queries that are not rows of the shard. Cost: {@code SAMPLE * n} exact
 * distances at matrix-product speed, spread over the build threads by list.
 * Every distance is computed the same way for any number of threads and each list's results land
 * in their own cells, so the result is the same for any number of threads.
 */
final class Calibrator {
  /** Sample queries (or every row of a smaller shard). */
  static final int SAMPLE = 256;
  /** Neighbours per sample query. */
  static final int K = 10;
  /** Share of the distance to a perfect recall added to each target. */
  static final double MARGIN = 0.3;
  /** Standard errors of the sample mean below the mean that must still meet the target. */
  static final double Z = 2;
  /**
   * The beta grid: {@code sign(j) (j / HALF)^2} for j = -HALF..HALF, ascending, fine near 0 where
   * most rules lie.
   */
  private static final int HALF = 64;
  private static final int STEPS = 2 * HALF;
  private static final int CHUNK = 4;
  /** Rows of one list multiplied with the sample queries at a time. */
  private static final int BLOCK = 256;
  private static final long PURPOSE = 0xCA11B8A7E5L;

  private Calibrator() {}

  /**
   * The calibration of {@code index}, built from {@code data} (the build input in row order,
   * unit length for cosine).
   */
  static Calibration measure(RabitqIndex index, float[] data, long seed, Parallel parallel) {
    int n = index.size();
    int k = Math.min(K, n - 1);
    int targets = Calibration.TARGETS.length;
    if (k == 0) {
      // One row: there is no other row to find; every rule probes the one list.
      float[] ones = new float[targets];
      Arrays.fill(ones, 1f);
      return Calibration.of(0, 0, Calibration.TARGETS, ones, ones, ones, index.nlist());
    }
    int[] queries = sample(n, Math.min(SAMPLE, n), seed);
    int m = queries.length;
    int dim = index.dim();
    float[] qs = new float[m * dim];
    for (int q = 0; q < m; q++) {
      System.arraycopy(data, queries[q] * dim, qs, q * dim, dim);
    }
    float[] nearest = listNearest(index, data, queries, qs, k, parallel);
    int stride = VectorKernels.panelColumns(index.nlist());
    float[] centroidDots = new float[m * stride];
    Kernels.dotPanels(qs, 0, m, dim, index.centroidPanels, index.nlist(), centroidDots, 0);
    int[] queryList = listsOf(index, queries);
    float[] betas = new float[STEPS + 1];
    for (int j = 0; j <= STEPS; j++) {
      double x = (double) (j - HALF) / HALF;
      betas[j] = (float) (Math.signum(x) * x * x);
    }
    int[] hits = new int[m * (STEPS + 1)];
    int[] lists = new int[m * (STEPS + 1)];
    parallel.forEachChunk(m, CHUNK, (from, to) -> {
      for (int q = from; q < to; q++) {
        replay(index, nearest, m, k, q, qs, centroidDots, q * stride, queryList[q], betas, hits,
            lists, q * (STEPS + 1));
      }
    });
    float[] meanRecall = new float[STEPS + 1];
    float[] lowRecall = new float[STEPS + 1];
    float[] meanLists = new float[STEPS + 1];
    for (int j = 0; j <= STEPS; j++) {
      long h = 0;
      long hh = 0;
      long l = 0;
      for (int q = 0; q < m; q++) {
        int found = hits[q * (STEPS + 1) + j];
        h += found;
        hh += (long) found * found;
        l += lists[q * (STEPS + 1) + j];
      }
      double mean = (double) h / m / k;
      double variance = Math.max(0, (double) hh / m / k / k - mean * mean);
      meanRecall[j] = (float) mean;
      lowRecall[j] = (float) (mean - Z * Math.sqrt(variance / m));
      meanLists[j] = (float) ((double) l / m);
    }
    float[] beta = new float[targets];
    float[] chosenLists = new float[targets];
    float[] recall = new float[targets];
    for (int t = 0; t < targets; t++) {
      double target = Calibration.TARGETS[t];
      double required = Math.min(1, target + MARGIN * (1 - target));
      int j = 0;
      while (j < STEPS && lowRecall[j] < required) {
        j++;
      }
      beta[t] = betas[j];
      chosenLists[t] = meanLists[j];
      recall[t] = meanRecall[j];
    }
    return Calibration.of(m, k, Calibration.TARGETS, beta, chosenLists, recall, index.nlist());
  }

  /** {@code count} distinct rows of {@code [0, n)}, ascending (Floyd's sampling). */
  private static int[] sample(int n, int count, long seed) {
    SplitMix64 random = SplitMix64.forPurpose(seed, PURPOSE);
    BitSet chosen = new BitSet(n);
    for (int j = n - count; j < n; j++) {
      int t = random.nextInt(j + 1);
      chosen.set(chosen.get(t) ? j : t);
    }
    return chosen.stream().toArray();
  }

  /**
   * For every list l and sample query q, the exact distances (internal units: squared L2, or
   * {@code -<q, x>}) of the k rows of l nearest to q, ascending and padded with +infinity, at
   * {@code ((l * m) + q) * k}; the query's own row is left out.
   */
  private static float[] listNearest(RabitqIndex index, float[] data, int[] queries, float[] qs,
      int k, Parallel parallel) {
    int m = queries.length;
    int dim = index.dim();
    boolean l2 = index.metric() != Metric.INNER_PRODUCT;
    float[] qNormSq = new float[m];
    for (int q = 0; q < m; q++) {
      qNormSq[q] = Kernels.dot(qs, q * dim, qs, q * dim, dim);
    }
    float[] nearest = new float[Math.multiplyExact(Math.multiplyExact(index.nlist(), m), k)];
    Arrays.fill(nearest, Float.POSITIVE_INFINITY);
    parallel.forEachItem(index.nlist(), () -> new Scratch(m, dim), (scratch, list) -> {
      float[] columns = scratch.columns;
      float[] rowNormSq = scratch.rowNormSq;
      int[] rowOf = scratch.rowOf;
      float[] dots = scratch.dots;
      for (int first = index.listStart[list]; first < index.listStart[list + 1]; first += BLOCK) {
        int cols = Math.min(BLOCK, index.listStart[list + 1] - first);
        for (int c = 0; c < cols; c++) {
          int row = index.rows[first + c];
          rowOf[c] = row;
          System.arraycopy(data, row * dim, columns, c * dim, dim);
          rowNormSq[c] = Kernels.dot(columns, c * dim, columns, c * dim, dim);
        }
        int padded = VectorKernels.panelColumns(cols);
        Kernels.dotPanels(qs, 0, m, dim, VectorKernels.packPanels(columns, cols, dim), cols, dots,
            0);
        for (int q = 0; q < m; q++) {
          int cell = (list * m + q) * k;
          int off = q * padded;
          if (l2) {
            for (int c = 0; c < cols; c++) {
              dots[off + c] = Math.max(0f, qNormSq[q] + rowNormSq[c] - 2 * dots[off + c]);
            }
          } else {
            for (int c = 0; c < cols; c++) {
              dots[off + c] = -dots[off + c];
            }
          }
          for (int c = 0; c < cols; c++) {
            float d = dots[off + c];
            if (d < nearest[cell + k - 1] && rowOf[c] != queries[q]) {
              insert(nearest, cell, k, d);
            }
          }
        }
      }
    });
    return nearest;
  }

  /** One worker's buffers for a block of a list's rows and its products with the queries. */
  private static final class Scratch {
    final float[] columns;
    final float[] rowNormSq = new float[BLOCK];
    final int[] rowOf = new int[BLOCK];
    final float[] dots;

    Scratch(int queries, int dim) {
      this.columns = new float[BLOCK * dim];
      this.dots = new float[queries * BLOCK];
    }
  }

  /** Inserts {@code d} into the ascending {@code k} values at {@code cell}, dropping the last. */
  private static void insert(float[] values, int cell, int k, float d) {
    int i = cell + k - 1;
    while (i > cell && values[i - 1] > d) {
      values[i] = values[i - 1];
      i--;
    }
    values[i] = d;
  }

  /** The list holding each of the sample rows {@code queries} (ascending). */
  private static int[] listsOf(RabitqIndex index, int[] queries) {
    int[] lists = new int[queries.length];
    for (int l = 0; l < index.nlist(); l++) {
      for (int s = index.listStart[l]; s < index.listStart[l + 1]; s++) {
        int q = Arrays.binarySearch(queries, index.rows[s]);
        if (q >= 0) {
          lists[q] = l;
        }
      }
    }
    return lists;
  }

  /**
   * Replays the adaptive rule for sample query {@code q} (at {@code qs[q * dim]}, its centroid
   * inner products at {@code dots[dotsOff]}, its own row in list {@code ownList}) at every beta:
   * writes the true neighbours found before the stop and the lists probed to {@code hits} and
   * {@code lists} from {@code out}.
   */
  private static void replay(RabitqIndex index, float[] nearest, int m, int k, int q, float[] qs,
      float[] dots, int dotsOff, int ownList, float[] betas, int[] hits, int[] lists, int out) {
    int nlist = index.nlist();
    float[] query = Arrays.copyOfRange(qs, q * index.dim(), (q + 1) * index.dim());
    int[] order = Probes.nearestLists(index, dots, dotsOff);
    // After the first p lists of the order: the k-th distance so far and the other rows seen.
    float[] kth = new float[nlist + 1];
    long[] seen = new long[nlist + 1];
    TopK top = new TopK(k);
    kth[0] = Float.POSITIVE_INFINITY;
    // Lists are merged only until the exact-safe rule (beta 1) stops: by then the true top k is
    // complete, and every smaller beta stops no later (its bounds are larger).
    Probes.ListTerms terms = Probes.ListTerms.of(index, query, dots, dotsOff);
    float[] safe = terms.suffixBounds(order, 1f);
    int scanned = 0;
    while (scanned < nlist && !(seen[scanned] >= k && safe[scanned] > kth[scanned])) {
      int p = scanned++;
      int list = order[p];
      int cell = (list * m + q) * k;
      for (int i = 0; i < k && nearest[cell + i] != Float.POSITIVE_INFINITY; i++) {
        top.offer(p, nearest[cell + i]);
      }
      seen[p + 1] = seen[p] + index.listSize(list) - (list == ownList ? 1 : 0);
      kth[p + 1] = top.worst();
    }
    // Each true neighbour's id is the position in the order of the list that holds it.
    Neighbors truth = top.drain();
    for (int j = 0; j < betas.length; j++) {
      float[] bound = terms.suffixBounds(order, betas[j]);
      int p = 0;
      while (p < scanned && !(seen[p] >= k && bound[p] > kth[p])) {
        p++;
      }
      int found = 0;
      for (int i = 0; i < truth.size(); i++) {
        if (truth.id(i) < p) {
          found++;
        }
      }
      hits[out + j] = found;
      lists[out + j] = p;
    }
  }
}
