package io.lakeann.iceberg;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.hadoop.HadoopCatalog;

/**
 * Where tables come from: the embedded default, a Hadoop catalog on a local warehouse directory,
 * or any Iceberg catalog configured by the standard catalog properties ({@code type} or
 * {@code catalog-impl}, {@code uri}, {@code warehouse}, {@code io-impl}, ...).
 */
public final class Catalogs {
  private Catalogs() {}

  /** A Hadoop catalog named {@code lake} on {@code warehouse} (created if missing). */
  public static Catalog hadoop(Path warehouse) {
    HadoopCatalog catalog = new HadoopCatalog();
    catalog.setConf(new Configuration());
    catalog.initialize("lake", Map.of(CatalogProperties.WAREHOUSE_LOCATION,
        warehouse.toAbsolutePath().toString()));
    return catalog;
  }

  /** The catalog {@code name} configured by {@code properties}, as Spark or Flink would. */
  public static Catalog load(String name, Map<String, String> properties) {
    return CatalogUtil.buildIcebergCatalog(name, properties, new Configuration());
  }

  /**
   * Loads {@code name} ("db.table"; a metadata table name is refused) from {@code catalog}.
   *
   * @throws UnknownTableException naming the catalog and table
   */
  public static Table loadTable(Catalog catalog, String name) {
    TableIdentifier id;
    try {
      id = TableIdentifier.parse(name);
    } catch (IllegalArgumentException e) {
      throw new UnknownTableException(String.format(Locale.ROOT,
          "Invalid table name '%s': use namespace.table, e.g. db.docs", name), e);
    }
    try {
      return catalog.loadTable(id);
    } catch (NoSuchTableException e) {
      throw new UnknownTableException(String.format(Locale.ROOT,
          "Catalog %s has no table %s; check the name (namespace.table) or create the table "
              + "first", catalog.name(), name), e);
    }
  }
}
