package io.lakeann.spark;

import static org.apache.spark.sql.functions.call_udf;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.Metric;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An executor JVM dies in the middle of an ANN join (on {@code local-cluster} with two executor
 * JVMs): the first executor to read a query for the join halts at once, as under
 * {@code kill -9}. Spark runs its tasks again elsewhere, the shards are loaded there, and the
 * join's answer is still exactly the exact answer.
 */
class LostExecutorTest {
  static final String TABLE = "lake.db.lost";
  static final int K = 10;
  static final float[][] QUERIES = SparkFixture.vectors(80, 9);

  @TempDir
  static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void startCluster() throws Exception {
    spark = SparkFixture.localCluster(dir, SparkFixture.builder(dir.resolve("wh"),
        SparkFixture.LOCAL_CLUSTER));
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.db");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void aJoinWhoseExecutorDiesCompletesWithTheExactAnswer() throws Exception {
    SparkFixture.createDocs(spark, TABLE, 3, 300);
    assertEquals(3, LakeAnn.build(spark, TABLE).column("embedding").id("doc_id")
        .metric(Metric.L2).targetRowsPerShard(300).run().shardsBuilt());

    // The queries come from a table, so the query is evaluated on the executors (Spark folds a
    // projection over a local DataFrame on the driver).
    SparkFixture.queries(spark, QUERIES).writeTo("lake.db.lost_queries").using("iceberg")
        .createOrReplace();
    String marker = dir.resolve("halted").toString();
    spark.udf().register("halt_first_executor", functions.udf((UDF1<Object, Object>) vector -> {
      try {
        Files.createFile(Path.of(marker));
        Runtime.getRuntime().halt(137);
      } catch (FileAlreadyExistsException alreadyHalted) {
        // Another executor halted already: this one goes on.
      }
      return vector;
    }, DataTypes.createArrayType(DataTypes.FloatType)).asNondeterministic());
    Dataset<Row> queries = spark.table("lake.db.lost_queries")
        .withColumn("qvec", call_udf("halt_first_executor", col("qvec")));

    JoinResult join = LakeAnn.annJoin(queries, "qvec").against(TABLE, "embedding").k(K)
        .recall(1.0).blockSize(8).run();

    assertTrue(Files.exists(Path.of(marker)), "an executor halted during the join");
    SparkFixture.assertExact(spark, join, TABLE, QUERIES, K);
    assertEquals(QUERIES.length, join.stats().queries(), join.stats().toString());
    assertEquals(3, join.stats().shards(), join.stats().toString());
    assertTrue(join.stats().loads() >= 3, "the shards were loaded where the tasks ran again: "
        + join.stats());
  }
}
