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

  /** The name the command line gives lakeann's procedure catalog. */
  public static final String SQL_CATALOG_NAME = "lakeann";
  /** lakeann's procedure catalog (module udf; named, not linked: udf depends on this module). */
  public static final String SQL_CATALOG = "io.lakeann.sql.LakeAnnCatalog";
  /** The setting that configures {@link #SQL_CATALOG} as {@value #SQL_CATALOG_NAME}. */
  public static final String SQL_CATALOG_KEY = "spark.sql.catalog." + SQL_CATALOG_NAME;
  /** lakeann's SQL session extensions (module udf), by name. */
  public static final String SQL_EXTENSIONS = "io.lakeann.sql.LakeAnnSparkSessionExtensions";

  private LocalSpark() {}

  /** Whether {@code className} can be loaded here (a module present on the classpath). */
  public static boolean onClasspath(String className) {
    try {
      Class.forName(className, false, LocalSpark.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * The {@code spark.sql.extensions} value holding {@code configured} (a comma-separated list,
   * or null) followed by each of {@code wanted} not already in it.
   */
  public static String withExtensions(String configured, java.util.List<String> wanted) {
    java.util.List<String> out = new java.util.ArrayList<>();
    if (configured != null) {
      for (String name : configured.split(",")) {
        if (!name.isBlank()) {
          out.add(name.strip());
        }
      }
    }
    for (String name : wanted) {
      if (!out.contains(name)) {
        out.add(name);
      }
    }
    return String.join(",", out);
  }

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
