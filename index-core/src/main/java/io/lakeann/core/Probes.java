package io.lakeann.core;

import io.lakeann.core.kernel.Kernels;
import io.lakeann.core.kernel.VectorKernels;
import io.lakeann.core.search.Neighbors;
import io.lakeann.core.search.RowFilter;
import io.lakeann.core.search.TopK;

/**
 * Chooses which IVF lists a query probes, shared by single and batch search so that both probe the
 * same lists: lists in order of nearness, at least {@code nprobe} of them, and more until the rows
 * seen reach a target. Without a filter the target is k rows (small lists must not cut a result
 * short). With a filter it is as many allowed rows as an unfiltered search would scan
 * ({@code nprobe * n / nlist}, and at least k), so that sparse filters still find k good
 * neighbours. Either target is capped at the rows there are to find.
 */
final class Probes {
  private final RabitqIndex index;
  private final int nprobe;
  private final RowFilter filter;
  private final long allowedTarget;

  Probes(RabitqIndex index, int nprobe, RowFilter filter, int k) {
    this.index = index;
    this.nprobe = Math.min(nprobe, index.nlist());
    this.filter = filter;
    long unfilteredScan = (long) Math.ceil((double) this.nprobe * index.size() / index.nlist());
    this.allowedTarget = filter == null ? Math.min(k, index.size())
        : Math.min(filter.allowedCount(), Math.max(k, unfilteredScan));
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
   * The lists to consider for one query, nearest first: the {@code nprobe} nearest when they hold
   * enough rows for an unfiltered search, otherwise (and always with a filter) every list; the
   * caller stops early, see {@link #enough}.
   */
  int[] order(float[] dots, int dotsOff) {
    if (filter == null) {
      int[] nearest = nearest(dots, dotsOff, nprobe);
      long rows = 0;
      for (int list : nearest) {
        rows += index.listSize(list);
      }
      if (rows >= allowedTarget) {
        return nearest;
      }
    }
    return nearest(dots, dotsOff, index.nlist());
  }

  private int[] nearest(float[] dots, int dotsOff, int count) {
    boolean l2 = index.metric() != Metric.INNER_PRODUCT;
    TopK best = new TopK(count);
    for (int l = 0; l < index.nlist(); l++) {
      // Nearest centroid: smallest |c|^2/2 - <q,c> for L2 and cosine, largest <q,c> for IP.
      best.offer(l, l2 ? index.centroidHalfNormSq[l] - dots[dotsOff + l] : -dots[dotsOff + l]);
    }
    Neighbors chosen = best.drain();
    int[] order = new int[chosen.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = (int) chosen.id(i);
    }
    return order;
  }

  /** True once {@code probed} lists with {@code allowedSeen} allowed rows suffice. */
  boolean enough(int probed, long allowedSeen) {
    return probed >= nprobe && allowedSeen >= allowedTarget;
  }
}
