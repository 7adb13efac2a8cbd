package io.lakeann.notebooks;

import io.lakeann.spark.cli.Main;
import io.lakeann.spark.cli.SqlScript;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a notebook cell by cell, in order, in one Spark session, as a notebook attached to a
 * cluster does: SQL cells through {@code spark.sql} (each statement of the cell in order, the
 * last one's result shown as a table), Scala cells through a Scala 2.13 interpreter (see
 * {@link ScalaCells}), Markdown cells shown. Cells of other languages are skipped with their
 * reason, never dropped. The first cell that fails stops the run. The executed notebook, with
 * every cell's output and plots, is written as Markdown (see {@link MarkdownWriter}) whether or
 * not a cell failed.
 *
 * <p>For closures written in Scala cells to run in tasks, start the session with
 * {@link #sessionSettings} (an empty directory of its own, which executors load the cells'
 * classes from), and give each notebook a new session: two notebooks' cells compile to the same
 * class names. Stateless apart from the session; one run at a time.
 */
public final class NotebookRunner {
  /** The Spark setting naming the directory executors load interpreter-compiled classes from. */
  public static final String CLASSES_KEY = "spark.repl.class.outputDir";

  private static final Pattern EXCEPTION =
      Pattern.compile("^([A-Za-z_$][\\w$]*\\.)+[A-Za-z_$][\\w$]*(Exception|Error)\\b.*");

  private final SparkSession spark;

  public NotebookRunner(SparkSession spark) {
    this.spark = spark;
  }

  /** The settings a session needs for Scala cells' closures: {@code classes} must be empty. */
  public static Map<String, String> sessionSettings(Path classes) {
    return Map.of(CLASSES_KEY, classes.toAbsolutePath().toString());
  }

