package io.lakeann.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/lakeann} as a real process, on this test's classpath ({@code LAKEANN_CLASSPATH}, so
 * no Maven build runs inside the test): the script's JVM flags and default master work, stdout
 * holds only JSON lines, logs go to stderr, and exit codes reach the shell.
 */
class CliProcessTest {
  @TempDir
  Path dir;

  @BeforeAll
  static void scriptIsHere() {
    LakeAnnProcess.assumeRunnable();
  }

  LakeAnnProcess.Result lakeann(String... args) throws IOException, InterruptedException {
    return LakeAnnProcess.run(dir, args);
  }

  @Test
  void helpAndUsageErrorsReachTheShellWithoutStartingSpark() throws Exception {
    LakeAnnProcess.Result help = lakeann("--help");
    assertEquals(0, help.code(), help.toString());
    assertTrue(help.out().get(0).startsWith("usage: lakeann"), help.toString());

    LakeAnnProcess.Result bad = lakeann("join", "--queries", "q", "--query-column", "v", "--query-id", "id",
        "--table", "t", "--column", "c", "--output", "o", "--k", "0");
    assertEquals(2, bad.code(), bad.toString());
    assertEquals(List.of(), bad.out());
    assertEquals(1, bad.err().size(), bad.toString());
    assertTrue(bad.err().get(0).startsWith("bin/lakeann join: --k 0"), bad.toString());
  }

  @Test
  void underSparkSubmitSparkStartsAtWarnToo() throws Exception {
    LakeAnnProcess.Result run = LakeAnnProcess.sparkSubmit(dir, "--warehouse",
        dir.resolve("submitted").toString(), "quickstart", "--rows", "500");
    assertEquals(0, run.code(), run.toString());
    // Spark's own log lines under its defaults start with the date (yy/MM/dd), lakeann's with
    // the time. The version banner comes before any setting applies; the rest of Spark's
    // start-up (some fifty INFO lines without spark.log.level) is at WARN.
    List<String> sparkInfo = run.err().stream()
        .filter(line -> line.matches("\\d\\d/\\d\\d/\\d\\d \\S+ INFO .*"))
        .toList();
    assertTrue(sparkInfo.size() <= 3, String.join("\n", sparkInfo));
    assertTrue(run.out().get(run.out().size() - 1).contains("\"command\":\"quickstart\""),
        run.toString());
  }

  @Test
  void quickstartPrintsOnlyJsonLinesOnStdoutAndItsLogsOnStderr() throws Exception {
    Path warehouse = dir.resolve("warehouse");
    LakeAnnProcess.Result run = lakeann("quickstart", "--rows", "2000", "--warehouse", warehouse.toString());
    assertEquals(0, run.code(), run.toString());
    assertFalse(run.out().isEmpty(), run.toString());
    Map<String, Object> summary = null;
    for (String line : run.out()) {
      summary = Ran.object(io.lakeann.core.util.Json.parse(line));   // every line is JSON
    }
    assertEquals("quickstart", summary.get("command"), run.toString());
    assertEquals(warehouse.toString(), summary.get("warehouse"));
    assertEquals(2000L, summary.get("rows"));
    assertTrue((Double) summary.get("recall_at_k") >= 0.9, summary.toString());
    assertEquals(1000L, Ran.object(summary.get("join")).get("output_rows"));
    assertEquals(2000L, Ran.object(summary.get("build")).get("rows"));
    assertTrue(Files.isDirectory(warehouse.resolve("demo").resolve("docs")));

    String err = String.join("\n", run.err());
    assertTrue(err.matches("(?s).*INFO\\s+BuildJob: lakeann build.*"),
        "lakeann logs at INFO: " + err);
    assertTrue(err.contains("quickstart [5/5]"), "progress on stderr: " + err);
    assertFalse(err.contains("INFO SparkContext"), "Spark at WARN: " + err);
    assertFalse(err.contains("No Log4j 2 configuration"), "every logger configured: " + err);
    assertTrue(new File(LakeAnnProcess.SCRIPT.toString()).canExecute());

    // A failure inside a task (a query of the wrong dimension) is one line, without Spark's
    // copies of its stack trace from the executor and the scheduler.
    String w = warehouse.toString();
    assertEquals(0, lakeann("--warehouse", w, "sql", "CREATE TABLE lake.demo.short_queries "
        + "USING iceberg AS SELECT 1 AS query_id, array(1.0f, 2.0f, 3.0f) AS embedding").code());
    LakeAnnProcess.Result failed = lakeann("--warehouse", w, "join", "--queries",
        "lake.demo.short_queries", "--query-column", "embedding", "--query-id", "query_id",
        "--table", "lake.demo.docs", "--column", "embedding", "--k", "3", "--output",
        "lake.demo.short_neighbors");
    assertEquals(1, failed.code(), failed.toString());
    assertTrue(failed.err().stream().noneMatch(line -> line.startsWith("\tat ")),
        "no stack frames: " + failed);
    String last = failed.err().get(failed.err().size() - 1);
    assertTrue(last.startsWith("bin/lakeann join: ") && last.contains("3 dimensions"),
        failed.toString());
    assertTrue(failed.err().size() <= 5, "a few lines: " + failed);
  }
}
