package io.lakeann.sql;

import static io.lakeann.sql.SqlSessions.recall;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.spark.LakeAnn;
import io.lakeann.spark.SparkFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ann_search and ann_join through SQL against an indexed Iceberg table. */
class TableFunctionsTest {
  static final int ROWS = 3000;
  static final int QUERIES = 20;
  @TempDir
  static Path dir;
  static SparkSession spark;
  static float[][] queries;

  @BeforeAll
  static void start() {
    spark = SqlSessions.start(dir);
    queries = SparkFixture.vectors(QUERIES, 99);
    SparkFixture.queries(spark, queries).createOrReplaceTempView("queries");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** A fresh indexed table of ROWS clustered vectors, built with the Java API. */
  static String indexedTable(String name) {
    String table = "lake.db." + name;
    SparkFixture.createDocs(spark, table, 2);
    SparkFixture.append(spark, table, 0, SparkFixture.vectors(ROWS, 7));
    LakeAnn.build(spark, table).column("embedding").id("doc_id").run();
    return table;
  }

  /** The exact k nearest doc ids per query id, computed in SQL with vector_l2_distance. */
  static Map<Integer, List<Long>> exact(String table, int k) {
    Map<Integer, List<Long>> out = new HashMap<>();
    for (Row r : spark.sql("SELECT qid, doc_id FROM (SELECT q.qid, d.doc_id, row_number() OVER "
        + "(PARTITION BY q.qid ORDER BY vector_l2_distance(q.qvec, d.embedding), d.doc_id) rn "
        + "FROM queries q CROSS JOIN " + table + " d) WHERE rn <= " + k + " ORDER BY qid, rn")
        .collectAsList()) {
      out.computeIfAbsent(r.getInt(0), q -> new ArrayList<>()).add(r.getLong(1));
    }
    return out;
  }

  static List<Long> search(String table, int qid, String extra) {
    return ids(spark.sql("SELECT * FROM ann_search(table => '" + table + "', column => "
        + "'embedding', query => (SELECT qvec FROM queries WHERE qid = " + qid + "), k => 10"
        + extra + ")"));
  }

  static List<Long> ids(Dataset<Row> result) {
    return result.orderBy("_rank").select("doc_id").collectAsList().stream()
        .map(r -> r.getLong(0)).collect(Collectors.toList());
  }

  @Test
  void annSearchAndAnnJoinReachRecallAgainstTheExactAnswerInSql() {
    String table = indexedTable("recall");
    Map<Integer, List<Long>> exact = exact(table, 10);
    Map<Integer, List<Long>> searched = new HashMap<>();
    for (int q = 0; q < 5; q++) {
      searched.put(q, search(table, q, ""));
    }
    Map<Integer, List<Long>> firstFive = new HashMap<>();
    exact.forEach((q, ids) -> {
      if (q < 5) {
        firstFive.put(q, ids);
      }
    });
    assertTrue(recall(firstFive, searched) >= 0.95, "ann_search recall " + searched);

    Dataset<Row> joined = spark.sql("SELECT * FROM ann_join(queries => TABLE(queries), "
        + "query_column => 'qvec', table => '" + table + "', column => 'embedding', k => 10)");
    assertEquals(List.of("qid", "tag", "qvec", "doc_id", "category", "embedding", "_distance",
        "_rank", "_snapshot_id"), List.of(joined.columns()));
    Map<Integer, List<Long>> found = new HashMap<>();
    for (Row r : joined.orderBy("qid", "_rank").select("qid", "doc_id").collectAsList()) {
      found.computeIfAbsent(r.getInt(0), q -> new ArrayList<>()).add(r.getLong(1));
    }
    assertEquals(QUERIES, found.size());
    assertTrue(recall(exact, found) >= 0.95, "ann_join recall " + recall(exact, found));
    long current = spark.sql("SELECT snapshot_id FROM " + table + ".snapshots ORDER BY "
        + "committed_at DESC LIMIT 1").first().getLong(0);
    assertEquals(current, joined.select("_snapshot_id").distinct().first().getLong(0));
  }

  @Test
  void deletedRowsNeverAppearAndInsertedRowsAreFound() {
    String table = indexedTable("fresh");
    List<Long> before = search(table, 1, "");
    spark.sql("DELETE FROM " + table + " WHERE doc_id IN (" + before.get(0) + ", "
        + before.get(1) + ")");
    List<Long> afterDelete = search(table, 1, "");
    assertFalse(afterDelete.contains(before.get(0)) || afterDelete.contains(before.get(1)),
        afterDelete.toString());
    spark.sql("INSERT INTO " + table + " SELECT 900000 + qid, 0, qvec FROM queries "
        + "WHERE qid = 1");
    assertEquals(900001L, search(table, 1, "").get(0));
    assertEquals(900001L, spark.sql("SELECT doc_id FROM ann_join(TABLE(SELECT * FROM queries "
        + "WHERE qid = 1), 'qvec', '" + table + "', 'embedding', 1)").first().getLong(0));
  }

  @Test
  void frozenTagAnswersFromTheTaggedSnapshotAfterLaterCommits() {
    String table = indexedTable("frozen");
    List<Long> tagged = search(table, 2, "");
    spark.sql("ALTER TABLE " + table + " CREATE TAG v1");
    long tagSnapshot = spark.sql("SELECT snapshot_id FROM " + table + ".refs WHERE name = 'v1'")
        .first().getLong(0);
    spark.sql("INSERT INTO " + table + " SELECT 800000 + qid, 0, qvec FROM queries "
        + "WHERE qid = 2");
    spark.sql("DELETE FROM " + table + " WHERE doc_id = " + tagged.get(0));
    Dataset<Row> frozen = spark.sql("SELECT * FROM ann_search(table => '" + table
        + "', column => 'embedding', query => (SELECT qvec FROM queries WHERE qid = 2), "
        + "k => 10, consistency => 'frozen:tag:v1')");
    assertEquals(tagged, ids(frozen));
    assertEquals(tagSnapshot, frozen.first().getLong(frozen.schema().fieldIndex("_snapshot_id")));
    List<Long> fresh = search(table, 2, ", consistency => 'fresh'");
    assertEquals(800002L, fresh.get(0));
    assertFalse(fresh.contains(tagged.get(0)));
  }

  @Test
  void filterKeepsOnlyMatchingRows() {
    String table = indexedTable("filtered");
    Dataset<Row> result = spark.sql("SELECT category FROM ann_search(table => '" + table
        + "', column => 'embedding', query => (SELECT qvec FROM queries WHERE qid = 0), "
        + "k => 5, filter => 'category = 2', nprobe => 64)");
    assertEquals(5, result.count());
    assertEquals(List.of(2), result.distinct().collectAsList().stream().map(r -> r.getInt(0))
        .collect(Collectors.toList()));
  }

  @Test
  void everyBadArgumentIsAnAnalysisErrorNamingTheArgumentAndValue() {
    String table = indexedTable("errors");
    String target = "table => '" + table + "', column => 'embedding'";
    String query = "query => array(" + "1.0F, ".repeat(SparkFixture.DIM - 1) + "1.0F)";
    assertError("SELECT * FROM ann_search(" + target + ", " + query + ", kk => 3)",
        "ann_search: unknown argument 'kk'", "table, column, query, k, filter, consistency, "
            + "recall, nprobe");
    assertError("SELECT * FROM ann_search(" + target + ", " + query + ", recall => 1.5)",
        "ann_search: argument 'recall' => 1.5", "(0, 1]");
    assertError("SELECT * FROM ann_search(" + target + ", " + query + ", recall => 'high')",
        "ann_search: argument 'recall' must be a constant number", "'high'");
    assertError("SELECT * FROM ann_search(" + target + ")",
        "ann_search: missing required argument 'query'");
    assertError("SELECT * FROM ann_search(" + target + ", " + query + ", k => 'ten')",
        "ann_search: argument 'k' must be a constant integer", "'ten'");
    assertError("SELECT * FROM ann_search(" + target + ", " + query + ", k => 0)",
        "ann_search: argument 'k' => 0");
    assertError("SELECT * FROM ann_search(table => 'lake.db.nope', column => 'embedding', "
        + query + ")", "lake.db.nope");
    assertError("SELECT * FROM ann_search(table => '" + table + "', column => 'emb', "
        + query + ")", "emb");
    assertError("SELECT * FROM ann_search(table => '" + table + "', column => 'category', "
        + query + ")", "category");
    assertError("SELECT * FROM ann_search(" + target + ", query => array(1.0F, 2.0F))",
        "ann_search:", "2");
    assertError("SELECT * FROM ann_search(" + target + ", query => 'a')",
        "ann_search: argument 'query' must be a vector");
    assertError("SELECT * FROM ann_search(" + target + ", " + query
        + ", consistency => 'soon')", "ann_search: argument 'consistency' => 'soon'");
    assertError("SELECT * FROM queries q, LATERAL ann_search(" + target + ", query => q.qvec)",
        "ann_search: argument 'query'", "ann_join");
    assertError("SELECT * FROM ann_join(queries => TABLE(queries), query_column => 'nope', "
        + target + ")", "nope");
    assertError("SELECT * FROM ann_join(queries => 42, query_column => 'qvec', " + target + ")",
        "ann_join: argument 'queries' must be a relation");
  }

  static void assertError(String sql, String... parts) {
    AnalysisException e = assertThrows(AnalysisException.class, () -> spark.sql(sql).collect(),
        sql);
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "'" + part + "' not in: " + e.getMessage());
    }
  }
}
