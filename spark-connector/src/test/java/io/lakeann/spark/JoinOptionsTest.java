package io.lakeann.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.DimensionMismatchException;
import io.lakeann.core.InvalidRequestException;
import io.lakeann.core.LakeAnnException;
import io.lakeann.core.Metric;
import io.lakeann.iceberg.ColumnTypeException;
import io.lakeann.iceberg.NoIndexException;
import io.lakeann.iceberg.UnknownColumnException;
import io.lakeann.iceberg.UnknownTableException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Join options beyond the main path (filters, null queries) and bad input through the API. */
class JoinOptionsTest extends LocalSparkTest {

  @BeforeAll
  static void start() {
    SparkFixture.createDocs(spark, "lake.db.base", 2);
    SparkFixture.append(spark, "lake.db.base", 0, SparkFixture.vectors(1200, 1));
    LakeAnn.build(spark, "lake.db.base").column("embedding").id("doc_id").run();
    SparkFixture.append(spark, "lake.db.base", 5000, SparkFixture.vectors(200, 2));
  }

  @Test
  void aFilterReturnsOnlyMatchingRowsFromIndexAndDeltaAtExactRecall() {
    float[][] queries = SparkFixture.vectors(40, 7);
    JoinResult join = LakeAnn.annJoin(SparkFixture.queries(spark, queries), "qvec")
        .against("lake.db.base", "embedding").k(10).filter("category = 2").run();
    Map<Integer, List<Long>> found = SparkFixture.neighbours(join.rows());
    Map<Long, float[]> allowed = new HashMap<>();
    SparkFixture.liveVectors(spark, "lake.db.base").forEach((id, v) -> {
      if (id % 4 == 2) {
        allowed.put(id, v);
      }
    });
    for (List<Long> ids : found.values()) {
      for (long id : ids) {
        assertEquals(2, id % 4, "id " + id + " does not match the filter");
      }
    }
    double recall = SparkFixture.recall(SparkFixture.exact(allowed, queries, 10, Metric.L2),
        found);
    assertTrue(recall >= 0.95, "recall " + recall);
    assertEquals(50, join.stats().deltaRows(), "the filter applies to the new rows too");
    assertEquals(300, join.stats().indexedRows());
  }

  @Test
  void aFilterStaysOnTheExecutorsWhateverItMatchesAndOneIcebergCannotExpressGivesTheSameAnswer()
      throws Exception {
    float[][] queries = SparkFixture.vectors(20, 5);
    long narrow = driverResultBytes(queries, "category = 2");
    long wide = driverResultBytes(queries, "category <> 2");
    // Matching three times the rows must not bring more to the driver: the rows are selected
    // where each shard is searched. (When the positions were collected to the driver, the 700
    // more matching rows brought 4.5 KiB more in this test: 38,289 against 42,748 bytes.)
    assertTrue(wide <= narrow + 1024,
        "driver result bytes " + wide + " for 75% of the rows against " + narrow + " for 25%");

    Map<Integer, List<Long>> byIceberg = SparkFixture.neighbours(LakeAnn.annJoin(
        SparkFixture.queries(spark, queries), "qvec").against("lake.db.base", "embedding")
        .k(10).filter("category = 2").run().rows());
    Map<Integer, List<Long>> bySpark = SparkFixture.neighbours(LakeAnn.annJoin(
        SparkFixture.queries(spark, queries), "qvec").against("lake.db.base", "embedding")
        .k(10).filter("doc_id % 4 = 2").run().rows());
    assertEquals(byIceberg, bySpark, "the same rows through Iceberg's expression and Spark's");
  }

