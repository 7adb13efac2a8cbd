package io.lakeann.sql.procedures;

import io.lakeann.spark.SparkFixture;
import io.lakeann.sql.LakeAnnCatalog;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The test session of the procedure tests: SparkFixture's, with the lakeann catalog. */
final class SqlSession {
  private SqlSession() {}

  /** local[2] with the Iceberg catalog {@code lake} in {@code dir/wh} and {@code lakeann}. */
  static SparkSession start(Path dir) {
    System.setProperty("lakeann.shard.dir", dir.resolve("shards").toString());
    return withCatalog(SparkFixture.builder(dir.resolve("wh"), "local[2]")).getOrCreate();
  }

  static SparkSession.Builder withCatalog(SparkSession.Builder builder) {
    return builder.config("spark.sql.catalog.lakeann", LakeAnnCatalog.class.getName());
  }

  /** The rows of {@code statement}. */
  static List<Row> sql(SparkSession spark, String statement) {
    return spark.sql(statement).collectAsList();
  }

  /** The one row of {@code statement}. */
  static Row one(SparkSession spark, String statement) {
    List<Row> rows = sql(spark, statement);
    if (rows.size() != 1) {
      throw new AssertionError("expected one row from " + statement + ", got " + rows);
    }
    return rows.get(0);
  }
}
