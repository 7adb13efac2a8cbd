package io.lakeann.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.Metric;
import io.lakeann.core.cache.CacheGroup;
import io.lakeann.core.cache.CacheStats;
import io.lakeann.iceberg.BuildResult;
import io.lakeann.iceberg.Consistency;
import io.lakeann.iceberg.Hit;
import io.lakeann.iceberg.LakeAnnTable;
import io.lakeann.iceberg.SearchParams;
import io.lakeann.iceberg.ShardCache;
import io.lakeann.iceberg.Searcher;
import io.lakeann.iceberg.SnapshotRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The main path on a real local[2] Spark with a real Iceberg catalog: build, join, append, join,
 * delete, join, a second join that loads nothing, and a frozen join after commits. And the one
 * plan: the local searcher and the Spark join plan every snapshot through the join planner, so
 * for every consistency mode, before and after an append and a delete, they return the same
 * neighbours in the same order from the same snapshot; EVENTUAL's clock is the planner's, shared
 * by both.
 */
class SparkJoinTest extends LocalSparkTest {
  private static final String PLANNED = "lake.db.planned";
  private static final int K = 10;


  @Test
  void joinsFollowEveryCommitAndTheSecondJoinOnASnapshotLoadsNothing() {
    String table = "lake.db.docs";
    SparkFixture.createDocs(spark, table, 2);
    SparkFixture.append(spark, table, 0, SparkFixture.vectors(1500, 1));
    SparkFixture.append(spark, table, 1500, SparkFixture.vectors(1500, 2));
    BuildResult built = LakeAnn.build(spark, table).column("embedding").id("doc_id")
        .metric(Metric.L2).targetRowsPerShard(1500).run();
    assertEquals(2, built.shardsBuilt());
    long first = built.bundle().snapshotId();

    float[][] queryVectors = SparkFixture.vectors(60, 9);
    Dataset<Row> queries = SparkFixture.queries(spark, queryVectors);
    AnnJoin join = LakeAnn.annJoin(queries, "qvec").against(table, "embedding").k(10);
    JoinResult joined = join.run();
    Dataset<Row> result = joined.rows();
    assertEquals(List.of("qid", "tag", "qvec", "neighbor_id", "distance", "rank", "snapshot_id"),
        List.of(result.columns()));
    Map<Integer, List<Long>> found = SparkFixture.neighbours(result);
    List<List<Long>> exact = SparkFixture.exact(SparkFixture.liveVectors(spark, table),
        queryVectors, 10, Metric.L2);
    assertTrue(SparkFixture.recall(exact, found) >= 0.95, "recall " + SparkFixture.recall(exact,
        found));
    assertEquals(600, result.count());
    assertEquals(first, joined.stats().snapshotId());
    joined.unpersist();
    assertEquals(600, result.count(), "the result is recomputed after unpersist");

    JoinStats again = LakeAnn.annJoin(queries, "qvec").against(table, "embedding").k(10).run()
        .stats();
    assertEquals(0, again.loads(), "second join on an unchanged snapshot: " + again);
    assertEquals(again.tasks(), again.cacheHits(), "every shard search was a hit: " + again);

    float[][] added = SparkFixture.vectors(40, 3);
    SparkFixture.append(spark, table, 5000, added);
    JoinResult afterAppend = LakeAnn.annJoin(SparkFixture.queries(spark, added), "qvec")
        .against(table, "embedding").k(1).run();
    Map<Integer, List<Long>> nearest = SparkFixture.neighbours(afterAppend.rows());
    for (int q = 0; q < added.length; q++) {
      assertEquals(5000L + q, nearest.get(q).get(0), "added row " + q + " is its own neighbour");
    }
    assertEquals(40, afterAppend.stats().deltaRows());
    assertEquals(0, afterAppend.stats().loads(), "the shards were unchanged");
    JoinStats appended = afterAppend.stats();
    CacheGroup deltaGroup = new CacheGroup(SparkTables.load(spark, table).name(), "delta");
    CacheStats deltas = ShardCache.global().groupStats().get(deltaGroup);
    JoinStats appendedAgain = LakeAnn.annJoin(SparkFixture.queries(spark, added), "qvec")
        .against(table, "embedding").k(1).run().stats();
    long b = appended.queryBlocks(); // each block searches two shards and the one delta group
    assertEquals(List.of(2L, 2 * b - 2, 1L, b - 1, 0L, 2 * b, 0L, b),
        List.of(appended.viewLoads(), appended.viewHits(), appended.deltaLoads(),
            appended.deltaHits(), appendedAgain.viewLoads(), appendedAgain.viewHits(),
            appendedAgain.deltaLoads(), appendedAgain.deltaHits()),
        "a new snapshot: the shards' states and the added rows once, then found");
    CacheStats deltasAgain = ShardCache.global().groupStats().get(deltaGroup);
    assertEquals(List.of(0L, b, deltas.entries()), List.of(deltasAgain.loads() - deltas.loads(),
        deltasAgain.hits() - deltas.hits(), deltasAgain.entries()), deltasAgain.toString());
    assertTrue(deltas.bytes() >= 40L * 4 * SparkFixture.DIM, "the added rows' vectors are "
        + "charged to the budget: " + deltas);

    spark.sql("DELETE FROM " + table + " WHERE doc_id < 100 OR doc_id = 5001");
    Dataset<Row> afterDelete = LakeAnn.annJoin(SparkFixture.queries(spark,
        SparkFixture.vectors(100, 1)), "qvec").against(table, "embedding").k(10).run().rows();
    for (Row row : afterDelete.select("neighbor_id").collectAsList()) {
      long id = row.getLong(0);
      assertFalse(id < 100 || id == 5001, "deleted id " + id + " returned");
    }

    JoinResult frozen = LakeAnn.annJoin(queries, "qvec").against(table, "embedding").k(10)
        .consistency(Consistency.frozen(SnapshotRef.id(first))).run();
    assertEquals(found, SparkFixture.neighbours(frozen.rows()), "frozen on the first snapshot");
    assertEquals(first, frozen.stats().snapshotId());
  }