  /**
   * Runs {@code notebook} and writes it with its outputs under {@code outputDir}.
   *
   * @throws NotebookException when a cell fails (naming the notebook, the cell's number and
   *     first line, and the error; the Markdown file is written first and {@link
   *     NotebookException#run} holds the results up to the failure), or when the session's
   *     class directory already holds another notebook's classes
   */
  public NotebookRun run(Notebook notebook, Path outputDir) {
    long start = System.nanoTime();
    Display display = new Display();
    List<CellResult> results = new ArrayList<>();
    ScalaCells scala = null;
    Path ownClasses = null;
    try {
      for (Cell cell : notebook.cells()) {
        long cellStart = System.nanoTime();
        CellResult result;
        if (!cell.kind().runs()) {
          result = new CellResult(cell, CellResult.Status.SKIPPED, List.of(), skipReason(cell),
              0);
        } else if (cell.kind() == CellKind.MARKDOWN || cell.empty()) {
          result = new CellResult(cell, CellResult.Status.RAN, List.of(), null, 0);
        } else if (cell.kind() == CellKind.SQL) {
          result = runSql(cell, display, cellStart);
        } else {
          if (scala == null) {
            Path classes = classDirectory(notebook);
            if (classes == null) {
              ownClasses = Files.createTempDirectory("lakeann-notebook-classes");
              classes = ownClasses;
            }
            scala = new ScalaCells(spark, display, classes);
          }
          result = runScala(scala, cell, display, cellStart);
        }
        results.add(result);
        if (result.status() == CellResult.Status.FAILED) {
          break;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for the Scala cells' classes: "
          + e.getMessage(), e);
    } finally {
      if (scala != null) {
        scala.close();
      }
      delete(ownClasses);
    }
    Path output = MarkdownWriter.write(notebook, results, outputDir);
    NotebookRun run = new NotebookRun(notebook, results, output, (System.nanoTime() - start) / 1e9);
    CellResult failed = run.failure();
    if (failed != null) {
      throw new NotebookException("notebook " + notebook.source() + " cell "
          + failed.cell().number() + " (" + failed.cell().firstLine() + "): " + failed.detail()
          + "; the cells up to it, with their output, are in " + output, run);
    }
    return run;
  }

  private static String skipReason(Cell cell) {
    String reason = cell.kind().skipReason();
    return cell.kind() == CellKind.UNKNOWN ? cell.magic() + ": " + reason : reason;
  }

  private CellResult runSql(Cell cell, Display display, long start) {
    List<String> statements;
    try {
      statements = SqlScript.split(cell.source());
    } catch (RuntimeException e) {
      return failed(cell, display, Main.describe(e, false), start);
    }
    for (int s = 0; s < statements.size(); s++) {
      try {
        Dataset<Row> result = spark.sql(statements.get(s));
        if (s == statements.size() - 1 && result.columns().length > 0) {
          display.display(result);
        }
      } catch (Exception e) {
        String where = statements.size() == 1 ? "" : "statement " + (s + 1) + " of "
            + statements.size() + " (" + Main.firstLine(statements.get(s)) + "): ";
        return failed(cell, display, where + Main.describe(e, false), start);
      }
    }
    return new CellResult(cell, CellResult.Status.RAN, display.drain(), null, since(start));
  }

  private static CellResult runScala(ScalaCells scala, Cell cell, Display display, long start) {
    ScalaCells.Result result;
    try {
      result = scala.run(cell.source());
    } catch (RuntimeException e) {
      return failed(cell, display, Main.describe(e, false), start);
    }
    display.print(result.printed());
    if (!result.success()) {
      return failed(cell, display, scalaError(result.printed()), start);
    }
    return new CellResult(cell, CellResult.Status.RAN, display.drain(), null, since(start));
  }

  private static CellResult failed(Cell cell, Display display, String error, long start) {
    return new CellResult(cell, CellResult.Status.FAILED, display.drain(), error, since(start));
  }

  /**
   * What the interpreter's output says went wrong: the first error line with the indented lines
   * that explain it (a type mismatch's found and required types), or the exception's line.
   */
  static String scalaError(String printed) {
    String[] lines = printed.split("\n");
    String first = null;
    for (int i = 0; i < lines.length; i++) {
      String text = lines[i].strip();
      if (text.isEmpty()) {
        continue;
      }
      if (EXCEPTION.matcher(text).matches()) {
        return text;
      }
      if (text.contains("error:")) {
        StringBuilder error = new StringBuilder(text);
        // Up to the next error's echo of its source line, which a caret line follows.
        for (int j = i + 1; j < lines.length && lines[j].startsWith(" ")
            && !lines[j].isBlank() && !isCaret(lines, j + 1); j++) {
          error.append(' ').append(lines[j].strip().replaceAll("\\s+", " "));
        }
        return error.toString();
      }
      first = first == null ? text : first;
    }
    return first == null ? "the Scala cell failed without a message" : first;
  }

  private static boolean isCaret(String[] lines, int i) {
    return i < lines.length && lines[i].strip().startsWith("^");
  }

  /**
   * The session's class directory, when it has one the interpreter may use; null when it has
   * none (executors then cannot load the cells' classes, and closures fail in tasks).
   */
  private Path classDirectory(Notebook notebook) throws IOException {
    if (!spark.conf().contains(CLASSES_KEY)) {
      return null;
    }
    Path classes = Path.of(spark.conf().get(CLASSES_KEY));
    Files.createDirectories(classes);
    try (Stream<Path> files = Files.list(classes)) {
      if (files.findAny().isPresent()) {
        throw new NotebookException("notebook " + notebook.source() + ": the Spark session's "
            + CLASSES_KEY + " " + classes + " already holds classes of other Scala cells; run "
            + "each notebook in a new Spark session with an empty directory there (two "
            + "notebooks' cells compile to the same class names)");
      }
    }
    return classes;
  }

  private static double since(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  /** Deletes {@code dir} and everything in it; null does nothing. */
  static void delete(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
    }
  }
}
