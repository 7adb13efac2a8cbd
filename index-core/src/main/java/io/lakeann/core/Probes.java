package io.lakeann.core;

import io.lakeann.core.kernel.Kernels;
import io.lakeann.core.kernel.VectorKernels;
import io.lakeann.core.search.Neighbors;
import io.lakeann.core.search.RowFilter;
import io.lakeann.core.util.MinHeap;
import io.lakeann.core.util.PackedKeys;

/**
 * Chooses which IVF lists one query probes, nearest first, and when it stops; the one place that
 * turns a search's nprobe or recall target into effort. Made per query; not thread-safe.
 *
 * <p><b>Fixed effort</b> (an explicit nprobe): at least {@code nprobe} lists, and more until the
 * rows seen reach a target. Without a filter the target is k rows (small lists must not cut a
 * result short). With a filter it is as many allowed rows as an unfiltered search would scan
 * ({@code nprobe * n / nlist}, and at least k), so that sparse filters still find k good
 * neighbours. Either target is capped at the rows there are to find.
 *
 * <p><b>Adaptive effort</b> (a recall target): every list is a candidate, nearest first, and the
 * search stops before list {@code i} once the rows target is met and no list from {@code i} on
 * can hold a row closer than the current k-th distance (or the caller's bar): each list's
 * lower bound is {@code (|q - c| - beta R)^2} for L2 and cosine, {@code -<q, c> - beta |q| R} for
 * the inner product, with {@code R} the list's largest residual norm and {@code beta} in
 * [-1, 1]. {@code beta = 1} is exact-safe (nothing unprobed can enter the top k); the shard's
 * {@link Calibration} gives the smaller {@code beta} a recall target needs (negative ones
 * stop before the centroid distance reaches the k-th distance), so easy queries stop early and
 * hard ones go on.
 * Lists come out of a heap one at a time, nearest first, and the smallest bound of the lists not
 * yet probed out of a second heap, so a search that stops after a few of many lists orders only
 * those few.
 * With a filter and {@code beta < 1}, the rows target is the allowed rows an unfiltered search
 * would scan at that target (the calibrated mean lists), as for fixed effort.
 */
final class Probes {
  /** Recall target of a search that states neither nprobe nor recall. */
  static final double DEFAULT_RECALL = 0.95;
  /** Relative slack for float rounding in the bounds, so {@code beta = 1} stays exact-safe. */
  private static final double SLACK = 1e-5;

  /** Largest error-bound confidence a recall target picks by itself. */
  private static final double MAX_TARGET_EPSILON = 4;

  private final RabitqIndex index;
  /** The recall target, or NaN for fixed effort. */
  private final double target;
  /** Lists probed at least (fixed effort), or 0 (adaptive). */
  private final int nprobe;
  /** Radius scale of the adaptive rule; unused for fixed effort. */
  private final float beta;
  private final RowFilter filter;
  private final long allowedTarget;
  /** True when the caller gave a bar: rows at or beyond it are not wanted. */
  private final boolean barred;
  /** The lists not yet probed, by nearness; set by {@link #start}. */
  private MinHeap nearest;
  /** Adaptive effort: lists by lower bound, probed ones still in it until they reach the top. */
  private MinHeap bounds;
  /** Adaptive effort: the lists probed so far, one bit each. */
  private long[] probedLists;
  private int probed;

  private Probes(RabitqIndex index, double target, int nprobe, float beta, RowFilter filter,
      long allowedTarget, boolean barred) {
    this.index = index;
    this.target = target;
    this.nprobe = nprobe;
    this.beta = beta;
    this.filter = filter;
    this.allowedTarget = allowedTarget;
    this.barred = barred;
  }

