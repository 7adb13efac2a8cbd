package io.lakeann.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.lakeann.core.Metric;
import io.lakeann.iceberg.BuildResult;
import io.lakeann.iceberg.Consistency;
import io.lakeann.iceberg.Coverage;
import io.lakeann.iceberg.Hit;
import io.lakeann.iceberg.LakeAnnTable;
import io.lakeann.iceberg.SearchParams;
import io.lakeann.iceberg.Searcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rows that a copy-on-write DELETE, UPDATE or MERGE or a {@code rewrite_data_files} copies into
 * new files stay served by the index — on a format v3 table by their row lineage, on a v2 table
 * by their id and vector fingerprint in the files that replaced the shard's: only rows really
 * changed are searched exactly, and every answer stays the exact one on the snapshot it
 * reports, through the Spark join and the local searcher alike, with a filter too.
 */
class RowLineageTest extends LocalSparkTest {
  static final int K = 10;
  static final int ROWS = 200;
  static final float[][] QUERIES = SparkFixture.vectors(30, 9);


  @ParameterizedTest(name = "format v{0}")
  @ValueSource(ints = {2, 3})
  void rowsThatRewritesCopyStayServedByTheIndexAndOnlyChangedRowsAreSearchedExactly(
      int formatVersion) {
    String table = "lake.db.rewritten_v" + formatVersion;
    spark.sql("CREATE TABLE " + table + " (doc_id bigint NOT NULL, category int, "
        + "embedding array<float>) USING iceberg TBLPROPERTIES ('format-version'='"
        + formatVersion + "', "
        + "'write.delete.mode'='copy-on-write', 'write.update.mode'='copy-on-write', "
        + "'write.merge.mode'='copy-on-write')");
    for (int f = 0; f < 3; f++) {
      SparkFixture.append(spark, table, (long) f * ROWS, SparkFixture.vectors(ROWS, f + 1));
    }
    LakeAnn.build(spark, table).column("embedding").id("doc_id").run();

    // Every file is rewritten without one row in ten.
    spark.sql("DELETE FROM " + table + " WHERE doc_id % 10 = 0");
    JoinStats deleted = SparkFixture.assertJoinIsExact(spark, table, QUERIES, K);
    assertEquals(540, deleted.indexedRows(), "the survivors stay indexed: " + deleted);
    assertEquals(0, deleted.deltaRows(), deleted.toString());
    Coverage coverage = assertSearcherIsExact(table);
    assertEquals(540, coverage.indexedRows(), coverage.toString());
    assertFalse(coverage.refreshDue(), coverage.toString());

    // Five rows get new vectors, next to query 0: the index must not serve their old ones.
    spark.sql("UPDATE " + table + " SET embedding = " + literal(QUERIES[0])
        + " WHERE doc_id IN (1, 2, 3, 201, 401)");
    JoinStats updated = SparkFixture.assertJoinIsExact(spark, table, QUERIES, K);
    assertEquals(5, updated.deltaRows(), "only the updated rows are exact: " + updated);
    assertEquals(535, updated.indexedRows(), updated.toString());

    // A merge updates one row, inserts two and leaves the rest of the file as it was.
    spark.sql("SELECT * FROM VALUES (5L, " + literal(QUERIES[1]) + "), (9001L, "
        + literal(QUERIES[2]) + "), (9002L, " + literal(QUERIES[3]) + ") AS s(doc_id, "
        + "embedding)").createOrReplaceTempView("changes");
    spark.sql("MERGE INTO " + table + " t USING changes s ON t.doc_id = s.doc_id "
        + "WHEN MATCHED THEN UPDATE SET t.embedding = s.embedding "
        + "WHEN NOT MATCHED THEN INSERT (doc_id, category, embedding) "
        + "VALUES (s.doc_id, 7, s.embedding)");
    JoinStats merged = SparkFixture.assertJoinIsExact(spark, table, QUERIES, K);
    assertEquals(8, merged.deltaRows(), "5 + 1 updated, 2 inserted: " + merged);
    assertEquals(534, merged.indexedRows(), merged.toString());

    // Compaction rewrites every file: nothing changes for the index.
    spark.sql("CALL lake.system.rewrite_data_files(table => '"
        + table.substring("lake.".length()) + "', options => map('rewrite-all', 'true', "
        + "'min-input-files', '1'))");
    JoinStats compacted = SparkFixture.assertJoinIsExact(spark, table, QUERIES, K);
    assertEquals(8, compacted.deltaRows(), compacted.toString());
    assertEquals(534, compacted.indexedRows(), compacted.toString());
    assertSearcherIsExact(table);

    // A filter is evaluated where each surviving row lives now.
    assertFilteredJoinIsExact(table, "doc_id % 3 = 1");

    // A refresh indexes the rewritten files and serves everything from its own bundle.
    LakeAnn.build(spark, table).column("embedding").id("doc_id").run();
    JoinStats refreshed = SparkFixture.assertJoinIsExact(spark, table, QUERIES, K);
    assertEquals(refreshed.snapshotId(), refreshed.bundleSnapshotId(), refreshed.toString());
    assertEquals(542, refreshed.indexedRows(), refreshed.toString());

    // Rows the refreshed shards hold stored lineage for are found again after another delete.
    spark.sql("DELETE FROM " + table + " WHERE doc_id % 10 = 1");
    JoinStats again = SparkFixture.assertJoinIsExact(spark, table, QUERIES, K);
    assertEquals(0, again.deltaRows(), again.toString());
    assertEquals(481, again.indexedRows(), again.toString());
  }

