package io.lakeann.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.IndexConfig;
import io.lakeann.core.Metric;
import io.lakeann.iceberg.BuildResult;
import io.lakeann.iceberg.NoIndexException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongPredicate;
import org.apache.iceberg.StatisticsFile;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Iceberg's table maintenance, run through its Spark procedures on indexed tables: after each,
 * the index either still serves (and a join agrees with an exact join over the live rows) or is
 * reported missing ({@link NoIndexException}) and a build brings it back; a join never returns a
 * row the table no longer holds. Each table starts with two or three appended files and a bundle.
 */
class MaintenanceTest {
  static final int K = 10;
  static final float[][] QUERIES = SparkFixture.vectors(60, 9);
  static final String MANIFEST_BLOB = "lakeann-manifest-v1";
  static final String NDV_BLOB = "apache-datasketches-theta-v1";

  @TempDir
  static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void start() {
    // spark.testing lets remove_orphan_files take an older_than less than a day ago (here: in
    // the future, so every unreferenced file qualifies), as Iceberg's own tests do.
    spark = SparkFixture.builder(dir.resolve("wh"), "local[2]")
        .config("spark.testing", "true")
        .getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void removeOrphanFilesDeletesReplacedBundlesAndStagingLeftoversButNoRegisteredBundle()
      throws IOException {
    String table = "lake.db.orphans";
    appendFiles(table, 2);
    BuildResult first = build(table).run();
    // A rebuild with another seed replaces the snapshot's statistics file: the old one is orphaned.
    BuildResult second = build(table).config(IndexConfig.builder().metric(Metric.L2).seed(99)
        .build()).run();
    String replaced = first.bundle().statisticsPath();
    String registered = second.bundle().statisticsPath();
    assertNotEquals(replaced, registered);
    Path leftover = Path.of(icebergTable(table).location(), "metadata",
        "lakeann-staging", UUID.randomUUID().toString(), "shard-0.rbpx");
    Files.createDirectories(leftover.getParent());
    Files.write(leftover, new byte[] {1, 2, 3});

    List<String> removed = new ArrayList<>();
    for (Row row : spark.sql("CALL lake.system.remove_orphan_files(table => 'db.orphans', "
        + "older_than => TIMESTAMP '" + SparkFixture.inADay() + "')").collectAsList()) {
      removed.add(SparkFixture.localPath(row.getString(0)));
    }

    assertEquals(Set.of(SparkFixture.localPath(replaced), leftover.toString()), Set.copyOf(removed),
        "orphans removed");
    assertFalse(Files.exists(Path.of(SparkFixture.localPath(replaced))));
    assertFalse(Files.exists(leftover));
    for (StatisticsFile stats : icebergTable(table).statisticsFiles()) {
      assertTrue(Files.exists(Path.of(SparkFixture.localPath(stats.path()))),
          "registered " + stats.path());
    }
    JoinStats joined = assertJoinMatchesExact(table, id -> false);
    assertEquals(second.bundle().snapshotId(), joined.bundleSnapshotId());
    assertEquals(0, joined.deltaRows(), "the bundle serves every row: " + joined);
  }

  @Test
  void expireSnapshotsKeepsTheBundleOfARetainedAncestorAndDeletesThoseItExpires() {
    String table = "lake.db.expiry";
    appendFiles(table, 2);
    BuildResult built = build(table).run();
    spark.sql("DELETE FROM " + table + " WHERE doc_id < 100 OR doc_id % 50 = 7");
    LongPredicate deleted = id -> id < 100 || id % 50 == 7;
    Path bundleFile = Path.of(SparkFixture.localPath(built.bundle().statisticsPath()));

    // Retaining two snapshots keeps the bundle's: it still serves, with the deletes masked.
    spark.sql("CALL lake.system.expire_snapshots(table => 'db.expiry', older_than => TIMESTAMP '"
        + SparkFixture.inADay() + "', retain_last => 2)").collectAsList();
    assertTrue(Files.exists(bundleFile));
    JoinStats masked = assertJoinMatchesExact(table, deleted);
    assertEquals(built.bundle().snapshotId(), masked.bundleSnapshotId());
    assertTrue(masked.maskedRows() > 0, masked.toString());

    // Retaining one expires the bundle's snapshot: Iceberg deletes the bundle with it.
    Row expired = spark.sql("CALL lake.system.expire_snapshots(table => 'db.expiry', "
        + "older_than => TIMESTAMP '" + SparkFixture.inADay() + "', retain_last => 1)").first();
    assertEquals(1L, expired.getLong(expired.fieldIndex("deleted_statistics_files_count")));
    assertFalse(Files.exists(bundleFile), "expired with its snapshot: " + bundleFile);
    assertTrue(icebergTable(table).statisticsFiles().isEmpty());
    NoIndexException none = assertThrows(NoIndexException.class, () -> join(table).run());
    assertTrue(none.getMessage().contains(table), none.getMessage());

    BuildResult rebuilt = build(table).run();
    JoinStats fresh = assertJoinMatchesExact(table, deleted);
    assertEquals(rebuilt.bundle().snapshotId(), fresh.bundleSnapshotId());
  }

  @Test
  void computeTableStatsDropsTheBundleAndJoinsFallBackToAnAncestorOrReportNoIndex() {
    String table = "lake.db.ndv";
    appendFiles(table, 1);
    BuildResult first = build(table).run();
    long s1 = first.bundle().snapshotId();
    assertJoinMatchesExact(table, id -> false); // the shards are now cached in this JVM

    // compute_table_stats registers a file of its own sketches in place of the bundle's.
    spark.sql("CALL lake.system.compute_table_stats(table => 'db.ndv')").collectAsList();
    StatisticsFile sketches = statisticsOf(table, s1);
    assertNotEquals(first.bundle().statisticsPath(), sketches.path());
    assertEquals(Set.of(NDV_BLOB), blobTypes(sketches), "the bundle's blobs were dropped");
    NoIndexException none = assertThrows(NoIndexException.class, () -> join(table).run(),
        "no ancestor has a bundle, and the cached shards must not be used");
    assertTrue(none.getMessage().contains(table), none.getMessage());

    // A rebuild registers the bundle beside the sketches, which it keeps.
    BuildResult rebuilt = build(table).run();
    assertFalse(rebuilt.alreadyRegistered());
    StatisticsFile merged = statisticsOf(table, s1);
    assertEquals(Set.of(NDV_BLOB, MANIFEST_BLOB, "lakeann-rabitq-v1"), blobTypes(merged));
    assertEquals(count(sketches, NDV_BLOB), count(merged, NDV_BLOB), "every sketch kept");
    assertEquals(s1, assertJoinMatchesExact(table, id -> false).bundleSnapshotId());

    // On a later snapshot the same happens; the join falls back to the first snapshot's bundle
    // and searches the rows added since exactly.
    float[][] added = SparkFixture.vectors(500, 4);
    SparkFixture.append(spark, table, 10_000, added);
    BuildResult second = build(table).run();
    long s2 = second.bundle().snapshotId();
    spark.sql("CALL lake.system.compute_table_stats(table => 'db.ndv')").collectAsList();
    assertEquals(Set.of(NDV_BLOB), blobTypes(statisticsOf(table, s2)));
    JoinStats fallback = assertJoinMatchesExact(table, id -> false);
    assertEquals(s1, fallback.bundleSnapshotId(), fallback.toString());
    assertEquals(added.length, fallback.deltaRows(), fallback.toString());
    JoinResult own = LakeAnn.annJoin(SparkFixture.queries(spark, added), "qvec")
        .against(table, "embedding").k(1).run();
    Map<Integer, List<Long>> nearest = SparkFixture.neighbours(own.rows());
    for (int q = 0; q < added.length; q++) {
      assertEquals(10_000L + q, nearest.get(q).get(0), "added row " + q + " is found");
    }
  }

  @Test
  void rewriteDataFilesReplacesEveryIndexedFileAndJoinsStayExactUntilRebuilt() {
    String table = "lake.db.compacted";
    appendFiles(table, 3);
    BuildResult built = build(table).run();
    assertEquals(3, built.shardsBuilt());
    spark.sql("DELETE FROM " + table + " WHERE doc_id % 10 = 3");
    LongPredicate deleted = id -> id % 10 == 3;

    Row rewritten = spark.sql("CALL lake.system.rewrite_data_files(table => 'db.compacted', "
        + "options => map('rewrite-all', 'true'))").first();
    assertEquals(3, rewritten.getInt(rewritten.fieldIndex("rewritten_data_files_count")));
    long live = spark.table(table).count();
    assertEquals(3000 - 300, live);

    JoinStats exact = assertJoinMatchesExact(table, deleted);
    assertEquals(built.bundle().snapshotId(), exact.bundleSnapshotId());
    // On this v2 table the new files are the lowest shard's successors: it recognises its own
    // 900 surviving rows there and searches the other shards' rows exactly.
    assertEquals(900, exact.indexedRows(), exact.toString());
    assertEquals(live - 900, exact.deltaRows(), exact.toString());

    BuildResult rebuilt = build(table).run();
    assertEquals(0, rebuilt.shardsReused(), "a compaction leaves no shard to reuse");
    JoinStats indexed = assertJoinMatchesExact(table, deleted);
    assertEquals(rebuilt.bundle().snapshotId(), indexed.bundleSnapshotId());
    assertEquals(live, indexed.indexedRows(), indexed.toString());
    assertEquals(0, indexed.deltaRows(), indexed.toString());
  }

  /** A new table with {@code files} appended files of 1000 rows each, ids 0, 1, 2, ... */
  private static void appendFiles(String table, int files) {
    SparkFixture.createDocs(spark, table, files, 1000);
  }

  private static BuildJob build(String table) {
    return LakeAnn.build(spark, table).column("embedding").id("doc_id").metric(Metric.L2)
        .targetRowsPerShard(1000);
  }

  private static AnnJoin join(String table) {
    return LakeAnn.annJoin(SparkFixture.queries(spark, QUERIES), "qvec")
        .against(table, "embedding").k(K);
  }

  /**
   * Joins the queries against {@code table} and checks the answer against an exact join over
   * the rows the table holds now: every id live (none {@code deleted}), recall@10 at least 0.95.
   */
  private static JoinStats assertJoinMatchesExact(String table, LongPredicate deleted) {
    JoinResult join = join(table).run();
    Map<Integer, List<Long>> found = SparkFixture.neighbours(join.rows());
    Map<Long, float[]> live = SparkFixture.liveVectors(spark, table);
    for (List<Long> ids : found.values()) {
      assertEquals(K, ids.size());
      for (long id : ids) {
        assertFalse(deleted.test(id), "deleted id " + id + " returned");
        assertTrue(live.containsKey(id), "id " + id + " is not in the table");
      }
    }
    List<List<Long>> exact = SparkFixture.exact(live, QUERIES, K, Metric.L2);
    double recall = SparkFixture.recall(exact, found);
    assertTrue(recall >= 0.95, "recall@10 " + recall + " " + join.stats());
    assertEquals(icebergTable(table).currentSnapshot().snapshotId(), join.stats().snapshotId());
    return join.stats();
  }

  private static Table icebergTable(String table) {
    return SparkTables.load(spark, table);
  }

  private static StatisticsFile statisticsOf(String table, long snapshotId) {
    StatisticsFile found = null;
    for (StatisticsFile stats : icebergTable(table).statisticsFiles()) {
      if (stats.snapshotId() == snapshotId) {
        assertNull(found, "one statistics file per snapshot");
        found = stats;
      }
    }
    assertNotNull(found, "snapshot " + snapshotId + " has statistics");
    return found;
  }

  private static Set<String> blobTypes(StatisticsFile stats) {
    Set<String> types = new HashSet<>();
    stats.blobMetadata().forEach(b -> types.add(b.type()));
    return types;
  }

  private static long count(StatisticsFile stats, String type) {
    return stats.blobMetadata().stream().filter(b -> b.type().equals(type)).count();
  }
}
