package io.lakeann.spark.cli;

import io.lakeann.spark.LocalSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Starts the Spark session a command runs in. Whatever spark-submit configured (it passes its
 * settings as {@code spark.*} system properties) is kept; the command line adds to it:
 * {@code --master} (default {@code local[*]} only when no master is configured at all, as when
 * {@code bin/lakeann} runs the tool), {@code --warehouse DIR} (an embedded Iceberg Hadoop catalog
 * named {@value LocalSpark#CATALOG} on DIR, with Iceberg's SQL extensions) and
 * {@code --conf KEY=VALUE}, which wins over every default set here. When lakeann's SQL module
 * (udf) is on the classpath, its procedure catalog is configured as
 * {@value LocalSpark#SQL_CATALOG_NAME} and its session extensions are added to whatever
 * extensions are configured. Stateless.
 */
final class CliSession {

  private CliSession() {}

  /**
   * The session for {@code line}: a new one, or the one already running in this JVM with the
   * line's settings applied as far as a running session allows.
   *
   * @param warehouse the embedded catalog's directory (the line's, or a command's default), or null
   * @param command the command's own settings ({@link Command#sessionSettings}); the line's
   *     {@code --conf} wins over them
   * @param app the application name unless one is configured
   */
  static SparkSession start(CommandLine line, String warehouse, Map<String, String> command,
      String app) {
    Map<String, String> settings = settings(line, warehouse, command, app);
    SparkSession.Builder builder = SparkSession.builder();
    settings.forEach(builder::config);
    return builder.getOrCreate();
  }

  /** Every setting the line adds to the configured ones, in the order they apply. */
  static Map<String, String> settings(CommandLine line, String warehouse,
      Map<String, String> command, String app) {
    Map<String, String> out = new LinkedHashMap<>();
    String master = line.master() != null ? line.master() : configured(line, "spark.master");
    if (master == null) {
      master = "local[*]";
    }
    if (line.master() != null || configured(line, "spark.master") == null) {
      out.put("spark.master", master);
    }
    if (configured(line, "spark.app.name") == null) {
      out.put("spark.app.name", app);
    }
    if (master.startsWith("local")) {
      out.putAll(LocalSpark.loopback());
    }
    // spark-submit re-installs Spark's own logging while the context starts, at INFO; keep
    // that at WARN too while the command line's logging is the one in effect.
    if (!line.verbose() && configured(line, "spark.log.level") == null && CliLogging.active()) {
      out.put("spark.log.level", "WARN");
    }
    io.lakeann.spark.JvmCompat.sparkDefaults().forEach((key, value) -> {
      if (configured(line, key) == null) {
        out.put(key, value);
      }
    });
    List<String> wanted = new ArrayList<>();
    if (warehouse != null) {
      out.putAll(LocalSpark.embeddedCatalog(location(warehouse)));
      wanted.add(LocalSpark.ICEBERG_EXTENSIONS);
    }
    if (LocalSpark.onClasspath(LocalSpark.SQL_EXTENSIONS)) {
      wanted.add(LocalSpark.SQL_EXTENSIONS);
    }
    if (LocalSpark.onClasspath(LocalSpark.SQL_CATALOG)
        && configured(line, LocalSpark.SQL_CATALOG_KEY) == null) {
      out.put(LocalSpark.SQL_CATALOG_KEY, LocalSpark.SQL_CATALOG);
    }
    if (!wanted.isEmpty()) {
      out.put("spark.sql.extensions",
          LocalSpark.withExtensions(configured(line, "spark.sql.extensions"), wanted));
    }
    out.putAll(command);
    line.conf().forEach((key, value) -> {
      if (!(key.equals("spark.sql.extensions") && out.containsKey(key))) {
        out.put(key, value);
      }
    });
    return out;
  }

  /** Whether the catalog {@value LocalSpark#CATALOG} is configured without {@code --warehouse}. */
  static boolean catalogConfigured(CommandLine line) {
    return configured(line, LocalSpark.CATALOG_KEY) != null;
  }

  /** The value of {@code key} from {@code --conf} or spark-submit's settings, or null. */
  private static String configured(CommandLine line, String key) {
    String value = line.conf().get(key);
    return value != null ? value : System.getProperty(key);
  }

  /**
   * A local directory as an absolute path; a URI (s3://..., hdfs://..., file:...) as given. A
   * Windows drive letter ({@code C:\wh}) is a local path, not a scheme.
   */
  static String location(String warehouse) {
    boolean uri = warehouse.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")
        && !warehouse.matches("^[A-Za-z]:[\\\\/].*");
    if (uri) {
      return warehouse;
    }
    return Path.of(warehouse).toAbsolutePath().normalize().toString();
  }
}