  @ParameterizedTest(name = "format v{0}")
  @ValueSource(ints = {2, 3})
  void aRewriteOfSeveralShardsFilesKeepsEachShardsRowsIndexedGivenLineage(int formatVersion) {
    String table = "lake.db.three_shards_v" + formatVersion;
    threeShards(table, formatVersion);
    spark.sql("DELETE FROM " + table + " WHERE doc_id % 10 = 0");
    // One commit rewrote the files of all three shards: with lineage each shard finds its own
    // rows; without, the lowest shard recognises its own and searches the others' exactly.
    JoinStats rewritten = SparkFixture.assertJoinIsExact(spark, table, QUERIES, K);
    assertEquals(formatVersion == 3 ? 540 : 180, rewritten.indexedRows(), rewritten.toString());
    assertEquals(formatVersion == 3 ? 0 : 360, rewritten.deltaRows(), rewritten.toString());
  }

  @ParameterizedTest(name = "format v{0}")
  @ValueSource(ints = {2, 3})
  void aDamagedShardIsSearchedExactlyTogetherWithTheRowsRewritesMovedOutOfIt(int formatVersion)
      throws Exception {
    String table = "lake.db.damaged_v" + formatVersion;
    BuildResult built = threeShards(table, formatVersion);
    spark.sql("DELETE FROM " + table + " WHERE doc_id % 10 = 0");
    SparkFixture.damage(built.bundle(), 1);
    JoinStats damaged = SparkFixture.assertJoinIsExact(spark, table, QUERIES, K);
    assertEquals(1, damaged.damagedShards(), damaged.toString());
  }

  /** A new copy-on-write table of three files of {@link #ROWS} rows, indexed in three shards. */
  private static BuildResult threeShards(String table, int formatVersion) {
    spark.sql("CREATE TABLE " + table + " (doc_id bigint NOT NULL, category int, "
        + "embedding array<float>) USING iceberg TBLPROPERTIES ('format-version'='"
        + formatVersion + "', 'write.delete.mode'='copy-on-write')");
    for (int f = 0; f < 3; f++) {
      SparkFixture.append(spark, table, (long) f * ROWS, SparkFixture.vectors(ROWS, f + 1));
    }
    BuildResult built = LakeAnn.build(spark, table).column("embedding").id("doc_id")
        .targetRowsPerShard(ROWS).run();
    assertEquals(3, built.bundle().manifest().shards().size());
    return built;
  }

  /**
   * The local searcher's answers at an exact recall target equal the exact top-k of the current
   * snapshot; returns its coverage.
   */
  private static Coverage assertSearcherIsExact(String table) {
    LakeAnnTable index = LakeAnnTable.of(SparkTables.load(spark, table)).column("embedding")
        .id("doc_id");
    try (Searcher searcher = index.searcher(Consistency.fresh())) {
      Searcher.BatchResult result = searcher.searchBatch(QUERIES,
          SearchParams.topK(K).withRecall(1.0));
      long snapshot = result.coverage().snapshotId();
      List<List<Long>> exact = SparkFixture.exact(SparkFixture.liveVectors(spark.read()
          .option("versionAsOf", snapshot).table(table)), QUERIES, K, Metric.L2);
      for (int q = 0; q < QUERIES.length; q++) {
        List<Long> ids = new ArrayList<>();
        for (Hit hit : result.hits().get(q)) {
          ids.add((Long) hit.id());
        }
        assertEquals(exact.get(q), ids, "query " + q + ": " + result.coverage());
      }
      return result.coverage();
    }
  }

  /** A join with {@code filter} returns the exact top-k of the rows the filter selects. */
  private static void assertFilteredJoinIsExact(String table, String filter) {
    JoinResult join = LakeAnn.annJoin(SparkFixture.queries(spark, QUERIES), "qvec")
        .against(table, "embedding").k(K).recall(1.0).filter(filter).run();
    Map<Long, float[]> rows = SparkFixture.liveVectors(spark.read()
        .option("versionAsOf", join.stats().snapshotId()).table(table).where(filter));
    List<List<Long>> exact = SparkFixture.exact(rows, QUERIES, K, Metric.L2);
    Map<Integer, List<Long>> found = SparkFixture.neighbours(join.rows());
    for (int q = 0; q < QUERIES.length; q++) {
      assertEquals(exact.get(q), found.get(q), "query " + q + " with " + filter + ": "
          + join.stats());
    }
  }

  /** {@code v} as a Spark SQL array<float> literal. */
  private static String literal(float[] v) {
    List<String> values = new ArrayList<>();
    for (float f : v) {
      values.add(String.format(Locale.ROOT, "CAST(%s AS FLOAT)", Float.toString(f)));
    }
    return values.stream().collect(Collectors.joining(", ", "array(", ")"));
  }
}
