package io.lakeann.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.spark.LakeAnn;
import io.lakeann.spark.SparkFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lakeann_index / lakeann_search / lakeann_top_k: per-partition indexes built and searched in SQL. */
class PartitionIndexTest {
  static final int ROWS = 2000;
  @TempDir
  static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SqlSessions.start(dir);
    SparkFixture.createDocs(spark, "lake.db.docs", 2);
    SparkFixture.append(spark, "lake.db.docs", 0, SparkFixture.vectors(ROWS, 7));
    SparkFixture.queries(spark, SparkFixture.vectors(15, 99)).createOrReplaceTempView("queries");
    spark.sql("CACHE TABLE partition_indexes AS SELECT category AS part, "
        + "lakeann_index(doc_id, embedding, 'metric=l2') AS idx "
        + "FROM lake.db.docs GROUP BY category");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void perPartitionFlowGivesTheJavaJoinsNeighbours() {
    Map<Integer, List<Long>> udf = new HashMap<>();
    for (Row r : spark.sql("SELECT q.qid, lakeann_top_k(lakeann_search(i.idx, q.qvec, 10, 100000), "
        + "10) AS nn FROM queries q CROSS JOIN partition_indexes i GROUP BY q.qid")
        .collectAsList()) {
      List<Long> ids = new ArrayList<>();
      for (Row pair : r.<Row>getList(1)) {
        ids.add(pair.getLong(0));
      }
      udf.put(r.getInt(0), ids);
    }
    LakeAnn.build(spark, "lake.db.docs").column("embedding").id("doc_id").run();
    Map<Integer, List<Long>> java = SparkFixture.neighbours(
        LakeAnn.annJoin(spark.table("queries"), "qvec").against("lake.db.docs", "embedding")
            .k(10).nprobe(1 << 20).run().rows());
    assertEquals(15, udf.size());
    // Probing every list, both answers are RaBitQ's near-exact ones: equal but for the rare
    // candidate whose error bound prunes it in one index and not in the other.
    long same = 0;
    for (int q = 0; q < 15; q++) {
      for (int r = 0; r < 10; r++) {
        same += java.get(q).get(r).equals(udf.get(q).get(r)) ? 1 : 0;
      }
    }
    assertTrue(same >= 148,
        "same neighbours at " + same + " of 150 ranks: " + java + " vs " + udf);
    List<List<Long>> exact = SparkFixture.exact(SparkFixture.liveVectors(spark, "lake.db.docs"),
        SparkFixture.vectors(15, 99), 10, io.lakeann.core.Metric.L2);
    assertTrue(SparkFixture.recall(exact, udf) >= 0.99,
        "recall " + SparkFixture.recall(exact, udf));
  }

  @Test
  void oneIndexPerGroupHoldsThatGroupsRows() {
    List<Row> parts = spark.sql("SELECT part, length(idx) FROM partition_indexes ORDER BY part")
        .collectAsList();
    assertEquals(4, parts.size());
    Row self = spark.sql("SELECT lakeann_search(i.idx, d.embedding, 1) FROM lake.db.docs d "
        + "JOIN partition_indexes i ON i.part = d.category WHERE d.doc_id = 42").first();
    assertEquals(42L, self.<Row>getList(0).get(0).getLong(0));
    assertEquals(0f, self.<Row>getList(0).get(0).getFloat(1));
  }

  @Test
  void nullQueriesAndGroupsWithoutVectorsGiveNull() {
    assertTrue(spark.sql("SELECT lakeann_search(idx, CAST(NULL AS ARRAY<FLOAT>), 3) FROM "
        + "partition_indexes").first().isNullAt(0));
    assertTrue(spark.sql("SELECT lakeann_index(id, v) FROM VALUES (1L, CAST(NULL AS "
        + "ARRAY<FLOAT>)) AS t(id, v)").first().isNullAt(0));
  }

  @Test
  void corruptIndexBinariesAreRefusedBeforeUse() {
    String sixteen = "array(" + "0.5F, ".repeat(SparkFixture.DIM - 1) + "0.5F)";
    Exception garbage = assertThrows(Exception.class, () -> spark.sql(
        "SELECT lakeann_search(X'0102030405', " + sixteen + ", 3)").collect());
    assertTrue(VectorFunctionsTest.messages(garbage).contains(
        "lakeann_search: argument 'index' is not a valid lakeann index"),
        VectorFunctionsTest.messages(garbage));
    Exception tampered = assertThrows(Exception.class, () -> spark.sql(
        "SELECT lakeann_search(overlay(idx PLACING X'FFFFFFFF' FROM length(idx) - 64), "
            + sixteen + ", 3) FROM partition_indexes").collect());
    assertTrue(VectorFunctionsTest.messages(tampered).contains(
        "lakeann_search: argument 'index' is not a valid lakeann index"),
        VectorFunctionsTest.messages(tampered));
  }

  @Test
  void badArgumentsAreAnalysisErrorsNamingTheArgumentAndValue() {
    assertError("SELECT lakeann_index(doc_id, embedding, 'metric=cosine,colour=red') FROM "
        + "lake.db.docs", "lakeann_index: argument 'options'", "'colour=red'",
        "metric, nlist, nprobe, exbits");
    assertError("SELECT lakeann_index(doc_id, embedding, 'exbits=12') FROM lake.db.docs",
        "lakeann_index: argument 'options' => 'exbits=12'");
    assertError("SELECT lakeann_search(idx, array(1.0F), 0) FROM partition_indexes",
        "lakeann_search: argument 'k' => 0");
    assertError("SELECT lakeann_search(idx, array(1.0F), part) FROM partition_indexes",
        "lakeann_search: argument 'k' must be a constant integer");
    assertError("SELECT lakeann_index(doc_id, category) FROM lake.db.docs", "ARRAY<FLOAT>",
        "category");
    assertError("SELECT lakeann_top_k(array(1, 2), 3)", "lakeann_top_k", "lakeann_search");
    Exception dims = assertThrows(Exception.class, () -> spark.sql(
        "SELECT lakeann_search(idx, array(1.0F, 2.0F), 3) FROM partition_indexes").collect());
    assertTrue(VectorFunctionsTest.messages(dims).contains(
        "lakeann_search: argument 'query' has 2 elements but the index holds 16-dimensional"),
        VectorFunctionsTest.messages(dims));
  }

  static void assertError(String sql, String... parts) {
    AnalysisException e = assertThrows(AnalysisException.class, () -> spark.sql(sql).collect(),
        sql);
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "'" + part + "' not in: " + e.getMessage());
    }
  }
}
