package io.lakeann.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.util.Json;
import io.lakeann.spark.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every notebook of the module's folder, and one written only from docs/sql.md, through
 * the command line's {@code notebook} subcommand in this JVM: each in a Spark session
 * (local[2]) of its own, on a temporary Iceberg warehouse, as {@code bin/lakeann notebook} does.
 */
class NotebooksTest {
  @TempDir
  Path dir;

  /** The notebooks shipped in notebooks/. */
  static Stream<Path> notebooks() throws IOException {
    Path folder = Path.of(System.getProperty("lakeann.notebooks", "."));
    try (Stream<Path> files = Files.list(folder)) {
      List<Path> found = files.filter(f -> f.toString().matches(".*\\.(sql|scala|py)$"))
          .sorted().toList();
      assertFalse(found.isEmpty(), "no notebooks in " + folder.toAbsolutePath());
      return found.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("notebooks")
  void everyShippedNotebookRunsAndPassesItsChecks(Path notebook) {
    Map<?, ?> summary = run(notebook, 0);
    assertEquals(summary.get("cells"), summary.get("cells_run"), summary.toString());
    assertTrue(Files.isRegularFile(Path.of((String) summary.get("output"))));
  }

  @Test
  void aNotebookWrittenFromTheDocsRunsScalaClosuresPlotsAndSkipsPython() throws Exception {
    Map<?, ?> summary = run(resource("from-the-docs.scala"), 0);
    assertEquals(7L, ((Number) summary.get("cells")).longValue());
    assertEquals(6L, ((Number) summary.get("cells_run")).longValue());
    List<?> skipped = (List<?>) summary.get("skipped");
    assertEquals(1, skipped.size());
    Map<?, ?> python = (Map<?, ?>) skipped.get(0);
    assertEquals(7L, ((Number) python.get("cell")).longValue());
    assertTrue(((String) python.get("reason")).contains("PySpark"), python.toString());
    String markdown = Files.readString(Path.of((String) summary.get("output")));
    assertTrue(markdown.contains("**Index it**"), "the DBTITLE is shown");
    assertTrue(markdown.contains("10,"), "the println output is shown: " + markdown);
    assertTrue(markdown.contains("| item_id | vec |"), "display(df) is a table");
    assertTrue(markdown.contains("![items](from-the-docs-cell6-1.png)"), markdown);
    assertTrue(Files.size(dir.resolve("out/from-the-docs-cell6-1.png")) > 1000);
    assertTrue(markdown.contains("<b>done</b>"));
    assertTrue(markdown.contains("> Skipped: a Python cell needs PySpark"));
  }

  @Test
  void caseClassesDecodeInTheCellThatDefinesThemAndInLaterCells() throws IOException {
    Path notebook = dir.resolve("cases.scala");
    Files.writeString(notebook, String.join("\n", "// Databricks notebook source",
        "case class Hit(id: Long, dist: Double)",
        "val near = spark.range(10)",
        "  .selectExpr(\"id\", \"CAST(id AS DOUBLE) / 10 AS dist\").as[Hit]",
        "  .filter(_.dist < 0.35).collect().map(_.id).sorted.toList",
        "assert(near == List(0L, 1L, 2L, 3L), near.toString)",
        "", "// COMMAND ----------", "",
        "val moved = Seq(Hit(7, 0.5)).toDS().map(h => h.copy(dist = h.dist * 2)).collect()",
        "assert(moved.toList == List(Hit(7, 1.0)), moved.toList.toString)"));
    Map<?, ?> summary = run(notebook, 0);
    assertEquals(2L, ((Number) summary.get("cells_run")).longValue(), summary.toString());
  }

  @Test
  void aFailingCellStopsTheRunNamingTheNotebookCellAndError() throws IOException {
    Path notebook = dir.resolve("broken.sql");
    Files.writeString(notebook, String.join("\n", "-- Databricks notebook source",
        "SELECT 1 AS one", "", "-- COMMAND ----------", "",
        "SELECT no_such_column FROM range(3)", "", "-- COMMAND ----------", "SELECT 3"));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args(notebook), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String message = err.toString(StandardCharsets.UTF_8);
    assertEquals(1, status, message);
    assertTrue(message.contains("broken.sql cell 2 (SELECT no_such_column FROM range(3))"),
        message);
    assertTrue(message.contains("no_such_column"), message);
    String markdown = Files.readString(dir.resolve("out/broken.md"));
    assertTrue(markdown.contains("> **Failed:**"), markdown);
    assertFalse(markdown.contains("SELECT 3"), "cells after the failure do not run");
  }

  @Test
  void aFileNotInTheSourceFormatIsAUsageError() throws IOException {
    Path notebook = dir.resolve("plain.sql");
    Files.writeString(notebook, "SELECT 1");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args(notebook), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String message = err.toString(StandardCharsets.UTF_8);
    assertEquals(2, status, message);
    assertTrue(message.contains("first line is 'SELECT 1'"), message);
  }

  private String[] args(Path notebook) {
    return new String[] {"--master", "local[2]", "--conf", "lakeann.notebook.data="
        + System.getProperty("lakeann.sharedData", "../../shared/data"), "notebook",
        notebook.toString(), "--output", dir.resolve("out").toString()};
  }

  private Map<?, ?> run(Path notebook, int expected) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args(notebook), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String printed = out.toString(StandardCharsets.UTF_8).strip();
    assertEquals(expected, status, notebook + ": " + err.toString(StandardCharsets.UTF_8));
    String last = printed.substring(printed.lastIndexOf('\n') + 1);
    return (Map<?, ?>) Json.parse(last);
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(NotebooksTest.class.getResource("/" + name).toURI());
  }
}
