package io.lakeann.sql;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;

/** Logical plans the SQL functions receive (table arguments, query vectors) as DataFrames. */
public final class Plans {
  private Plans() {}

  /** The DataFrame of {@code plan} in the active session. */
  public static Dataset<Row> dataFrame(LogicalPlan plan) {
    return org.apache.spark.sql.classic.Dataset.ofRows(session(), plan);
  }

  /** The session running the statement being analysed. */
  public static org.apache.spark.sql.classic.SparkSession session() {
    return (org.apache.spark.sql.classic.SparkSession) SparkSession.active();
  }
}
