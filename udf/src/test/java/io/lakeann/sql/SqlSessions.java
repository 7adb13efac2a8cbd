package io.lakeann.sql;

import io.lakeann.spark.LocalSpark;
import io.lakeann.spark.SparkFixture;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/** A test session with Iceberg's and lakeann's extensions, as docs/sql.md configures it. */
final class SqlSessions {
  static final String EXTENSIONS = LocalSpark.ICEBERG_EXTENSIONS + ","
      + LakeAnnSparkSessionExtensions.class.getName();

  private SqlSessions() {}

  static SparkSession start(Path dir) {
    System.setProperty("lakeann.shard.dir", dir.resolve("shards").toString());
    return SparkFixture.builder(dir.resolve("wh"), "local[2]")
        .config("spark.sql.extensions", EXTENSIONS).getOrCreate();
  }
}
