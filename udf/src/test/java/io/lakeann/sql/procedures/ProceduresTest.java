package io.lakeann.sql.procedures;

import static io.lakeann.sql.SqlSessions.one;
import static io.lakeann.sql.SqlSessions.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.iceberg.Consistency;
import io.lakeann.iceberg.RegisteredBundle;
import io.lakeann.spark.LakeAnn;
import io.lakeann.spark.SparkFixture;
import io.lakeann.spark.SparkTables;
import io.lakeann.iceberg.BundleStore;
import io.lakeann.iceberg.ColumnBinding;
import io.lakeann.sql.SqlSessions;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every lakeann procedure through {@code spark.sql("CALL lakeann.system...")} only, on a real
 * local[2] Spark with an Iceberg catalog on a temporary warehouse: what each returns and does,
 * with named and positional arguments. Each test has its own table.
 */
class ProceduresTest {
  static final float[][] FIRST = SparkFixture.vectors(600, 1);
  static final float[][] SECOND = SparkFixture.vectors(600, 2);
  static final float[][] THIRD = SparkFixture.vectors(100, 3);

  @TempDir
  static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SqlSessions.start(dir);
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.db");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** A table of two data files of 600 rows each. */
  static String docs(String name) {
    String table = "lake.db." + name;
    SparkFixture.createDocs(spark, table, 2);
    SparkFixture.append(spark, table, 0, FIRST);
    SparkFixture.append(spark, table, 600, SECOND);
    return table;
  }

  static Row build(String table) {
    return one(spark, "CALL lakeann.system.build_index(table => '" + table + "', column => "
        + "'embedding', id => 'doc_id', target_rows => 600)");
  }

  @Test
  void buildIndexBuildsEveryShardAndASecondCallIsANoOp() {
    String table = docs("built");
    Row first = build(table);
    assertEquals(false, first.getAs("already_registered"));
    assertEquals(2, (int) first.getAs("shards"));
    assertEquals(2, (int) first.getAs("shards_built"));
    assertEquals(1200L, (long) first.getAs("rows"));
    assertEquals("l2", first.getAs("metric"));
    assertEquals(SparkFixture.DIM, (int) first.getAs("dimension"));
    assertEquals(currentSnapshot(table), (long) first.getAs("snapshot_id"));

    Row second = build(table);
    assertEquals(true, second.getAs("already_registered"));
    assertEquals(0, (int) second.getAs("shards_built"));
    assertEquals(first.<String>getAs("witness"), second.getAs("witness"));
  }

  @Test
  void positionalArgumentsBindInSignatureOrder() {
    String table = docs("positional");
    Row built = one(spark, "CALL lakeann.system.build_index('" + table + "', 'embedding', "
        + "'doc_id', 'cosine', 600, 2)");
    assertEquals("cosine", built.getAs("metric"));
    assertEquals(2, (int) built.getAs("shards"));
    assertTrue(one(spark, "CALL lakeann.system.build_index('" + table + "', 'embedding', "
        + "'doc_id', metric => 'cosine', target_rows => 600, exbits => 2)")
        .<Boolean>getAs("already_registered"), "the same index, now by name");
  }

  @Test
  void refreshAfterInsertReusesShardsAndAfterDeleteReMasksOne() {
    String table = docs("refreshed");
    build(table);
    SparkFixture.append(spark, table, 1200, THIRD);
    Row inserted = one(spark, "CALL lakeann.system.refresh_index(table => '" + table
        + "', column => 'embedding')");
    assertEquals(2, (int) inserted.getAs("shards_reused"), inserted.toString());
    assertEquals(1, (int) inserted.getAs("shards_built"), inserted.toString());
    assertEquals(1300L, (long) inserted.getAs("rows"));
    assertEquals("doc_id", inserted.getAs("id_column"));

    spark.sql("DELETE FROM " + table + " WHERE doc_id < 10");
    Row deleted = one(spark, "CALL lakeann.system.refresh_index('" + table + "', 'embedding')");
    assertEquals(1, (int) deleted.getAs("shards_remasked"), deleted.toString());
    assertEquals(2, (int) deleted.getAs("shards_reused"), deleted.toString());
    assertEquals(0, (int) deleted.getAs("shards_built"), deleted.toString());
    assertEquals(1290L, (long) deleted.getAs("rows"));
    assertEquals(currentSnapshot(table), (long) deleted.getAs("snapshot_id"));
  }

