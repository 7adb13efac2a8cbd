package io.lakeann.notebooks;

import io.lakeann.spark.cli.Command;
import io.lakeann.spark.cli.Flags;
import io.lakeann.spark.cli.Subcommand;
import io.lakeann.spark.cli.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * {@code bin/lakeann notebook FILE [--warehouse DIR] [--output DIR]}: runs a Databricks source
 * notebook on the embedded default (local Spark; a local Iceberg warehouse, a fresh temporary one
 * unless {@code --warehouse DIR} is given) with {@link NotebookRunner}, writes the executed
 * notebook to DIR (default {@code docs/notebooks}), and prints one JSON summary line. Found by
 * the command line through {@link Subcommand}. Stateless.
 */
public final class NotebookCommand implements Subcommand {
  static final String NAME = "notebook";
  static final String DEFAULT_OUTPUT = "docs/notebooks";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "run a Databricks source notebook cell by cell; writes it with its outputs";
  }

  @Override
  public String usage() {
    return String.join("\n",
        "usage: lakeann [OPTIONS] notebook FILE [--warehouse DIR] [--output DIR]",
        "",
        "Runs FILE, a notebook in the Databricks source format (.sql, .scala or .py: cells",
        "separated by 'COMMAND ----------', %md / %sql / %scala magic cells, DBTITLE titles),",
        "cell by cell in one local Spark session with lakeann's SQL: SQL cells through",
        "spark.sql, Scala cells through the Scala 2.13 interpreter with spark, sc, display(...)",
        "and displayHTML(...) bound. Python, R, %sh, %fs, %run and %pip cells are skipped and",
        "reported. The first failing cell stops the run (exit 1) with the cell's number, first",
        "line and error. The executed notebook, outputs and plots included, is written to",
        "DIR/NAME.md (default DIR: " + DEFAULT_OUTPUT + "). Without --warehouse the tables live",
        "in a temporary warehouse, removed at the end. Summary line:",
        "  {\"command\":\"notebook\",\"notebook\":...,\"cells\":N,\"cells_run\":N,"
            + "\"cells_skipped\":N,\"skipped\":[...],\"output\":...,\"seconds\":S}",
        "",
        "example",
        "  bin/lakeann notebook notebooks/01-quickstart.sql",
        "  bin/lakeann --warehouse wh notebook my-notebook.scala --output out");
  }

  @Override
  public Set<String> flags() {
    return Set.of("output");
  }

  @Override
  public Command parse(Flags flags) {
    if (flags.positional().size() != 1) {
      throw new UsageException("takes one notebook file, got %d (%s); give the path of a "
          + "Databricks source notebook", flags.positional().size(),
          String.join(" ", flags.positional()));
    }
    Path file = Path.of(flags.positional().get(0));
    if (!Files.isRegularFile(file)) {
      throw new UsageException("notebook file %s does not exist; give the path of a Databricks "
          + "source notebook (.sql, .scala or .py)", file);
    }
    Notebook notebook;
    try {
      notebook = NotebookParser.parse(file);
    } catch (NotebookException e) {
      throw new UsageException("%s", e.getMessage());
    }
    String output = flags.optional("output");
    return new Run(notebook, Path.of(output == null ? DEFAULT_OUTPUT : output));
  }

  /** One notebook to run; the temporary directories it makes are removed when the JVM exits. */
  private static final class Run implements Command {
    private final Notebook notebook;
    private final Path output;
    private final List<Path> temporary = new ArrayList<>();

    Run(Notebook notebook, Path output) {
      this.notebook = notebook;
      this.output = output;
    }

    @Override
    public String defaultWarehouse() {
      return temporaryDirectory("lakeann-notebook-warehouse").toString();
    }

    @Override
    public Map<String, String> sessionSettings() {
      return NotebookRunner.sessionSettings(temporaryDirectory("lakeann-notebook-classes"));
    }

    @Override
    public Map<String, Object> run(SparkSession spark, PrintStream out, PrintStream err) {
      NotebookRun run = new NotebookRunner(spark).run(notebook, output);
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("command", NAME);
      summary.put("notebook", notebook.source());
      summary.put("cells", notebook.cells().size());
      summary.put("cells_run", run.with(CellResult.Status.RAN).size());
      List<CellResult> skipped = run.with(CellResult.Status.SKIPPED);
      summary.put("cells_skipped", skipped.size());
      List<Map<String, Object>> reasons = new ArrayList<>();
      for (CellResult cell : skipped) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("cell", cell.cell().number());
        entry.put("kind", cell.cell().magic() != null ? cell.cell().magic()
            : cell.cell().kind().label());
        entry.put("reason", cell.detail());
        reasons.add(entry);
      }
      summary.put("skipped", reasons);
      summary.put("output", run.output().toAbsolutePath().normalize().toString());
      return summary;
    }

    private synchronized Path temporaryDirectory(String prefix) {
      try {
        Path dir = Files.createTempDirectory(prefix);
        if (temporary.isEmpty()) {
          Runtime.getRuntime().addShutdownHook(new Thread(() -> temporary.forEach(
              NotebookRunner::delete), "lakeann-notebook-cleanup"));
        }
        temporary.add(dir);
        return dir;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a temporary directory: " + e.getMessage(),
            e);
      }
    }
  }
}
