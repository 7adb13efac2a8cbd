package io.lakeann.bench;

import io.lakeann.core.ExactSearch;
import io.lakeann.core.Metric;
import io.lakeann.core.VectorSet;
import io.lakeann.core.data.VecsFiles;
import io.lakeann.core.search.Neighbors;
import io.lakeann.spark.cli.UsageException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The true k nearest base ids of every query, from an ivecs file or from an exact scan, and the one
 * definition of recall@k the benchmark uses: |found ∩ true top-k| / k. Immutable.
 *
 * @param ids true top-k ids per query, nearest first
 * @param source where they came from, for the report
 * @param seconds time spent computing them (0 when read from a file)
 * @param threads threads used computing them (0 when read from a file)
 */
record GroundTruth(long[][] ids, String source, double seconds, int threads) {

  /**
   * Reads the first {@code k} neighbours of each of the data's truth queries from {@code file}
   * (one row per query of the source file) and checks them.
   */
  static GroundTruth fromIvecs(Path file, Dataset data, int k) {
    int[][] rows = VecsFiles.readIvecs(file);
    if (rows.length != data.sourceQueries()) {
      throw new UsageException("--gt %s has %d rows but the --queries file has %d queries; pass"
          + " the ground truth of the --queries file", file, rows.length, data.sourceQueries());
    }
    int queries = data.truthQueries().length;
    if (rows[0].length < k) {
      throw new UsageException("--gt %s lists %d neighbours per query, fewer than --k %d; use"
          + " --k %d or less", file, rows[0].length, k, rows[0].length);
    }
    long[][] ids = new long[queries][k];
    for (int q = 0; q < queries; q++) {
      for (int i = 0; i < k; i++) {
        int row = rows[q][i];
        if (row < 0 || row >= data.size()) {
          throw new UsageException("--gt %s: query %d lists row %d but the base has rows 0..%d;"
              + " pass the ground truth of the --base file", file, q, row, data.size() - 1);
        }
        ids[q][i] = row;
      }
    }
    return new GroundTruth(ids, file.toString(), 0, 0);
  }

  /** Computes the truth of the truth queries with {@link ExactSearch} on {@code threads}. */
  static GroundTruth exact(Dataset data, Metric metric, int k, int threads) {
    return exact(data.base(), data.truthQueries(), metric, k, threads);
  }

  /** The true top-k of each query among {@code base}, by {@link ExactSearch} on {@code threads}. */
  static GroundTruth exact(VectorSet base, float[][] queries, Metric metric, int k, int threads) {
    long start = System.nanoTime();
    List<Neighbors> found = new ExactSearch(base, metric).searchAll(queries, k, null, threads);
    double seconds = Clock.secondsSince(start);
    long[][] ids = new long[found.size()][];
    for (int q = 0; q < ids.length; q++) {
      ids[q] = found.get(q).ids();
    }
    return new GroundTruth(ids, "exact search", seconds, threads);
  }

  /** The JSON line that reports this truth (its time is not a QPS). */
  Map<String, Object> fields(String dataset, int k) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("type", "ground_truth");
    f.put("dataset", dataset);
    f.put("source", source);
    f.put("queries", ids.length);
    f.put("k", k);
    f.put("seconds", Json.round(seconds, 3));
    f.put("threads", threads);
    return f;
  }

  /** Recall@k of {@code found} for query {@code query}: the share of its true top-k it contains. */
  double recall(int query, long[] found) {
    long[] truth = ids[query];
    int hits = 0;
    for (long id : found) {
      for (long t : truth) {
        if (id == t) {
          hits++;
          break;
        }
      }
    }
    return (double) hits / truth.length;
  }
}
