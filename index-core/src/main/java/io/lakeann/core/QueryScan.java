package io.lakeann.core;

import io.lakeann.core.kernel.Kernels;
import io.lakeann.core.quant.QuantizedQuery;
import io.lakeann.core.quant.RabitqEncoder;
import io.lakeann.core.search.Neighbors;
import io.lakeann.core.search.RowFilter;
import io.lakeann.core.search.TopK;
import io.lakeann.core.util.PackedKeys;
import java.util.Arrays;

/**
 * The search of one query over some IVF lists: the rotated query, its quantized forms, and the
 * top-k heap. For each row the 1-bit estimate and its RaBitQ error bound decide whether the row
 * can still enter the top k; only such candidates get the extended-code estimate (if any) and the
 * exact distance from the stored original (if any), in order of their lower bounds. Without
 * originals the best available estimate is ranked. Mutable and used by one thread; its buffers are
 * reused from query to query ({@link #start}), so a search allocates little beyond its result.
 * Per list: {@link #prepare}, one or more {@link #scan}, {@link #finishList}.
 */
final class QueryScan {
  /** Bits per dimension of the query in the 1-bit stage. */
  static final int QUERY_BITS = 4;
  /** Bits per dimension of the query in the extended-code stage. */
  static final int EX_QUERY_BITS = 8;
  /** Codes whose bit-plane products are computed in one kernel call. */
  private static final int BLOCK = 64;

  private static final ThreadLocal<QueryScan> PER_THREAD = ThreadLocal.withInitial(QueryScan::new);

  /** The index being searched; bound by {@link #start}, released by {@link #release}. */
  private RabitqIndex index;
  private boolean residualQuery;
  private int paddedDim;
  private int words;
  /** {@code 1 / sqrt(paddedDim)}. */
  private float invSqrtPaddedDim;
  /** True when the index has extended codes. */
  private boolean extended;
  /** True when a finer stage (extended codes or originals) ranks candidates. */
  private boolean refine;
  /** The query in the input space (unit length for cosine). */
  private float[] query = new float[0];
  private float[] rotated = new float[0];
  private float[] residual = new float[0];
  private QuantizedQuery coarse;
  private QuantizedQuery fine;
  private final long[] blockDots = new long[BLOCK];
  private RowFilter filter;
  private float epsilon;
  private TopK top;
  /** The k smallest upper bounds of the 1-bit stage, keyed by slot. */
  private TopK upper;
  private float[] centroidDots = new float[0];
  private int[] candidateSlots = new int[256];
  private float[] candidateLower = new float[256];
  private long[] sortKeys = new long[256];
  private int candidates;
  private float listDot;
  private boolean fineReady;
  private int allowedScanned;
  private long rowsScanned;
  /** Rows at this distance or beyond are not wanted (internal units); +infinity for none. */
  private float bar;

  /**
   * This thread's buffers for single searches. They hold no index between searches, so caching
   * them per thread never keeps an evicted index alive.
   */
  static QueryScan forThisThread() {
    return PER_THREAD.get();
  }

  /** A buffer of at least {@code dim} floats that callers fill with the checked query. */
  float[] queryBuffer(int dim) {
    if (query.length < dim) {
      query = new float[dim];
    }
    return query;
  }

  /** A reusable buffer of at least {@code length} floats for the centroid inner products. */
  float[] centroidDotsBuffer(int length) {
    if (centroidDots.length < length) {
      centroidDots = new float[length];
    }
    return centroidDots;
  }

