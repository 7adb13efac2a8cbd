package io.lakeann.core;

import io.lakeann.core.kernel.Kernels;
import io.lakeann.core.kernel.VectorKernels;
import io.lakeann.core.search.Neighbors;
import io.lakeann.core.search.RowFilter;
import io.lakeann.core.search.TopK;

/**
 * Chooses which IVF lists a query probes, shared by single and batch search so that both probe the
 * same lists. Without a filter: the {@code nprobe} nearest centroids. With a filter: lists in order
 * of nearness, at least {@code nprobe} of them, until as many allowed rows have been seen as an
 * unfiltered search would scan ({@code nprobe * n / nlist}), so that sparse filters still find k
 * good neighbours.
 */
final class Probes {
  private final RabitqIndex index;
  private final int nprobe;
  private final RowFilter filter;
  private final long allowedTarget;

  Probes(RabitqIndex index, int nprobe, RowFilter filter) {
    this.index = index;
    this.nprobe = Math.min(nprobe, index.nlist());
    this.filter = filter;
    long unfilteredScan = (long) Math.ceil((double) this.nprobe * index.size() / index.nlist());
    this.allowedTarget = filter == null ? 0 : Math.min(filter.allowedCount(), unfilteredScan);
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
   * The lists to consider for one query, nearest first: exactly {@code nprobe} without a filter,
   * every list with one (the caller stops early, see {@link #enough}).
   */
  int[] order(float[] dots, int dotsOff) {
    int lists = index.nlist();
    int wanted = filter == null ? nprobe : lists;
    boolean l2 = index.metric() != Metric.INNER_PRODUCT;
    TopK best = new TopK(wanted);
    for (int l = 0; l < lists; l++) {
      // Nearest centroid: smallest |c|^2/2 - <q,c> for L2 and cosine, largest <q,c> for IP.
      float key = l2 ? index.centroidHalfNormSq[l] - dots[dotsOff + l] : -dots[dotsOff + l];
      if (key < best.worst() || !best.isFull()) {
        best.offer(l, key);
      }
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
