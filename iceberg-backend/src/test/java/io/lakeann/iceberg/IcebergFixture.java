package io.lakeann.iceberg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.ExactSearch;
import io.lakeann.core.IndexConfig;
import io.lakeann.core.Metric;
import io.lakeann.core.data.SyntheticVectors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.Table;

/**
 * Shared pieces of the Iceberg layer's tests: clustered rows with sequential ids, a small index
 * config, and the oracle (exact search over a snapshot's live vectors, read back through
 * Iceberg's own generic reader).
 */
final class IcebergFixture {
  static final int DIM = 16;
  static final int K = 10;
  /**
   * Probe every list and re-rank every candidate: with originals stored, results then equal
   * exact search, whatever the shards.
   */
  static final SearchParams EXHAUSTIVE = SearchParams.topK(K).withNprobe(Integer.MAX_VALUE)
      .withEpsilon(1000f);
  static final SearchParams DEFAULTS = SearchParams.topK(K);
  private static final SyntheticVectors DATA = new SyntheticVectors(DIM, 12, 1.0f, 11);

  private IcebergFixture() {}

  static IndexConfig config(Metric metric) {
    return IndexConfig.builder().metric(metric).nlist(8).seed(3).threads(2).build();
  }

  static long[] ids(long first, int n) {
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = first + i;
    }
    return ids;
  }

  /** {@code n} clustered vectors, different for each seed. */
  static float[][] vectors(int n, long seed) {
    return SyntheticVectors.rows(DATA.points(n, seed), DIM);
  }

  static float[][] queries(int n) {
    return vectors(n, 999);
  }

  static LakeAnnTable indexed(Table table, Path shardDir, Metric metric) {
    return LakeAnnTable.of(table).column(TestWarehouse.vectorColumn(table)).id("id")
        .config(config(metric)).targetRowsPerShard(700)
        .cache(new ShardCache(new io.lakeann.core.cache.IndexCache<>(1L << 30), shardDir, 2));
  }

  /** Exact top-k ids over the live vectors of {@code snapshotId}. */
  static List<List<Long>> exact(TestWarehouse wh, Table table, long snapshotId, Metric metric,
      float[][] queries) {
    return ExactSearch.groundTruth(
        wh.liveVectors(table, snapshotId, TestWarehouse.vectorColumn(table)), DIM, metric,
        queries, K);
  }


  /** The ids of hits as logical longs ("doc-7" and 7 both give 7). */
  static List<Long> idsOf(List<Hit> hits) {
    List<Long> out = new ArrayList<>();
    for (Hit h : hits) {
      out.add(TestWarehouse.logicalId(h.id()));
    }
    return out;
  }

  static List<List<Long>> search(SnapshotIndex index, float[][] queries, SearchParams params) {
    List<List<Long>> out = new ArrayList<>();
    for (float[] q : queries) {
      out.add(idsOf(index.search(q, params)));
    }
    return out;
  }

  /** Asserts the found lists hold only live ids and equal the exact lists as sets. */
  static void assertSameNeighbours(List<List<Long>> expected, List<List<Long>> found,
      Set<Long> live) {
    assertEquals(expected.size(), found.size());
    for (int q = 0; q < expected.size(); q++) {
      for (long id : found.get(q)) {
        assertTrue(live.contains(id), "query " + q + " returned id " + id
            + ", which the snapshot does not hold");
      }
      assertEquals(new HashSet<>(expected.get(q)), new HashSet<>(found.get(q)),
          "query " + q + " neighbours");
    }
  }

  static double recall(List<List<Long>> expected, List<List<Long>> found) {
    return io.lakeann.core.search.Recall.of(expected, found);
  }

}