  /**
   * Starts a search of {@code index} for the query in {@link #queryBuffer}, forgetting the
   * previous search; buffers are resized for the index when needed.
   */
  void start(RabitqIndex index, int k, RowFilter filter, float epsilon, float bar) {
    this.index = index;
    this.bar = bar;
    this.filter = filter;
    this.epsilon = epsilon;
    this.residualQuery = index.metric() != Metric.INNER_PRODUCT;
    this.paddedDim = index.paddedDim();
    this.words = paddedDim / 64;
    this.invSqrtPaddedDim = (float) (1 / Math.sqrt(paddedDim));
    this.extended = index.config().exBits() > 0;
    this.refine = extended || index.originals != null;
    if (rotated.length != paddedDim) {
      rotated = new float[paddedDim];
      residual = new float[paddedDim];
      coarse = new QuantizedQuery(paddedDim, QUERY_BITS);
      fine = new QuantizedQuery(paddedDim, EX_QUERY_BITS);
    }
    int kept = Math.min(k, index.size());
    if (top == null || top.capacity() != kept) {
      top = new TopK(kept);
      upper = new TopK(kept);
    }
    top.clear();
    upper.clear();
    candidates = 0;
    allowedScanned = 0;
    rowsScanned = 0;
    index.rotation().rotate(query, 0, rotated);
    if (!residualQuery) {
      // Inner product: the estimate is <r, Rq> for every list, so quantize once.
      coarse.quantize(rotated);
      if (extended) {
        fine.quantize(rotated);
      }
    }
  }

  /** Forgets the index and filter of the last search. */
  void release() {
    index = null;
    filter = null;
  }

  /** Rows that passed the filter so far. */
  int allowedScanned() {
    return allowedScanned;
  }

  /**
   * The distance a row must beat to matter (internal units): the k-th best so far, or the bar
   * when that is smaller; +infinity before k rows were found and without a bar.
   */
  float worst() {
    return Math.min(top.worst(), bar);
  }

  /**
   * Prepares the query for list {@code list}: for L2 and cosine its rotated residual to the list
   * centroid is quantized. Must precede {@link #scan} of that list.
   */
  void prepare(int list) {
    if (!residualQuery) {
      return;
    }
    int c = list * paddedDim;
    for (int i = 0; i < paddedDim; i++) {
      residual[i] = rotated[i] - index.rotatedCentroids[c + i];
    }
    coarse.quantize(residual);
    fineReady = false;
  }

  /**
   * Scans slots {@code [from, to)} of the list last {@link #prepare}d; {@code centroidDot} is
   * {@code <q, c_list>} (used by inner product only). Candidates that may
   * enter the top k wait in a buffer until {@link #finishList}.
   */
  void scan(int from, int to, float centroidDot) {
    listDot = centroidDot;
    rowsScanned += to - from;
    for (int block = from; block < to; block += BLOCK) {
      scanBlock(block, Math.min(to, block + BLOCK), centroidDot);
    }
  }

  /**
   * The 1-bit stage: an estimate and an error bound per row. Without a finer stage the estimate
   * is ranked at once. Otherwise a row is kept as a candidate when its lower bound beats both the
   * k-th best refined distance and the k-th smallest upper bound seen so far (with high
   * probability k rows are at least that close).
   */
  private void scanBlock(int from, int to, float centroidDot) {
    final float[] factors = index.factors;
    final long[] ips = blockDots;
    Kernels.bitPlaneDots(index.signCodes, from, to - from, words, coarse.planes(), QUERY_BITS, ips);
    final boolean l2 = residualQuery;
    // <x, q> * sqrt(P) = 2 delta <b, v> + 2 lo popcount(b) - lo P - delta sum(v)
    final float twoDelta = 2 * coarse.delta();
    final float twoLo = 2 * coarse.lo();
    final float constant = -coarse.lo() * paddedDim - coarse.delta() * coarse.sumCodes();
    final float qNorm = coarse.norm();
    final float qNormSq = qNorm * qNorm;
    final float boundScale = (l2 ? 2 : 1) * epsilon * qNorm;
    for (int s = from; s < to; s++) {
      if (filter != null && !filter.allows(index.rows[s])) {
        continue;
      }
      allowedScanned++;
      int f = s * RabitqEncoder.FACTORS;
      float xq = (twoDelta * ips[s - from] + twoLo * factors[f + 3] + constant) * invSqrtPaddedDim;
      float estimate = factors[f + 1] * xq;
      float distance = l2 ? factors[f] + qNormSq - 2 * estimate : -(centroidDot + estimate);
      if (!refine) {
        top.offer(index.ids[s], distance);
        continue;
      }
      float bound = boundScale * factors[f + 2];
      float lower = distance - bound;
      if (lower < worst() && lower < upper.worst()) {
        addCandidate(s, lower);
        upper.offer(s, distance + bound);
      }
    }
  }

