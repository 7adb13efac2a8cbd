package io.lakeann.spark.cli;

import io.lakeann.spark.LocalSpark;
import io.lakeann.iceberg.UnknownTableException;
import io.lakeann.spark.SparkTables;
import java.util.Locale;
import org.apache.iceberg.Table;
import org.apache.spark.sql.SparkSession;

/**
 * Tables and columns named on the command line, refused with messages that name the flag, the
 * name given and the fix. Stateless.
 */
final class CliTables {
  private CliTables() {}

  /** The Iceberg table {@code name}, given as {@code flag}. */
  static Table iceberg(SparkSession spark, String name, String flag) {
    checkCatalog(spark, name, flag);
    return SparkTables.load(spark, name);
  }

  /**
   * Refuses {@code catalog.namespace.table} when no catalog of that name is configured, which
   * Spark would otherwise report as a missing namespace of its session catalog.
   */
  static void checkCatalog(SparkSession spark, String name, String flag) {
    String[] parts = name.split("\\.");
    if (parts.length < 3 || name.contains("`")) {
      return;
    }
    String catalog = parts[0];
    if (!catalog.equalsIgnoreCase("spark_catalog")
        && !spark.conf().contains("spark.sql.catalog." + catalog)) {
      throw new UnknownTableException(String.format(Locale.ROOT,
          "Table %s (%s): no catalog '%s' is configured; run with --warehouse DIR for an "
              + "embedded Iceberg catalog '%s' on DIR, or configure it with --conf "
              + "spark.sql.catalog.%s=org.apache.iceberg.spark.SparkCatalog and its settings",
          name, flag, catalog, LocalSpark.CATALOG, catalog));
    }
  }

}