  @Test
  void theLocalSearcherAndTheJoinAnswerAlikeThroughTheOnePlan() {
    SparkFixture.createDocs(spark, PLANNED, 2);
    SparkFixture.append(spark, PLANNED, 0, SparkFixture.vectors(800, 1));
    SparkFixture.append(spark, PLANNED, 800, SparkFixture.vectors(800, 2));
    LakeAnn.build(spark, PLANNED).column("embedding").id("doc_id").metric(Metric.L2)
        .targetRowsPerShard(800).run();
    float[][] queries = SparkFixture.vectors(40, 7);
    long built = currentSnapshot();
    // EVENTUAL with a long ttl first looks now, then keeps this snapshot for both paths.
    Consistency eventual = Consistency.eventual(Duration.ofHours(1));
    assertAlike(eventual, queries, built);
    assertAlike(Consistency.fresh(), queries, built);

    SparkFixture.append(spark, PLANNED, 5_000, SparkFixture.vectors(120, 3));
    long appended = currentSnapshot();
    assertAlike(Consistency.fresh(), queries, appended);
    assertAlike(eventual, queries, built);
    assertAlike(Consistency.frozen(SnapshotRef.id(built)), queries, built);

    spark.sql("DELETE FROM " + PLANNED + " WHERE doc_id % 7 = 0");
    long deleted = currentSnapshot();
    assertAlike(Consistency.fresh(), queries, deleted);
    assertAlike(Consistency.frozen(SnapshotRef.id(appended)), queries, appended);
    assertAlike(Consistency.frozen(SnapshotRef.current()), queries, deleted);
    assertAlike(eventual, queries, built);
  }

  private static long currentSnapshot() {
    Table table = SparkTables.load(spark, PLANNED);
    table.refresh();
    return table.currentSnapshot().snapshotId();
  }

  /**
   * At a fixed effort and at the exact-safe target, the searcher and the join under
   * {@code consistency} search {@code snapshot} and return the same neighbours.
   */
  private static void assertAlike(Consistency consistency, float[][] queries, long snapshot) {
    for (SearchParams params : List.of(SearchParams.topK(K).withNprobe(4),
        SearchParams.topK(K).withRecall(1.0))) {
      Map<Integer, List<Long>> local = new HashMap<>();
      LakeAnnTable index = LakeAnnTable.of(SparkTables.load(spark, PLANNED)).column("embedding")
          .id("doc_id");
      try (Searcher searcher = index.searcher(consistency)) {
        Searcher.BatchResult result = searcher.searchBatch(queries, params);
        assertEquals(snapshot, result.coverage().snapshotId(), "local, " + consistency);
        for (int q = 0; q < queries.length; q++) {
          List<Long> ids = new ArrayList<>();
          for (Hit hit : result.hits().get(q)) {
            ids.add((Long) hit.id());
          }
          local.put(q, ids);
        }
      }
      AnnJoin join = LakeAnn.annJoin(SparkFixture.queries(spark, queries), "qvec")
          .against(PLANNED, "embedding").k(K).consistency(consistency);
      join = params.nprobe() > 0 ? join.nprobe(params.nprobe()) : join.recall(params.recall());
      JoinResult result = join.run();
      Map<Integer, List<Long>> joined = SparkFixture.neighbours(result.rows());
      result.unpersist();
      assertEquals(snapshot, result.stats().snapshotId(), "join, " + consistency);
      assertEquals(local, joined, consistency + ", " + params);
      assertTrue(local.values().stream().allMatch(ids -> ids.size() == K), "k hits each");
    }
  }
}
