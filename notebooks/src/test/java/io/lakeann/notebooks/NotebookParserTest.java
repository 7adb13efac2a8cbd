package io.lakeann.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The source format as a workspace exports it, read without running anything. */
class NotebookParserTest {
  private static Notebook parse(String extension, String... lines) {
    return NotebookParser.parse("n", "n." + extension, extension, String.join("\n", lines));
  }

  @Test
  void magicCellsTitlesAndTheNotebookLanguageAreRead() {
    Notebook notebook = parse("py", "# Databricks notebook source",
        "# MAGIC %md", "# MAGIC # Title", "# MAGIC", "# MAGIC text", "",
        "# COMMAND ----------", "",
        "# DBTITLE 1,Count, then show", "# MAGIC %sql SELECT 1", "# MAGIC   FROM t", "",
        "# COMMAND ----------", "print(1)");
    List<Cell> cells = notebook.cells();
    assertEquals(CellKind.PYTHON, notebook.language());
    assertEquals(3, cells.size());
    assertEquals(CellKind.MARKDOWN, cells.get(0).kind());
    assertEquals("# Title\n\ntext", cells.get(0).source());
    assertEquals(CellKind.SQL, cells.get(1).kind());
    assertEquals("Count, then show", cells.get(1).title());
    assertEquals("SELECT 1\n  FROM t", cells.get(1).source());
    assertEquals(CellKind.PYTHON, cells.get(2).kind());
    assertNull(cells.get(2).magic());
  }

  @Test
  void windowsLineEndsAByteOrderMarkAndUnknownMagicAreHandled() {
    Notebook notebook = NotebookParser.parse("n", "n.scala", "scala",
        "\uFEFF// Databricks notebook source\r\nval a = 1\r\n// COMMAND ----------\r\n"
            + "// MAGIC %md-sandbox <b>x</b>\r\n// COMMAND ----------\r\n// MAGIC %conda list\r\n"
            + "// COMMAND ----------\r\n// MAGIC\r\n");
    List<Cell> cells = notebook.cells();
    assertEquals(List.of(CellKind.SCALA, CellKind.MARKDOWN, CellKind.UNKNOWN, CellKind.SCALA),
        cells.stream().map(Cell::kind).toList());
    assertEquals("val a = 1", cells.get(0).source());
    assertEquals("<b>x</b>", cells.get(1).source());
    assertEquals("%conda", cells.get(2).magic());
    assertTrue(cells.get(3).empty(), "a cell of bare MAGIC lines is empty");
  }

  @Test
  void anRNotebookIsToldFromPythonByItsExtension() {
    assertEquals(CellKind.R, parse("r", "# Databricks notebook source", "x <- 1").language());
  }

  @Test
  void aFileWithoutTheHeaderIsRefusedNamingItsFirstLine() {
    NotebookException e = assertThrows(NotebookException.class,
        () -> parse("sql", "", "SELECT 1"));
    assertTrue(e.getMessage().contains("n.sql is not in the Databricks source format"),
        e.getMessage());
    assertTrue(e.getMessage().contains("'SELECT 1'"), e.getMessage());
  }

  @Test
  void aScalaErrorKeepsItsExplanationButNotTheNextErrorsEcho() {
    String printed = String.join("\n",
        "       val b: String = a", "                       ^",
        "On line 2: error: type mismatch;", "        found   : Int",
        "        required: String",
        "       val c: Int = \"x\"", "                    ^",
        "On line 3: error: type mismatch;");
    assertEquals("On line 2: error: type mismatch; found : Int required: String",
        NotebookRunner.scalaError(printed));
  }
}
