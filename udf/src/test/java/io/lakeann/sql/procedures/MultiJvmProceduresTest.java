package io.lakeann.sql.procedures;

import static io.lakeann.sql.SqlSessions.one;
import static io.lakeann.sql.SqlSessions.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.spark.SparkFixture;
import io.lakeann.sql.SqlSessions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL procedure flow on two executor JVMs ({@code local-cluster}, as spark-connector's
 * MultiJvmTest): build, a no-op build, ann_join, cache_stats reaching both executors, refresh
 * after an insert, verify, status and drop, all through {@code CALL lakeann.system...}.
 */
class MultiJvmProceduresTest {
  static final String TABLE = "lake.db.docs";

  @TempDir
  static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void startCluster() throws Exception {
    System.setProperty("lakeann.shard.dir", dir.resolve("shards").toString());
    spark = SparkFixture.localCluster(dir, SqlSessions.withLakeAnn(
        SparkFixture.builder(dir.resolve("wh"), SparkFixture.LOCAL_CLUSTER)));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void procedureFlowRunsOnTheExecutors() {
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.db");
    SparkFixture.createDocs(spark, TABLE, 2);
    SparkFixture.append(spark, TABLE, 0, SparkFixture.vectors(800, 1));
    SparkFixture.append(spark, TABLE, 800, SparkFixture.vectors(800, 2));
    String build = "CALL lakeann.system.build_index(table => '" + TABLE + "', column => "
        + "'embedding', id => 'doc_id', target_rows => 800)";
    Row built = one(spark, build);
    assertEquals(2, (int) built.getAs("shards_built"));
    assertEquals(1600L, (long) built.getAs("rows"));
    assertEquals(true, one(spark, build).getAs("already_registered"));

    SparkFixture.queries(spark, SparkFixture.vectors(30, 9)).writeTo("lake.db.questions")
        .using("iceberg").createOrReplace();
    Row joined = one(spark, "CALL lakeann.system.ann_join('lake.db.questions', 'qvec', 'qid', '"
        + TABLE + "', 'embedding', 10, 'lake.db.answers')");
    assertEquals(300L, (long) joined.getAs("output_rows"));
    assertEquals(2, (int) joined.getAs("shards"));
    assertEquals(300L, spark.table("lake.db.answers").count());

    List<Row> caches = sql(spark, "CALL lakeann.system.cache_stats()");
    assertEquals(3, caches.size(), caches.toString());
    assertEquals("driver", caches.get(0).getAs("executor_id"));
    Map<String, Long> executorLoads = new TreeMap<>();
    for (Row row : caches.subList(1, 3)) {
      assertEquals(true, row.getAs("answered"), "every executor answered: " + caches);
      executorLoads.put(row.getAs("executor_id"), row.getAs("loads"));
    }
    assertEquals(List.of("0", "1"), new ArrayList<>(executorLoads.keySet()));
    assertTrue(executorLoads.values().stream().mapToLong(Long::longValue).sum() >= 2,
        "the join loaded its shards on the executors: " + caches);

    Map<String, Long> loadsByKind = new TreeMap<>();
    long stateEntries = 0;
    for (Row row : sql(spark, "CALL lakeann.system.cache_stats(table => '" + TABLE + "')")) {
      assertEquals(TABLE, row.getAs("table"), row.toString());
      loadsByKind.merge(row.getAs("kind"), row.<Long>getAs("loads"), Long::sum);
      if ("view".equals(row.getAs("kind"))) {
        stateEntries += row.<Long>getAs("entries");
      }
    }
    long views = loadsByKind.get("view");
    assertEquals(loadsByKind.get("shard"), views,
        "an executor computes a shard's state once, where it loaded the shard: " + loadsByKind);
    assertTrue(views >= 2 && views <= 4,
        "each of the 2 shards on at least one and at most both executors: " + loadsByKind);
    assertEquals(views, stateEntries, "and kept beside its shard: " + loadsByKind);
    // The join counts what its own search tasks loaded; Spark may also recompute a piece
    // later, on the other executor, for the procedure's write of the output table.
    assertTrue(joined.<Long>getAs("view_loads") >= 2 && joined.<Long>getAs("view_loads") <= views,
        joined + " " + loadsByKind);
    assertTrue(loadsByKind.get("shard") >= joined.<Long>getAs("loads"), loadsByKind.toString());

    SparkFixture.append(spark, TABLE, 1600, SparkFixture.vectors(100, 3));
    Row refreshed = one(spark, "CALL lakeann.system.refresh_index('" + TABLE + "', "
        + "'embedding')");
    assertEquals(2, (int) refreshed.getAs("shards_reused"), refreshed.toString());
    assertEquals(1, (int) refreshed.getAs("shards_built"), refreshed.toString());

    List<Row> verified = sql(spark, "CALL lakeann.system.verify_index('" + TABLE + "', "
        + "'embedding')");
    assertEquals(3, verified.size());
    verified.forEach(row -> assertEquals("ok", row.getAs("status"), row.toString()));

    List<Row> status = sql(spark, "CALL lakeann.system.index_status('" + TABLE + "')");
    assertEquals("own bundle", status.get(status.size() - 1).getAs("served_by"));
    assertEquals(2, (int) one(spark, "CALL lakeann.system.drop_index('" + TABLE
        + "', 'embedding')").getAs("bundles_dropped"));
    assertEquals("none", one(spark, "CALL lakeann.system.index_status('" + TABLE
        + "', 'embedding')").getAs("served_by"));
  }
}
