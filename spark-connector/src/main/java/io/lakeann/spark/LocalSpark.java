package io.lakeann.spark;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Spark settings of lakeann's embedded default, in one place for the command line, the
 * benchmarks and the tests: an Iceberg Hadoop catalog named {@value #CATALOG} on a warehouse
 * directory, and a one-machine session bound to the loopback address without a web UI.
 */
public final class LocalSpark {
  /** The name of the embedded Iceberg catalog. */
  public static final String CATALOG = "lake";
  /** Iceberg's SQL extensions (DELETE, MERGE, CALL ...). */
  public static final String ICEBERG_EXTENSIONS =
      "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions";
  /** The prefix of the embedded catalog's settings. */
  public static final String CATALOG_KEY = "spark.sql.catalog." + CATALOG;

  private LocalSpark() {}

  /** An Iceberg Hadoop catalog named {@value #CATALOG} on {@code warehouse}. */
  public static Map<String, String> embeddedCatalog(String warehouse) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put(CATALOG_KEY, "org.apache.iceberg.spark.SparkCatalog");
    out.put(CATALOG_KEY + ".type", "hadoop");
    out.put(CATALOG_KEY + ".warehouse", warehouse);
    return out;
  }

  /** One machine: no web UI to bind, and the loopback address, which always works. */
  public static Map<String, String> loopback() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("spark.ui.enabled", "false");
    out.put("spark.driver.host", "127.0.0.1");
    out.put("spark.driver.bindAddress", "127.0.0.1");
    return out;
  }
}
