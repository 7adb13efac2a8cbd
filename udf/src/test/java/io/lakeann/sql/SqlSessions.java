package io.lakeann.sql;

import io.lakeann.core.search.Recall;
import io.lakeann.spark.LocalSpark;
import io.lakeann.spark.SparkFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The test session of the SQL tests, configured as docs/sql.md says: SparkFixture's local[2]
 * session with Iceberg's and lakeann's extensions and the {@code lakeann} procedure catalog.
 */
public final class SqlSessions {
  public static final String EXTENSIONS = LocalSpark.ICEBERG_EXTENSIONS + ","
      + LakeAnnSparkSessionExtensions.class.getName();

  private SqlSessions() {}

  /** local[2] with the Iceberg catalog {@code lake} in {@code dir/wh}, and lakeann's SQL. */
  public static SparkSession start(Path dir) {
    System.setProperty("lakeann.shard.dir", dir.resolve("shards").toString());
    return withLakeAnn(SparkFixture.builder(dir.resolve("wh"), "local[2]")).getOrCreate();
  }

  /** {@code builder} with lakeann's extensions and catalog. */
  public static SparkSession.Builder withLakeAnn(SparkSession.Builder builder) {
    return builder.config("spark.sql.extensions", EXTENSIONS)
        .config("spark.sql.catalog.lakeann", LakeAnnCatalog.class.getName());
  }

  /** The rows of {@code statement}. */
  public static List<Row> sql(SparkSession spark, String statement) {
    return spark.sql(statement).collectAsList();
  }

  /** Pooled recall of {@code found} against {@code exact}, both keyed by query id. */
  public static double recall(Map<Integer, List<Long>> exact,
      Map<Integer, List<Long>> found) {
    List<List<Long>> truth = new ArrayList<>();
    List<List<Long>> got = new ArrayList<>();
    new TreeMap<>(exact).forEach((query, ids) -> {
      truth.add(ids);
      got.add(found.getOrDefault(query, List.of()));
    });
    return Recall.of(truth, got);
  }

  /** The one row of {@code statement}. */
  public static Row one(SparkSession spark, String statement) {
    List<Row> rows = sql(spark, statement);
    if (rows.size() != 1) {
      throw new AssertionError("expected one row from " + statement + ", got " + rows);
    }
    return rows.get(0);
  }
}