  /** Bytes the tasks of one filtered join sent back to the driver as results. */
  private static long driverResultBytes(float[][] queries, String filter) throws Exception {
    Dataset<Row> q = SparkFixture.queries(spark, queries);
    long[] bytes = {0};
    org.apache.spark.scheduler.SparkListener listener =
        new org.apache.spark.scheduler.SparkListener() {
          @Override
          public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd end) {
            if (end.taskMetrics() != null) {
              synchronized (bytes) {
                bytes[0] += end.taskMetrics().resultSize();
              }
            }
          }
        };
    spark.sparkContext().listenerBus().waitUntilEmpty();
    spark.sparkContext().addSparkListener(listener);
    try {
      LakeAnn.annJoin(q, "qvec").against("lake.db.base", "embedding").k(10).filter(filter).run()
          .unpersist();
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      spark.sparkContext().removeSparkListener(listener);
    }
    synchronized (bytes) {
      return bytes[0];
    }
  }

  @Test
  void nullQueryVectorsAreSkippedAndCounted() {
    float[][] queries = SparkFixture.vectors(5, 3);
    queries[2] = null;
    JoinResult join = LakeAnn.annJoin(SparkFixture.queries(spark, queries), "qvec")
        .against("lake.db.base", "embedding").k(3).run();
    Dataset<Row> result = join.rows();
    assertEquals(12, result.count());
    assertEquals(1, join.stats().skippedNullQueries());
    assertEquals(4, join.stats().queries());
  }

  private static void assertFails(Class<? extends LakeAnnException> type, Executable call,
      String... fragments) {
    LakeAnnException e = assertThrows(type, call);
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), "'" + f + "' missing from: " + e.getMessage());
    }
  }

  @Test
  void badInputNamesTheThingAndTheFix() {
    Dataset<Row> queries = SparkFixture.queries(spark, SparkFixture.vectors(3, 1));
    assertFails(UnknownTableException.class, () -> LakeAnn.annJoin(queries, "qvec")
        .against("lake.db.nope", "embedding").run(), "lake.db.nope does not exist");
    assertFails(UnknownColumnException.class, () -> LakeAnn.annJoin(queries, "qvec")
        .against("lake.db.base", "vec").run(), "no column 'vec'", "embedding");
    assertFails(ColumnTypeException.class, () -> LakeAnn.annJoin(queries, "tag")
        .against("lake.db.base", "embedding").run(), "'tag'", "array<float>");
    assertFails(UnknownColumnException.class, () -> LakeAnn.annJoin(queries, "nope")
        .against("lake.db.base", "embedding").run(), "no column 'nope'", "qvec");
    assertFails(InvalidRequestException.class, () -> LakeAnn.annJoin(queries, "qvec")
        .against("lake.db.base", "embedding").k(0), "Invalid k: 0");
    assertFails(InvalidRequestException.class, () -> LakeAnn.annJoin(queries, "qvec")
        .against("lake.db.base", "embedding").filter("no_such_column = 1").run(),
        "Invalid filter 'no_such_column = 1'");
    Dataset<Row> shortQueries = SparkFixture.queries(spark, new float[][] {{1, 2, 3}});
    Exception wrapped = assertThrows(Exception.class, () -> LakeAnn.annJoin(shortQueries, "qvec")
        .against("lake.db.base", "embedding").run());
    assertTrue(rootMessage(wrapped, DimensionMismatchException.class)
        .contains("3 dimensions but lake.db.base.embedding holds 16"), wrapped.toString());
    SparkFixture.createDocs(spark, "lake.db.unindexed", 2);
    SparkFixture.append(spark, "lake.db.unindexed", 0, SparkFixture.vectors(10, 1));
    assertFails(NoIndexException.class, () -> LakeAnn.annJoin(queries, "qvec")
        .against("lake.db.unindexed", "embedding").run(), "No lakeann index",
        "LakeAnn.build(spark, \"lake.db.unindexed\")");
    assertFails(UnknownColumnException.class, () -> LakeAnn.build(spark, "lake.db.base")
        .column("embedding").id("nope").run(), "no column 'nope'");
  }

  /** The message of the first {@code type} in the cause chain (Spark wraps task failures). */
  private static String rootMessage(Throwable t, Class<?> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return c.getMessage();
      }
    }
    String all = t.toString();
    return all.contains(type.getName()) ? all : "";
  }
}