  @Test
  void indexStatusSaysWhatServesTheCurrentSnapshotBeforeAndAfterABuild() {
    String table = docs("status");
    String call = "CALL lakeann.system.index_status(table => '" + table + "', column => "
        + "'embedding')";
    Row before = one(spark, call);
    assertEquals("current", before.getAs("entry"));
    assertEquals("none", before.getAs("served_by"));
    assertTrue(before.<String>getAs("reason").contains("build_index"), before.toString());
    assertEquals(List.of(), sql(spark, "CALL lakeann.system.index_status('" + table + "')"),
        "no column is indexed");

    long built = build(table).getAs("snapshot_id");
    List<Row> after = sql(spark, call);
    assertEquals(2, after.size(), after.toString());
    assertEquals("bundle", after.get(0).getAs("entry"));
    assertEquals(built, (long) after.get(0).getAs("snapshot_id"));
    assertEquals(1200L, (long) after.get(0).getAs("rows"));
    assertEquals("own bundle", after.get(1).getAs("served_by"));

    SparkFixture.append(spark, table, 1200, THIRD);
    List<Row> later = sql(spark, "CALL lakeann.system.index_status('" + table + "')");
    Row current = later.get(later.size() - 1);
    assertEquals("ancestor bundle", current.getAs("served_by"), later.toString());
    assertEquals(built, (long) current.getAs("bundle_snapshot_id"));
    assertEquals(100L, (long) current.getAs("delta_rows"));
    assertEquals(currentSnapshot(table), (long) current.getAs("snapshot_id"));
  }

  @Test
  void verifyIndexPassesEveryShardThenReportsTheTamperedOne() throws IOException {
    String table = docs("verified");
    build(table);
    String call = "CALL lakeann.system.verify_index(table => '" + table + "', column => "
        + "'embedding')";
    List<Row> clean = sql(spark, call);
    assertEquals(2, clean.size());
    for (Row shard : clean) {
      assertEquals("ok", shard.getAs("status"), shard.toString());
      assertNull(shard.getAs("reason"));
    }

    Table base = SparkTables.load(spark, table);
    int field = ColumnBinding.vectorField(base.name(), base.schema(), "embedding").fieldId();
    RegisteredBundle bundle = new BundleStore(base, BundleStore.DEFAULT_PART_BYTES)
        .find(base.currentSnapshot().snapshotId(), field).orElseThrow();
    RegisteredBundle.BlobRange part = bundle.shardBlobs().get(1).get(0);
    flipByte(local(bundle.statisticsPath()), part.offset() + part.length() / 2);

    List<Row> damaged = sql(spark, call);
    assertEquals("ok", damaged.get(0).getAs("status"));
    assertEquals(1, (int) damaged.get(1).getAs("shard"));
    assertEquals("refused", damaged.get(1).getAs("status"));
    assertTrue(damaged.get(1).<String>getAs("reason").contains("hash"), damaged.toString());
  }

  @Test
  void dropIndexUnregistersTheBundleAndDeletesItsFile() {
    String table = docs("dropped");
    String statistics = build(table).getAs("statistics_file");
    assertTrue(Files.exists(local(statistics)));

    Row dropped = one(spark, "CALL lakeann.system.drop_index(table => '" + table
        + "', column => 'embedding')");
    assertEquals(1, (int) dropped.getAs("bundles_dropped"));
    assertEquals(List.of(statistics), dropped.getList(dropped.fieldIndex("deleted_files")));
    assertFalse(Files.exists(local(statistics)), statistics + " is deleted");
    Row status = one(spark, "CALL lakeann.system.index_status('" + table + "', 'embedding')");
    assertEquals("none", status.getAs("served_by"));
    assertEquals(false, build(table).getAs("already_registered"), "a new build builds again");
  }