  private void addCandidate(int slot, float lower) {
    if (candidates == candidateSlots.length) {
      candidateSlots = Arrays.copyOf(candidateSlots, candidates * 2);
      candidateLower = Arrays.copyOf(candidateLower, candidates * 2);
    }
    candidateSlots[candidates] = slot;
    candidateLower[candidates] = lower;
    candidates++;
  }

  /**
   * Refines the candidates of the list just scanned in increasing order of their lower bounds,
   * and stops at the first whose lower bound cannot beat the k-th best: the most promising rows
   * fill the top k first, so the bar rises early and few rows need the costly refinement. Must
   * follow the {@link #scan} calls of a list and precede the next {@link #prepare}.
   */
  void finishList() {
    if (candidates == 0) {
      return;
    }
    if (sortKeys.length < candidates) {
      sortKeys = new long[candidateSlots.length];
    }
    long[] order = sortKeys;
    for (int i = 0; i < candidates; i++) {
      order[i] = PackedKeys.pack(candidateLower[i], i);
    }
    Arrays.sort(order, 0, candidates);
    boolean l2 = residualQuery;
    boolean exact = index.originals != null;
    float boundScale = (l2 ? 2 : 1) * epsilon * coarse.norm();
    for (int i = 0; i < candidates; i++) {
      int c = (int) order[i];
      float worst = worst();
      if (candidateLower[c] >= worst) {
        break;
      }
      int s = candidateSlots[c];
      if (extended) {
        float exDistance = extendedDistance(s, l2, listDot);
        if (!exact) {
          top.offer(index.ids[s], exDistance);
          continue;
        }
        if (exDistance - boundScale * index.exFactors[s * RabitqEncoder.EX_FACTORS + 1] >= worst) {
          continue;
        }
      }
      top.offer(index.ids[s], exactDistance(s));
    }
    candidates = 0;
  }

  /** The extended-code estimate of the distance of slot {@code s}. */
  private float extendedDistance(int s, boolean l2, float centroidDot) {
    if (!fineReady && l2) {
      fine.quantize(residual);
    }
    fineReady = true;
    int exBits = index.config().exBits();
    long[] fplanes = fine.planes();
    int codeOff = s * words;
    // k_i = b_i 2^E + e'_i; sum k_i v_i and sum k_i from the stored bit planes.
    long kv = Kernels.bitPlaneDot(index.signCodes, codeOff, fplanes, EX_QUERY_BITS, words)
        << exBits;
    long kSum = (long) index.factors[s * RabitqEncoder.FACTORS + 3] << exBits;
    int planeOff = s * exBits * words;
    for (int p = 0; p < exBits; p++) {
      int off = planeOff + p * words;
      kv += Kernels.bitPlaneDot(index.exPlanes, off, fplanes, EX_QUERY_BITS, words) << p;
      long count = 0;
      for (int w = 0; w < words; w++) {
        count += Long.bitCount(index.exPlanes[off + w]);
      }
      kSum += count << p;
    }
    double lo = fine.lo();
    double delta = fine.delta();
    double sumQ = paddedDim * lo + delta * fine.sumCodes();
    double kq = lo * kSum + delta * kv;
    double center = ((2 << exBits) - 1) / 2.0;
    double yq = kq - center * sumQ;
    double estimate = index.exFactors[s * RabitqEncoder.EX_FACTORS] * yq;
    if (l2) {
      double qNorm = fine.norm();
      return (float) (index.factors[s * RabitqEncoder.FACTORS] + qNorm * qNorm - 2 * estimate);
    }
    return (float) -(centroidDot + estimate);
  }

  private float exactDistance(int s) {
    int dim = index.dim();
    if (residualQuery) {
      return Kernels.squaredDistance(query, 0, index.originals, s * dim, dim);
    }
    return -Kernels.dot(query, 0, index.originals, s * dim, dim);
  }

  /** The result, with cosine distances turned from squared L2 of unit vectors to 1 - cos. */
  Neighbors result() {
    Neighbors n = top.drain();
    float[] d = n.distances();
    if (index.metric() == Metric.COSINE) {
      for (int i = 0; i < d.length; i++) {
        d[i] *= 0.5f;
      }
    }
    return new Neighbors(n.ids(), d, rowsScanned);
  }
}
