package io.lakeann.sql;

import static io.lakeann.sql.SqlSessions.one;
import static io.lakeann.sql.SqlSessions.recall;
import static io.lakeann.sql.SqlSessions.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole SQL user's path, nothing but {@code spark.sql}: a table filled in SQL, CALL
 * build_index, ann_search and ann_join against the exact answer computed with
 * vector_l2_distance, a DELETE and an INSERT searched again, a tagged snapshot searched after
 * later commits, then index_status, verify_index, refresh_index and drop_index.
 */
class SqlEndToEndTest {
  static final String DOCS = "lake.db.e2e_docs";
  static final String QUERIES = "lake.db.e2e_queries";
  static final int ROWS = 4000;
  static final int QUERY_ROWS = 25;
  static final int K = 10;
  @TempDir
  static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SqlSessions.start(dir);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /**
   * 16-dimensional vectors around 20 cluster centres, computed in SQL from the row id:
   * deterministic, and with structure like real embeddings.
   */
  static String vectors(String idExpr, int salt) {
    return "transform(sequence(0, 15), i -> CAST((pmod(hash(pmod(" + idExpr + ", 20), i), 1000)"
        + " / 100.0) + pmod(hash(" + idExpr + ", i, " + salt + "), 1000) / 1000.0 AS FLOAT))";
  }

  @Test
  void theWholePathInSqlOnly() {
    sql(spark, "CREATE TABLE " + DOCS + " (doc_id bigint NOT NULL, category int, embedding "
        + "array<float>) USING iceberg TBLPROPERTIES ('format-version'='2', "
        + "'write.delete.mode'='merge-on-read')");
    sql(spark, "INSERT INTO " + DOCS + " SELECT id, CAST(id % 4 AS INT), " + vectors("id", 1)
        + " FROM range(" + ROWS + ")");
    sql(spark, "CREATE TABLE " + QUERIES + " USING iceberg AS SELECT CAST(id AS INT) AS qid, "
        + vectors("id", 2) + " AS qvec FROM range(" + QUERY_ROWS + ")");

    Row built = one(spark, "CALL lakeann.system.build_index(table => '" + DOCS
        + "', column => 'embedding', id => 'doc_id')");
    assertEquals((long) ROWS, built.<Long>getAs("rows"));
    assertFalse(built.<Boolean>getAs("already_registered"));
    Row again = one(spark, "CALL lakeann.system.build_index('" + DOCS + "', 'embedding', "
        + "'doc_id')");
    assertTrue(again.<Boolean>getAs("already_registered"), "a second build is a no-op");

    Map<Integer, List<Long>> exact = exact();
    Map<Integer, List<Long>> joined = new HashMap<>();
    for (Row r : sql(spark, "SELECT qid, doc_id FROM ann_join(queries => TABLE(" + QUERIES
        + "), query_column => 'qvec', table => '" + DOCS + "', column => 'embedding', k => "
        + K + ") ORDER BY qid, _rank")) {
      joined.computeIfAbsent(r.getInt(0), q -> new ArrayList<>()).add(r.getLong(1));
    }
    assertTrue(recall(exact, joined) >= 0.95, "ann_join recall@10 " + recall(exact, joined));
    Map<Integer, List<Long>> searched = new HashMap<>();
    for (int q = 0; q < QUERY_ROWS; q++) {
      searched.put(q, search(q, ""));
    }
    assertTrue(recall(exact, searched) >= 0.95, "ann_search recall@10 "
        + recall(exact, searched));

    assertEquals(exact.get(0), search(0, ", recall => 1"),
        "recall => 1 gives the exact neighbours");
    sql(spark, "ALTER TABLE " + DOCS + " CREATE TAG v1");
    List<Long> before = search(0, "");
    sql(spark, "DELETE FROM " + DOCS + " WHERE doc_id IN (" + before.get(0) + ", "
        + before.get(1) + ")");
    List<Long> afterDelete = search(0, "");
    assertFalse(afterDelete.contains(before.get(0)), "deleted id returned: " + afterDelete);
    assertFalse(afterDelete.contains(before.get(1)), "deleted id returned: " + afterDelete);

    sql(spark, "INSERT INTO " + DOCS + " SELECT 100000 + qid, 0, qvec FROM " + QUERIES);
    for (int q = 0; q < 3; q++) {
      assertEquals(100000L + q, search(q, "").get(0), "the inserted copy of query " + q
          + " is its nearest row");
    }
    assertEquals(before, search(0, ", consistency => 'frozen:tag:v1'"),
        "the tagged snapshot answers as before the later commits");

    List<Row> status = sql(spark, "CALL lakeann.system.index_status(table => '" + DOCS + "')");
    Row current = status.stream().filter(r -> "current".equals(r.getAs("entry"))).findFirst()
        .orElseThrow();
    assertEquals("ancestor bundle", current.getAs("served_by"));
    assertEquals((long) QUERY_ROWS, current.<Long>getAs("delta_rows"));
    for (Row shard : sql(spark, "CALL lakeann.system.verify_index('" + DOCS + "', "
        + "'embedding')")) {
      assertEquals("ok", shard.getAs("status"), "shard " + shard);
    }
    Row refreshed = one(spark, "CALL lakeann.system.refresh_index('" + DOCS + "', 'embedding')");
    assertEquals((long) ROWS - 2 + QUERY_ROWS, refreshed.<Long>getAs("rows"));
    Row dropped = one(spark, "CALL lakeann.system.drop_index('" + DOCS + "', 'embedding')");
    assertTrue(dropped.<Integer>getAs("bundles_dropped") >= 2, "dropped " + dropped);
    Row none = sql(spark, "CALL lakeann.system.index_status('" + DOCS + "', 'embedding')")
        .stream().filter(r -> "current".equals(r.getAs("entry"))).findFirst().orElseThrow();
    assertEquals("none", none.getAs("served_by"));
  }

  /** The k nearest doc ids of query {@code qid} through ann_search, nearest first. */
  static List<Long> search(int qid, String options) {
    List<Long> out = new ArrayList<>();
    for (Row r : sql(spark, "SELECT doc_id FROM ann_search(table => '" + DOCS + "', column => "
        + "'embedding', query => (SELECT qvec FROM " + QUERIES + " WHERE qid = " + qid
        + "), k => " + K + options + ") ORDER BY _rank")) {
      out.add(r.getLong(0));
    }
    return out;
  }

  /** The exact k nearest doc ids per query, computed in SQL with vector_l2_distance. */
  static Map<Integer, List<Long>> exact() {
    Map<Integer, List<Long>> out = new HashMap<>();
    for (Row r : sql(spark, "SELECT qid, doc_id FROM (SELECT q.qid, d.doc_id, row_number() "
        + "OVER (PARTITION BY q.qid ORDER BY vector_l2_distance(q.qvec, d.embedding), d.doc_id)"
        + " AS rn FROM " + QUERIES + " q CROSS JOIN " + DOCS + " d) WHERE rn <= " + K
        + " ORDER BY qid, rn")) {
      out.computeIfAbsent(r.getInt(0), q -> new ArrayList<>()).add(r.getLong(1));
    }
    return out;
  }
}
