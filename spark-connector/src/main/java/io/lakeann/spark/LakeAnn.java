package io.lakeann.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * lakeann on Spark: build the index of an Iceberg table across the cluster, and join query
 * vectors against it.
 *
 * <pre>{@code
 * LakeAnn.build(spark, "lake.db.docs").column("embedding").id("doc_id")
 *     .metric(Metric.COSINE).run();
 * Dataset<Row> top10 = LakeAnn.annJoin(queries, "qvec")
 *     .against("lake.db.docs", "embedding").k(10).run().rows();
 * }</pre>
 */
public final class LakeAnn {
  private LakeAnn() {}

  /** A build of {@code table}'s index; name the columns, then {@code run()}. */
  public static BuildJob build(SparkSession spark, String table) {
    return new BuildJob(spark, table);
  }

  /** An ANN join of the vectors in {@code queries}' column {@code queryColumn}. */
  public static AnnJoin annJoin(Dataset<Row> queries, String queryColumn) {
    return new AnnJoin(queries, queryColumn);
  }
}
