package io.lakeann.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/lakeann} as a real process, on this test's classpath ({@code LAKEANN_CLASSPATH}, so
 * no Maven build runs inside the test): the script's JVM flags and default master work, stdout
 * holds only JSON lines, logs go to stderr, and exit codes reach the shell.
 */
class CliProcessTest {
  private static final Path SCRIPT = Path.of("").toAbsolutePath().getParent()
      .resolve("bin/lakeann");

  @TempDir
  Path dir;

  /** What a process printed and how it ended. */
  record Result(int code, List<String> out, List<String> err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + String.join("\n", out) + "\n--- stderr\n"
          + String.join("\n", err);
    }
  }

  @BeforeAll
  static void scriptIsHere() {
    assumeTrue(Files.isExecutable(SCRIPT), "bin/lakeann not found at " + SCRIPT
        + "; skipping the process tests");
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")) || Files.isExecutable(
        Path.of("/usr/bin/bash")), "no bash here; skipping the process tests");
  }

  Result lakeann(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    String classpath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    builder.environment().put("LAKEANN_CLASSPATH", classpath);
    builder.environment().put("LAKEANN_JAVA_OPTS", "-Xmx1g -Dlakeann.shard.dir="
        + dir.resolve("shards"));
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process process = builder.start();
    assertTrue(process.waitFor(5, TimeUnit.MINUTES), "bin/lakeann did not finish in 5 minutes");
    List<String> errLines = new ArrayList<>();
    for (String line : Files.readAllLines(err, StandardCharsets.UTF_8)) {
      if (!line.startsWith("WARNING: Using incubator modules")) {   // the JVM's, for --add-modules
        errLines.add(line);
      }
    }
    return new Result(process.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
        errLines);
  }

  @Test
  void helpAndUsageErrorsReachTheShellWithoutStartingSpark() throws Exception {
    Result help = lakeann("--help");
    assertEquals(0, help.code(), help.toString());
    assertTrue(help.out().get(0).startsWith("usage: lakeann"), help.toString());

    Result bad = lakeann("join", "--queries", "q", "--query-column", "v", "--query-id", "id",
        "--table", "t", "--column", "c", "--output", "o", "--k", "0");
    assertEquals(2, bad.code(), bad.toString());
    assertEquals(List.of(), bad.out());
    assertEquals(1, bad.err().size(), bad.toString());
    assertTrue(bad.err().get(0).startsWith("bin/lakeann join: --k 0"), bad.toString());
  }

  @Test
  void quickstartPrintsOnlyJsonLinesOnStdoutAndItsLogsOnStderr() throws Exception {
    Path warehouse = dir.resolve("warehouse");
    Result run = lakeann("quickstart", "--rows", "2000", "--warehouse", warehouse.toString());
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
    assertTrue(new File(SCRIPT.toString()).canExecute());
  }
}