  /**
   * The effort of one search: an explicit {@code nprobe} (> 0) wins; else an explicit recall
   * target; else the config's nprobe when set; else {@link #DEFAULT_RECALL}. A target is met by
   * the shard's calibration, or above its last point by the exact-safe rule; an index without
   * calibration (written by format version 1) falls back to {@link RabitqIndex#defaultNprobe}.
   *
   * @param recall the target, or NaN when the search did not state one
   * @param barred whether the search carries a bar from results found elsewhere
   */
  static Probes of(RabitqIndex index, int nprobe, double recall, RowFilter filter, int k,
      boolean barred) {
    if (nprobe > 0) {
      return fixed(index, nprobe, filter, k, barred);
    }
    if (Double.isNaN(recall) && index.config().nprobe() > 0) {
      return fixed(index, index.defaultNprobe(), filter, k, barred);
    }
    double target = Double.isNaN(recall) ? DEFAULT_RECALL : recall;
    Calibration calibration = index.calibration();
    int point = calibration == null ? -1 : calibration.pointFor(target);
    long rows = Math.min(k, index.size());
    if (point < 0 && (calibration != null || target >= 1)) {
      long exactTarget = filter == null ? rows : Math.min(filter.allowedCount(), rows);
      return new Probes(index, target, 0, 1f, filter, exactTarget, barred);
    }
    if (calibration == null) {
      return fixed(index, index.defaultNprobe(), filter, k, barred);
    }
    long scan = (long) Math.ceil(calibration.meanLists(point) * index.size() / index.nlist());
    long rowsTarget = filter == null ? rows : Math.min(filter.allowedCount(), Math.max(k, scan));
    return new Probes(index, target, 0, calibration.beta(point), filter, rowsTarget, barred);
  }

  private static Probes fixed(RabitqIndex index, int nprobe, RowFilter filter, int k,
      boolean barred) {
    int lists = Math.min(nprobe, index.nlist());
    long unfilteredScan = (long) Math.ceil((double) lists * index.size() / index.nlist());
    long target = filter == null ? Math.min(k, index.size())
        : Math.min(filter.allowedCount(), Math.max(k, unfilteredScan));
    return new Probes(index, Double.NaN, lists, Float.NaN, filter, target, barred);
  }

  /**
   * The RaBitQ error-bound confidence of the search: the one it gave, else for a recall target
   * the larger of the config's and the normal quantile that leaves each row a {@code (1 -
   * target) / 2} chance of being pruned wrongly (1.96 at 0.95, 2.58 at 0.99, at most 4), else
   * the config's.
   *
   * @param requested the search's epsilon, or NaN when it gave none
   */
  float epsilon(float requested) {
    float configured = index.config().epsilon();
    if (!Float.isNaN(requested)) {
      return requested;
    }
    if (Double.isNaN(target)) {
      return configured;
    }
    double tail = (1 - target) / 2;
    if (tail <= 0) {
      return (float) Math.max(configured, MAX_TARGET_EPSILON);
    }
    // Abramowitz and Stegun 26.2.23: the upper normal quantile of tail, error below 4.5e-4.
    double t = Math.sqrt(-2 * Math.log(tail));
    double z = t - (2.515517 + 0.802853 * t + 0.010328 * t * t)
        / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
    return (float) Math.max(configured, Math.min(MAX_TARGET_EPSILON, z));
  }

  /** Columns of the buffer {@link #centroidDots} fills per query. */
  int dotsStride() {
    return VectorKernels.panelColumns(index.nlist());
  }

  /** {@code out[q * dotsStride() + l] = <query q, centroid l>} for {@code count} queries. */
  void centroidDots(float[] queries, int count, float[] out) {
    Kernels.dotPanels(queries, 0, count, index.dim(), index.centroidPanels, index.nlist(), out, 0);
  }

  /**
   * Prepares the walk over the lists for the query {@code q} (whose centroid inner products are
   * {@code dots}); then {@link #next} hands them out.
   */
  void start(float[] q, float[] dots) {
    nearest = nearness(index, dots, 0);
    probed = 0;
    if (nprobe == 0) {
      ListTerms terms = ListTerms.of(index, q, dots, 0);
      long[] keys = new long[index.nlist()];
      for (int l = 0; l < keys.length; l++) {
        keys[l] = PackedKeys.pack(terms.bound(l, beta), l);
      }
      bounds = new MinHeap(keys, keys.length);
      probedLists = new long[(index.nlist() + 63) >>> 6];
    }
  }

  /**
   * The next list to probe, nearest first, or -1 when the lists probed so far suffice, given the
   * allowed rows seen and the current k-th distance {@code kth} (internal units; +infinity
   * before k rows were found). Fixed effort: at least {@code nprobe} lists, and on until the rows
   * target is met. Adaptive: until the rows target is met and no unprobed list can hold a row
   * closer than {@code kth}.
   */
  int next(long allowedSeen, float kth) {
    if (nearest.isEmpty() || enough(allowedSeen, kth)) {
      return -1;
    }
    int list = PackedKeys.index(nearest.poll());
    probed++;
    if (probedLists != null) {
      probedLists[list >>> 6] |= 1L << list;
    }
    return list;
  }

