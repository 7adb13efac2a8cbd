package io.lakeann.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.Metric;
import io.lakeann.iceberg.Consistency;
import io.lakeann.iceberg.Hit;
import io.lakeann.iceberg.LakeAnnTable;
import io.lakeann.iceberg.SearchParams;
import io.lakeann.iceberg.Searcher;
import io.lakeann.iceberg.SnapshotRef;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local searcher and the Spark join plan every snapshot through the one join planner, so
 * they answer alike: for every consistency mode, before and after an append and a delete, the
 * same neighbours in the same order from the same snapshot. EVENTUAL's clock is the planner's,
 * shared by both.
 */
class OnePlanTest {
  private static final String TABLE = "lake.db.planned";
  private static final int K = 10;

  @TempDir
  static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkFixture.localSession(dir);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void theLocalSearcherAndTheJoinAnswerAlikeThroughTheOnePlan() {
    SparkFixture.createDocs(spark, TABLE, 2);
    SparkFixture.append(spark, TABLE, 0, SparkFixture.vectors(800, 1));
    SparkFixture.append(spark, TABLE, 800, SparkFixture.vectors(800, 2));
    LakeAnn.build(spark, TABLE).column("embedding").id("doc_id").metric(Metric.L2)
        .targetRowsPerShard(800).run();
    float[][] queries = SparkFixture.vectors(40, 7);
    long built = currentSnapshot();
    // EVENTUAL with a long ttl first looks now, then keeps this snapshot for both paths.
    Consistency eventual = Consistency.eventual(Duration.ofHours(1));
    assertAlike(eventual, queries, built);
    assertAlike(Consistency.fresh(), queries, built);

    SparkFixture.append(spark, TABLE, 5_000, SparkFixture.vectors(120, 3));
    long appended = currentSnapshot();
    assertAlike(Consistency.fresh(), queries, appended);
    assertAlike(eventual, queries, built);
    assertAlike(Consistency.frozen(SnapshotRef.id(built)), queries, built);

    spark.sql("DELETE FROM " + TABLE + " WHERE doc_id % 7 = 0");
    long deleted = currentSnapshot();
    assertAlike(Consistency.fresh(), queries, deleted);
    assertAlike(Consistency.frozen(SnapshotRef.id(appended)), queries, appended);
    assertAlike(Consistency.frozen(SnapshotRef.current()), queries, deleted);
    assertAlike(eventual, queries, built);
  }

  private static long currentSnapshot() {
    Table table = SparkTables.load(spark, TABLE);
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
      LakeAnnTable index = LakeAnnTable.of(SparkTables.load(spark, TABLE)).column("embedding")
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
          .against(TABLE, "embedding").k(K).consistency(consistency);
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
