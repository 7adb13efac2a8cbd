package io.lakeann.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.Metric;
import io.lakeann.iceberg.BuildResult;
import io.lakeann.iceberg.BundleStore;
import io.lakeann.iceberg.ShardCheck;
import io.lakeann.spark.cli.LakeAnnProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path on object storage: the warehouse is a bucket of a real S3-compatible server on
 * loopback (s3proxy), the catalog Iceberg's JDBC catalog on an embedded SQLite database, the
 * files read and written only through Iceberg's S3FileIO. Build, joins after appends and
 * deletes, refresh, verification and Iceberg's maintenance, each answer checked against an
 * exact search on the snapshot it reports; and the command line's quickstart against the same
 * server.
 */
class ObjectStorageTest {
  static final int K = 10;
  static final float[][] QUERIES = SparkFixture.vectors(30, 9);
  static final String TABLE = "lake.db.docs";

  @TempDir
  static Path dir;
  static S3Server s3;
  static SparkSession spark;

  @BeforeAll
  static void start() throws Exception {
    System.setProperty("lakeann.shard.dir", dir.resolve("shards").toString());
    s3 = S3Server.start(dir.resolve("blobs"));
    SparkSession.Builder builder = SparkFixture.builder(dir.resolve("unused"), "local[2]")
        .config("spark.testing", "true");
    s3.catalog(dir.resolve("catalog.db"), "warehouse").forEach(builder::config);
    spark = builder.getOrCreate();
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.db");
  }

  @AfterAll
  static void stop() throws Exception {
    spark.stop();
    s3.close();
  }

  @Test
  void buildJoinRefreshAndMaintenanceRunOnS3() {
    SparkFixture.createDocs(spark, TABLE, 3, 300);
    Table table = SparkTables.load(spark, TABLE);
    assertTrue(table.location().startsWith("s3://" + S3Server.BUCKET + "/"), table.location());

    BuildResult built = build().run();
    assertEquals(3, built.shardsBuilt());
    assertTrue(built.bundle().statisticsPath().startsWith("s3://"),
        built.bundle().statisticsPath());
    assertTrue(objects(table, table.location() + "/metadata/lakeann-staging/").isEmpty(),
        "no staged shard is left in the bucket");
    JoinStats first = SparkFixture.assertJoinIsExact(spark, TABLE, QUERIES, K);
    assertEquals(900, first.indexedRows(), first.toString());

    SparkFixture.append(spark, TABLE, 900, SparkFixture.vectors(100, 4));
    spark.sql("DELETE FROM " + TABLE + " WHERE doc_id % 10 = 3");
    JoinStats changed = SparkFixture.assertJoinIsExact(spark, TABLE, QUERIES, K);
    assertEquals(built.bundle().snapshotId(), changed.bundleSnapshotId());
    assertTrue(changed.deltaRows() > 0 && changed.maskedRows() > 0, changed.toString());

    BuildResult refreshed = build().run();
    assertFalse(refreshed.alreadyRegistered());
    assertEquals(1, refreshed.shardsBuilt(), refreshed.toString());
    assertEquals(3, refreshed.shardsRemasked() + refreshed.shardsReused(), refreshed.toString());
    JoinStats current = SparkFixture.assertJoinIsExact(spark, TABLE, QUERIES, K);
    assertEquals(refreshed.bundle().snapshotId(), current.bundleSnapshotId());
    assertEquals(0, current.deltaRows(), current.toString());

    List<ShardCheck> checks = ShardCheck.verifyAll(new BundleStore(table,
        BundleStore.DEFAULT_PART_BYTES), refreshed.bundle(), 2);
    assertTrue(checks.stream().allMatch(ShardCheck::ok), checks.toString());

    String inADay = SparkFixture.inADay();
    spark.sql("CALL lake.system.expire_snapshots(table => 'db.docs', older_than => TIMESTAMP '"
        + inADay + "', retain_last => 1)").collectAsList();
    List<String> removed = new ArrayList<>();
    for (Row row : spark.sql("CALL lake.system.remove_orphan_files(table => 'db.docs', "
        + "older_than => TIMESTAMP '" + inADay + "', prefix_listing => true)").collectAsList()) {
      removed.add(row.getString(0));
    }
    assertTrue(objects(table, built.bundle().statisticsPath()).isEmpty(),
        "the first bundle was expired with its snapshot");
    assertFalse(removed.contains(refreshed.bundle().statisticsPath()), removed.toString());
    assertFalse(objects(table, refreshed.bundle().statisticsPath()).isEmpty(),
        "the serving bundle stays");
    JoinStats maintained = SparkFixture.assertJoinIsExact(spark, TABLE, QUERIES, K);
    assertEquals(refreshed.bundle().snapshotId(), maintained.bundleSnapshotId());
  }

  @Test
  void theQuickstartRunsUnchangedAgainstS3() throws Exception {
    LakeAnnProcess.assumeRunnable();
    List<String> args = new ArrayList<>(List.of("--warehouse",
        "s3://" + S3Server.BUCKET + "/quickstart"));
    s3.catalog(dir.resolve("quickstart.db"), "quickstart").forEach((key, value) -> {
      if (!key.endsWith(".warehouse")) {
        args.add("--conf");
        args.add(key + "=" + value);
      }
    });
    args.addAll(List.of("quickstart", "--rows", "2000"));
    LakeAnnProcess.Result ran = LakeAnnProcess.run(dir, args.toArray(String[]::new));
    assertEquals(0, ran.code(), ran.toString());
    String summary = ran.out().get(ran.out().size() - 1);
    assertTrue(summary.contains("\"command\":\"quickstart\"") && summary.contains("s3://"),
        summary);
    Matcher recall = Pattern.compile("\"recall_at_k\":([0-9.]+)").matcher(summary);
    assertTrue(recall.find() && Double.parseDouble(recall.group(1)) >= 0.9, summary);
  }

  private BuildJob build() {
    return LakeAnn.build(spark, TABLE).column("embedding").id("doc_id").metric(Metric.L2)
        .targetRowsPerShard(300);
  }

  /** The objects whose key starts with {@code prefix}, listed through the table's FileIO. */
  private static List<String> objects(Table table, String prefix) {
    List<String> out = new ArrayList<>();
    for (FileInfo file : ((SupportsPrefixOperations) table.io()).listPrefix(prefix)) {
      out.add(file.location());
    }
    return out;
  }
}
