package io.lakeann.spark;

import io.lakeann.iceberg.UnknownTableException;
import java.util.Locale;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.catalyst.parser.ParseException;

/** Iceberg tables by their Spark name ({@code catalog.db.table}, or {@code db.table}). */
public final class SparkTables {
  private SparkTables() {}

  /**
   * The Iceberg table Spark knows as {@code name}.
   *
   * @throws UnknownTableException naming the table and how to fix the name or the catalog
   */
  public static Table load(SparkSession spark, String name) {
    if (name == null || name.isBlank()) {
      throw new UnknownTableException("No table given; name an Iceberg table as "
          + "catalog.namespace.table, e.g. lake.db.docs");
    }
    try {
      return Spark3Util.loadIcebergTable(spark, name);
    } catch (NoSuchTableException e) {
      throw new UnknownTableException(String.format(Locale.ROOT,
          "Table %s does not exist (current catalog %s); check the name, or configure its "
              + "catalog with spark.sql.catalog.<name>=org.apache.iceberg.spark.SparkCatalog",
          name, spark.sessionState().catalogManager().currentCatalog().name()), e);
    } catch (ParseException e) {
      throw new UnknownTableException(String.format(Locale.ROOT,
          "Invalid table name '%s': use catalog.namespace.table, e.g. lake.db.docs", name), e);
    } catch (IllegalArgumentException e) {
      throw new UnknownTableException(String.format(Locale.ROOT,
          "Table %s is not an Iceberg table (%s); lakeann indexes Iceberg tables", name,
          e.getMessage()), e);
    }
  }
}
