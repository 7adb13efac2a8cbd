package io.lakeann.core;

import io.lakeann.core.search.Neighbors;
import io.lakeann.core.search.RowFilter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Many queries against one {@link RabitqIndex}, as an immutable value like {@link SearchRequest}.
 * Every query probes the same lists it would probe alone, but each probed list is scanned once for
 * all the queries that probe it, a block of rows at a time, so the list's codes are read from
 * memory once per batch rather than once per query. Lists are visited in index order rather than
 * each query's nearness order, so the error-bound pruning may make a different (rarely worse)
 * choice than a single search at the same settings.
 */
public final class BatchSearchRequest {
  /** Queries handled together: bounds the memory of per-query state. */
  private static final int QUERY_CHUNK = 1024;
  /** Rows of one list scanned for every query before moving on (cache blocking). */
  private static final int ROW_BLOCK = 512;

  private final RabitqIndex index;
  private final float[][] queries;
  private final int k;
  private final int nprobe;
  private final RowFilter filter;
  private final float epsilon;

  BatchSearchRequest(RabitqIndex index, float[][] queries) {
    this(index, queries, SearchRequest.DEFAULT_K, index.defaultNprobe(),
        null, index.config().epsilon());
  }

  private BatchSearchRequest(RabitqIndex index, float[][] queries, int k, int nprobe,
      RowFilter filter, float epsilon) {
    this.index = index;
    this.queries = queries;
    this.k = k;
    this.nprobe = nprobe;
    this.filter = filter;
    this.epsilon = epsilon;
  }

  public BatchSearchRequest k(int value) {
    return new BatchSearchRequest(index, queries, value, nprobe, filter, epsilon);
  }

  public BatchSearchRequest nprobe(int value) {
    return new BatchSearchRequest(index, queries, k, value, filter, epsilon);
  }

  public BatchSearchRequest filter(RowFilter value) {
    return new BatchSearchRequest(index, queries, k, nprobe, value, epsilon);
  }

  public BatchSearchRequest epsilon(float value) {
    return new BatchSearchRequest(index, queries, k, nprobe, filter, value);
  }

  /** One result per query, in query order. */
  public List<Neighbors> run() {
    SearchRequest.checkParameters(index, k, nprobe, filter, epsilon);
    int dim = index.dim();
    float[] flat = new float[Math.multiplyExact(queries.length, dim)];
    for (int q = 0; q < queries.length; q++) {
      SearchRequest.prepareQuery(index, queries[q], "query " + q, flat, q * dim);
    }
    Probes probes = new Probes(index, nprobe, filter, k);
    int[] allowedInList = allowedPerList();
    List<Neighbors> results = new ArrayList<>(queries.length);
    for (int from = 0; from < queries.length; from += QUERY_CHUNK) {
      int count = Math.min(QUERY_CHUNK, queries.length - from);
      runChunk(flat, from, count, probes, allowedInList, results);
    }
    return results;
  }

  private void runChunk(float[] flat, int from, int count, Probes probes, int[] allowedInList,
      List<Neighbors> results) {
    int dim = index.dim();
    int nlist = index.nlist();
    int stride = probes.dotsStride();
    float[] dots = new float[count * stride];
    float[] chunk = Arrays.copyOfRange(flat, from * dim, (from + count) * dim);
    probes.centroidDots(chunk, count, dots);

    // Invert (query -> lists) into (list -> queries), in query order within each list.
    int[][] probed = new int[count][];
    int[] perList = new int[nlist + 1];
    for (int q = 0; q < count; q++) {
      probed[q] = listsToScan(probes, probes.order(dots, q * stride), allowedInList);
      for (int list : probed[q]) {
        perList[list + 1]++;
      }
    }
    for (int l = 0; l < nlist; l++) {
      perList[l + 1] += perList[l];
    }
    int[] queriesOfList = new int[perList[nlist]];
    int[] fill = Arrays.copyOf(perList, nlist);
    for (int q = 0; q < count; q++) {
      for (int list : probed[q]) {
        queriesOfList[fill[list]++] = q;
      }
    }

    QueryScan[] scans = new QueryScan[count];
    for (int q = 0; q < count; q++) {
      scans[q] = new QueryScan();
      System.arraycopy(chunk, q * dim, scans[q].queryBuffer(dim), 0, dim);
      scans[q].start(index, k, filter, epsilon);
    }
    for (int list = 0; list < nlist; list++) {
      int qFrom = perList[list];
      int qTo = perList[list + 1];
      if (qFrom == qTo) {
        continue;
      }
      for (int i = qFrom; i < qTo; i++) {
        scans[queriesOfList[i]].prepare(list);
      }
      int end = index.listStart[list + 1];
      for (int block = index.listStart[list]; block < end; block += ROW_BLOCK) {
        int blockEnd = Math.min(end, block + ROW_BLOCK);
        for (int i = qFrom; i < qTo; i++) {
          int q = queriesOfList[i];
          scans[q].scan(block, blockEnd, dots[q * stride + list]);
        }
      }
      for (int i = qFrom; i < qTo; i++) {
        scans[queriesOfList[i]].finishList();
      }
    }
    for (QueryScan scan : scans) {
      results.add(scan.result());
    }
  }

  /** The prefix of {@code order} a single search would scan (see {@link Probes#enough}). */
  private static int[] listsToScan(Probes probes, int[] order, int[] allowedInList) {
    long allowed = 0;
    int n = 0;
    while (n < order.length && !probes.enough(n, allowed)) {
      allowed += allowedInList[order[n]];
      n++;
    }
    return n == order.length ? order : Arrays.copyOf(order, n);
  }

  /** Rows each list holds that the filter allows (all its rows without a filter). */
  private int[] allowedPerList() {
    int[] counts = new int[index.nlist()];
    for (int list = 0; list < index.nlist(); list++) {
      if (filter == null) {
        counts[list] = index.listSize(list);
        continue;
      }
      for (int s = index.listStart[list]; s < index.listStart[list + 1]; s++) {
        if (filter.allows(index.rows[s])) {
          counts[list]++;
        }
      }
    }
    return counts;
  }
}
