package io.lakeann.spark.cli;

import io.lakeann.spark.LocalSpark;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the command line sets up Spark: the settings it adds on top of what spark-submit
 * configured, and a real run that starts its own session and stops it.
 */
class CliSessionTest {
  @TempDir
  Path dir;

  @Test
  void withNothingConfiguredTheMasterIsLocalAndWarehouseConfiguresTheCatalogLake() {
    Map<String, String> settings = CliSession.settings(CommandLine.parse(
        new String[] {"--warehouse", "wh", "--conf", "spark.executor.memory=2g"}), "wh", Map.of(), "app");
    assertEquals("local[*]", settings.get("spark.master"));
    assertEquals("app", settings.get("spark.app.name"));
    assertEquals("org.apache.iceberg.spark.SparkCatalog", settings.get("spark.sql.catalog.lake"));
    assertEquals("hadoop", settings.get("spark.sql.catalog.lake.type"));
    assertEquals(Path.of("wh").toAbsolutePath().toString(),
        settings.get("spark.sql.catalog.lake.warehouse"));
    assertEquals(LocalSpark.ICEBERG_EXTENSIONS, settings.get("spark.sql.extensions"));
    assertEquals("2g", settings.get("spark.executor.memory"));
    assertEquals("s3://bucket/wh", CliSession.location("s3://bucket/wh"));
  }

  @Test
  void whatSparkSubmitConfiguredIsKeptAndConfWinsOverDefaults() {
    String[] keys = {"spark.master", "spark.app.name", "spark.sql.extensions"};
    String[] before = new String[keys.length];
    for (int i = 0; i < keys.length; i++) {
      before[i] = System.getProperty(keys[i]);
    }
    try {
      System.setProperty("spark.master", "yarn");
      System.setProperty("spark.app.name", "nightly");
      System.setProperty("spark.sql.extensions", "com.example.Ext");
      Map<String, String> settings = CliSession.settings(CommandLine.parse(
          new String[] {"--conf", "spark.ui.enabled=true"}), "wh", Map.of(), "app");
      assertFalse(settings.containsKey("spark.master"), "spark-submit's master: " + settings);
      assertFalse(settings.containsKey("spark.app.name"), settings.toString());
      assertFalse(settings.containsKey("spark.driver.host"), "not local: " + settings);
      assertEquals("com.example.Ext," + LocalSpark.ICEBERG_EXTENSIONS,
          settings.get("spark.sql.extensions"));
      assertEquals("true", settings.get("spark.ui.enabled"));

      Map<String, String> local = CliSession.settings(CommandLine.parse(
          new String[] {"--master", "local[3]", "--conf", "spark.ui.enabled=true"}), null,
          Map.of("spark.ui.enabled", "false", "spark.repl.class.outputDir", "classes"), "a");
      assertEquals("local[3]", local.get("spark.master"), "--master wins");
      assertEquals("true", local.get("spark.ui.enabled"),
          "--conf wins over the defaults and the command's settings");
      assertEquals("classes", local.get("spark.repl.class.outputDir"), "the command's setting");
      assertFalse(local.containsKey("spark.sql.catalog.lake"), "no --warehouse, no catalog");
    } finally {
      for (int i = 0; i < keys.length; i++) {
        if (before[i] == null) {
          System.clearProperty(keys[i]);
        } else {
          System.setProperty(keys[i], before[i]);
        }
      }
    }
  }

  @Test
  void theCommandLineStartsItsOwnSessionAndStopsIt() {
    assertTrue(SparkSession.getDefaultSession().isEmpty(), "a test left a session running");
    String wh = dir.resolve("wh").toString();
    Ran created = Ran.main(null, "--master", "local[2]", "--warehouse", wh, "sql",
        "CREATE NAMESPACE lake.db");
    assertEquals(0, created.code(), created.toString());
    assertTrue(SparkSession.getDefaultSession().isEmpty(), "stopped after the command");

    Ran listed = Ran.main(null, "sql", "SHOW NAMESPACES IN lake", "--warehouse", wh,
        "--conf", "spark.sql.shuffle.partitions=3", "--master", "local[1]");
    assertEquals(0, listed.code(), listed.toString());
    assertEquals(List.of(Map.of("namespace", "db"), Map.of("command", "sql", "rows", 1L)),
        listed.json().stream().map(m -> {
          m.remove("seconds");
          return m;
        }).toList(), "options after the subcommand; the catalog persists on disk");
    assertTrue(SparkSession.getDefaultSession().isEmpty());
  }
}
