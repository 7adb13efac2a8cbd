package io.lakeann.spark;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test class's own local[2] Spark ({@link SparkFixture#localSession}) on a temporary folder,
 * with the namespace {@code lake.db}: started before its first test, stopped after its last.
 */
abstract class LocalSparkTest {
  @TempDir
  static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = SparkFixture.localSession(dir);
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.db");
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }
}