  private boolean enough(long allowedSeen, float kth) {
    if (nprobe > 0) {
      return probed >= nprobe && allowedSeen >= allowedTarget;
    }
    boolean rowsMet = allowedSeen >= allowedTarget || barred && filter == null;
    if (!rowsMet) {
      return false;
    }
    while (!bounds.isEmpty()) {
      long top = bounds.peek();
      int list = PackedKeys.index(top);
      if ((probedLists[list >>> 6] & (1L << list)) == 0) {
        return PackedKeys.key(top) > kth;
      }
      bounds.poll();
    }
    return true;
  }

  /** Lists by nearness to the query whose centroid inner products are at {@code dotsOff}. */
  private static MinHeap nearness(RabitqIndex index, float[] dots, int dotsOff) {
    boolean l2 = index.metric() != Metric.INNER_PRODUCT;
    long[] keys = new long[index.nlist()];
    for (int l = 0; l < keys.length; l++) {
      // Nearest centroid: smallest |c|^2/2 - <q,c> for L2 and cosine, largest <q,c> for IP.
      keys[l] = PackedKeys.pack(l2 ? index.centroidHalfNormSq[l] - dots[dotsOff + l]
          : -dots[dotsOff + l], l);
    }
    return new MinHeap(keys, keys.length);
  }

  /** Every list, nearest first to a query (ties by list number). */
  static int[] nearestLists(RabitqIndex index, float[] dots, int dotsOff) {
    MinHeap heap = nearness(index, dots, dotsOff);
    int[] order = new int[index.nlist()];
    for (int i = 0; i < order.length; i++) {
      order[i] = PackedKeys.index(heap.poll());
    }
    return order;
  }

  /**
   * The parts of the list lower bounds of one query that do not depend on {@code beta}, so that
   * bounds for many betas cost no square roots. Distances are internal: squared L2 (of unit
   * vectors for cosine), or {@code -<q, x>}. Immutable.
   */
  static final class ListTerms {
    private final RabitqIndex index;
    /** Per list: {@code |q - c|} lowered by its rounding error (L2, cosine), or {@code -<q, c>}
     * lowered by the rounding of the radius term (inner product). */
    private final double[] centre;
    private final double qNorm;
    private final boolean l2;

    private ListTerms(RabitqIndex index, double[] centre, double qNorm, boolean l2) {
      this.index = index;
      this.centre = centre;
      this.qNorm = qNorm;
      this.l2 = l2;
    }

    /** The terms of query {@code q}, whose centroid inner products are at {@code dotsOff}. */
    static ListTerms of(RabitqIndex index, float[] q, float[] dots, int dotsOff) {
      double qNormSq = Kernels.dot(q, 0, q, 0, index.dim());
      double qNorm = Math.sqrt(qNormSq);
      boolean l2 = index.metric() != Metric.INNER_PRODUCT;
      double[] centre = new double[index.nlist()];
      for (int l = 0; l < centre.length; l++) {
        double dot = dots[dotsOff + l];
        double halfNormSq = index.centroidHalfNormSq[l];
        if (l2) {
          // |q - c|^2 = |q|^2 + |c|^2 - 2<q,c>, lowered by its rounding error.
          double d2 = qNormSq + 2 * (halfNormSq - dot) - SLACK * (qNormSq + 2 * halfNormSq);
          centre[l] = Math.sqrt(Math.max(0, d2));
        } else {
          double cNorm = Math.sqrt(2 * halfNormSq);
          centre[l] = -dot - SLACK * qNorm * (cNorm + index.listRadius[l]);
        }
      }
      return new ListTerms(index, centre, qNorm, l2);
    }

    /** The lower bound (scale {@code beta}) on the distance of a row of list {@code l}. */
    float bound(int l, float beta) {
      double radius = beta * index.listRadius[l] * (1 + SLACK);
      if (l2) {
        double gap = centre[l] - radius;
        return (float) (gap > 0 ? gap * gap : 0);
      }
      return (float) (centre[l] - qNorm * radius);
    }

    /**
     * For each position i of {@code order} (every list), the smallest lower bound (scale
     * {@code beta}) on the distance of a row in any list {@code order[i..]}; the extra last entry
     * is +infinity.
     */
    float[] suffixBounds(int[] order, float beta) {
      float[] out = new float[order.length + 1];
      float min = Float.POSITIVE_INFINITY;
      out[order.length] = min;
      for (int i = order.length - 1; i >= 0; i--) {
        min = Math.min(min, bound(order[i], beta));
        out[i] = min;
      }
      return out;
    }
  }
}