  @Test
  void annJoinWritesTheJavaJoinsAnswerToAnIcebergTable() {
    String table = docs("joined");
    build(table);
    SparkFixture.queries(spark, SparkFixture.vectors(20, 9)).writeTo("lake.db.questions")
        .using("iceberg").createOrReplace();
    Row stats = one(spark, "CALL lakeann.system.ann_join(queries => 'lake.db.questions', "
        + "query_column => 'qvec', query_id => 'qid', table => '" + table + "', column => "
        + "'embedding', k => 5, output => 'lake.db.answers', recall => 0.95)");
    assertEquals(20L, (long) stats.getAs("queries"));
    assertEquals(100L, (long) stats.getAs("output_rows"));
    assertEquals(2, (int) stats.getAs("shards"));
    long snapshot = stats.getAs("snapshot_id");
    assertEquals(currentSnapshot(table), snapshot);

    Set<List<Object>> java = new HashSet<>();
    for (Row row : LakeAnn.annJoin(spark.table("lake.db.questions").select("qid", "qvec"), "qvec")
        .against(table, "embedding").k(5)
        .consistency(Consistency.parse("frozen:" + snapshot)).run().rows()
        .select("qid", "neighbor_id", "distance", "rank", "snapshot_id").collectAsList()) {
      java.add(List.of(row.get(0), row.get(1), row.get(2), row.get(3), row.get(4)));
    }
    Set<List<Object>> written = new HashSet<>();
    for (Row row : spark.table("lake.db.answers")
        .select("qid", "neighbor_id", "distance", "rank", "snapshot_id").collectAsList()) {
      written.add(List.of(row.get(0), row.get(1), row.get(2), row.get(3), row.get(4)));
    }
    assertEquals(100, java.size());
    assertEquals(java, written);
    assertEquals(List.of("qid", "neighbor_id", "distance", "rank", "snapshot_id"),
        List.of(spark.table("lake.db.answers").columns()));
  }

  @Test
  void cacheStatsReportsTheDriversCountersInLocalMode() {
    String table = docs("cached");
    build(table);
    SparkFixture.queries(spark, SparkFixture.vectors(5, 9)).createOrReplaceTempView("few");
    Row first = one(spark, "CALL lakeann.system.ann_join('few', 'qvec', 'qid', '" + table
        + "', 'embedding', 3, 'lake.db.few_answers')");
    Row second = one(spark, "CALL lakeann.system.ann_join('few', 'qvec', 'qid', '" + table
        + "', 'embedding', 3, 'lake.db.few_answers')");
    long shards = (int) first.getAs("shards");
    long tasks = first.getAs("tasks");
    assertEquals(List.of(shards, tasks - shards, 0L, tasks), List.of(
        first.<Long>getAs("view_loads"), first.<Long>getAs("view_hits"),
        second.<Long>getAs("view_loads"), second.<Long>getAs("view_hits")),
        "each shard's state computed by its first search, then found");
    // This table's own counters, by kind: its states were computed once, then found.
    List<Row> kinds = sql(spark, "CALL lakeann.system.cache_stats(table => '" + table + "')");
    assertEquals(List.of("shard", "view"), kinds.stream().map(r -> r.<String>getAs("kind"))
        .toList(), kinds.toString());
    Row states = kinds.get(1);
    assertEquals(List.of(shards, 2 * tasks - shards, shards, 0L), List.of(
        states.<Long>getAs("loads"),
        states.<Long>getAs("hits"), states.<Long>getAs("entries"),
        states.<Long>getAs("evictions")), states.toString());
    assertTrue(states.<Long>getAs("bytes") > 0, states.toString());
    Row driver = one(spark, "CALL lakeann.system.cache_stats()");
    assertNull(driver.getAs("table"));
    assertEquals("driver", driver.getAs("executor_id"));
    assertEquals(true, driver.getAs("answered"));
    assertTrue((long) driver.getAs("loads") >= 2, driver.toString());
    assertTrue((long) driver.getAs("entries") >= 2, driver.toString());
    assertTrue((long) driver.getAs("budget_bytes") > 0, driver.toString());
  }

  static long currentSnapshot(String table) {
    Table base = SparkTables.load(spark, table);
    base.refresh();
    return base.currentSnapshot().snapshotId();
  }

  static Path local(String location) {
    return location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
  }

  /** Flips one byte of {@code file}, as damage in storage would (Hadoop's .crc removed). */
  static void flipByte(Path file, long offset) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      assertEquals(1, ch.read(one, offset));
      one.put(0, (byte) (one.get(0) ^ 0x5A)).rewind();
      assertEquals(1, ch.write(one, offset));
    }
    Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
  }
}
