package io.lakeann.notebooks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes an executed notebook as one Markdown file, {@code NAME.md}, readable on GitHub: Markdown
 * cells as they are; each code cell as a fenced block headed by its number, language, title and
 * time, followed by its output (printed text, result tables, plots as {@code NAME-cellN-K.png}
 * beside the file, HTML); skipped cells with their reason; the failed cell with its error.
 * Stateless.
 */
final class MarkdownWriter {
  private MarkdownWriter() {}

  /** Writes the file (and its plots) under {@code dir}, created if missing; returns its path. */
  static Path write(Notebook notebook, List<CellResult> results, Path dir) {
    try {
      Files.createDirectories(dir);
      StringBuilder out = new StringBuilder();
      out.append("<!-- Written by the lakeann notebook runner (bin/lakeann notebook ")
          .append(notebook.source()).append("); edit the notebook, not this file. -->\n\n");
      out.append("> Executed notebook [`").append(notebook.name()).append("`](")
          .append(link(dir, notebook.source())).append(")").append(summary(results))
          .append("\n\n");
      for (CellResult result : results) {
        cell(out, notebook, result, dir);
      }
      Path file = dir.resolve(notebook.name() + ".md");
      Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the executed notebook " + notebook.name()
          + " under " + dir + ": " + e.getMessage() + "; give a writable output directory", e);
    }
  }

  private static String summary(List<CellResult> results) {
    double seconds = results.stream().mapToDouble(CellResult::seconds).sum();
    long ran = results.stream().filter(r -> r.status() == CellResult.Status.RAN).count();
    long skipped = results.stream().filter(r -> r.status() == CellResult.Status.SKIPPED).count();
    boolean failed = results.stream().anyMatch(r -> r.status() == CellResult.Status.FAILED);
    return String.format(Locale.ROOT, ": %d cells run%s%s in %.1f s.", ran,
        skipped > 0 ? ", " + skipped + " skipped" : "", failed ? ", then one failed" : "",
        seconds);
  }

  private static String link(Path dir, String source) {
    Path path = Path.of(source).toAbsolutePath().normalize();
    return dir.toAbsolutePath().normalize().relativize(path).toString().replace('\\', '/');
  }

  private static void cell(StringBuilder out, Notebook notebook, CellResult result, Path dir)
      throws IOException {
    Cell cell = result.cell();
    if (cell.kind() == CellKind.MARKDOWN) {
      if (!cell.empty()) {
        out.append(cell.source()).append("\n\n");
      }
      return;
    }
    if (cell.empty() && result.status() == CellResult.Status.RAN) {
      return;
    }
    out.append("<sub>Cmd ").append(cell.number()).append(" · ")
        .append(cell.magic() != null ? cell.magic() : cell.kind().label());
    if (cell.title() != null) {
      out.append(" · **").append(cell.title()).append("**");
    }
    if (result.status() == CellResult.Status.RAN) {
      out.append(String.format(Locale.ROOT, " · %.2f s", result.seconds()));
    }
    out.append("</sub>\n\n");
    fenced(out, cell.kind() == CellKind.UNKNOWN ? "" : cell.kind().label(), cell.source());
    int image = 0;
    for (CellOutput output : result.outputs()) {
      if (output instanceof CellOutput.Text text) {
        fenced(out, "text", text.text());
      } else if (output instanceof CellOutput.Table table) {
        table(out, table);
      } else if (output instanceof CellOutput.Html html) {
        out.append(html.html().strip()).append("\n\n");
      } else if (output instanceof CellOutput.Image plot) {
        String file = notebook.name() + "-cell" + cell.number() + "-" + (++image) + ".png";
        Files.write(dir.resolve(file), plot.png());
        out.append("![").append(plot.description()).append("](").append(file).append(")\n\n");
      }
    }
    if (result.status() == CellResult.Status.SKIPPED) {
      out.append("> Skipped: ").append(result.detail()).append(".\n\n");
    } else if (result.status() == CellResult.Status.FAILED) {
      out.append("> **Failed:** ").append(result.detail().replace("\n", " ")).append("\n\n");
    }
  }

  private static void fenced(StringBuilder out, String language, String text) {
    String fence = "```";
    while (text.contains(fence)) {
      fence += "`";
    }
    out.append(fence).append(language).append('\n').append(text.stripTrailing()).append('\n')
        .append(fence).append("\n\n");
  }

  private static void table(StringBuilder out, CellOutput.Table table) {
    if (table.columns().isEmpty()) {
      return;
    }
    row(out, table.columns());
    out.append('|');
    for (int c = 0; c < table.columns().size(); c++) {
      out.append("---|");
    }
    out.append('\n');
    for (List<String> row : table.rows()) {
      row(out, row);
    }
    if (table.rows().isEmpty()) {
      out.append("\n*(no rows)*\n");
    } else if (table.more()) {
      out.append("\n*(the first ").append(table.rows().size()).append(" rows)*\n");
    }
    out.append('\n');
  }

  private static void row(StringBuilder out, List<String> values) {
    out.append('|');
    for (String value : values) {
      out.append(' ').append(value.replace("|", "\\|").replace("\n", "<br>")).append(" |");
    }
    out.append('\n');
  }
}
