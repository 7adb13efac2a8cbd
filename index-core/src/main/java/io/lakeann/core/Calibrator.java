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
 * SplitMix64 stream are the queries; for each, every row but itself is scanned exactly, list by
 * list in the query's nearness order, until the exact-safe rule stops (no later list can hold a
 * closer row), which gives both its true top k and, after each prefix of lists, the k-th distance
 * a search would hold there. The adaptive rule of {@link Probes} is then
 * replayed for every {@code beta} of a grid: where it stops, and how many true neighbours the lists
 * before the stop hold. For each target the smallest {@code beta} is kept whose mean sample
 * recall, less {@code Z} standard errors, reaches {@code target + MARGIN * (1 - target)}: the
 * standard errors cover sample noise, the margin the codes' own misses and queries that are not
 * rows of the shard. Cost: at most {@code SAMPLE * n} exact distances (far fewer where lists are
 * well separated), spread over the build threads.
 * Queries are handled in chunks whose bounds do not depend on the thread count and are summed in
 * query order, so the result is the same for any number of threads.
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
    float[] betas = new float[STEPS + 1];
    for (int j = 0; j <= STEPS; j++) {
      double x = (double) (j - HALF) / HALF;
      betas[j] = (float) (Math.signum(x) * x * x);
    }
    int[] hits = new int[m * (STEPS + 1)];
    int[] lists = new int[m * (STEPS + 1)];
    parallel.forEachChunk(m, CHUNK, (from, to) -> {
      for (int q = from; q < to; q++) {
        replay(index, data, queries[q], k, betas, hits, lists, q * (STEPS + 1));
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
   * Replays the adaptive rule for sample row {@code row} at every beta: writes the true
   * neighbours found before the stop and the lists probed to {@code hits} and {@code lists} from
   * {@code out}.
   */
  private static void replay(RabitqIndex index, float[] data, int row, int k, float[] betas,
      int[] hits, int[] lists, int out) {
    int dim = index.dim();
    int nlist = index.nlist();
    boolean l2 = index.metric() != Metric.INNER_PRODUCT;
    float[] q = Arrays.copyOfRange(data, row * dim, row * dim + dim);
    float[] dots = new float[VectorKernels.panelColumns(nlist)];
    Kernels.dotPanels(q, 0, 1, dim, index.centroidPanels, nlist, dots, 0);
    int[] order = Probes.nearestLists(index, dots, 0, nlist);
    // After the first p lists of the order: the k-th distance so far and the rows seen.
    float[] kth = new float[nlist + 1];
    long[] seen = new long[nlist + 1];
    int[] rankOfSlot = new int[index.size()];
    TopK top = new TopK(k);
    kth[0] = Float.POSITIVE_INFINITY;
    // Lists are scanned only until the exact-safe rule (beta 1) stops: by then the true top k is
    // complete, and every smaller beta stops no later (its bounds are larger).
    float[] safe = Probes.suffixBounds(index, q, dots, 0, order, 1f);
    int scanned = 0;
    while (scanned < nlist && !(seen[scanned] >= k && safe[scanned] > kth[scanned])) {
      int p = scanned++;
      int list = order[p];
      int rowsHere = 0;
      for (int s = index.listStart[list]; s < index.listStart[list + 1]; s++) {
        int r = index.rows[s];
        if (r == row) {
          continue;
        }
        float d = l2 ? Kernels.squaredDistance(q, 0, data, r * dim, dim)
            : -Kernels.dot(q, 0, data, r * dim, dim);
        top.offer(s, d);
        rankOfSlot[s] = p;
        rowsHere++;
      }
      seen[p + 1] = seen[p] + rowsHere;
      kth[p + 1] = top.worst();
    }
    Neighbors truth = top.drain();
    int[] truthRanks = new int[truth.size()];
    for (int i = 0; i < truthRanks.length; i++) {
      truthRanks[i] = rankOfSlot[(int) truth.id(i)];
    }
    for (int j = 0; j < betas.length; j++) {
      float[] bound = Probes.suffixBounds(index, q, dots, 0, order, betas[j]);
      int p = 0;
      while (p < scanned && !(seen[p] >= k && bound[p] > kth[p])) {
        p++;
      }
      int found = 0;
      for (int rank : truthRanks) {
        if (rank < p) {
          found++;
        }
      }
      hits[out + j] = found;
      lists[out + j] = p;
    }
  }
}
