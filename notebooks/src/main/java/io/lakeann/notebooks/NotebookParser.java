package io.lakeann.notebooks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the Databricks source format, the format a workspace exports as "Source file" and
 * {@code databricks workspace export --format SOURCE} writes:
 * <ul>
 *   <li>a first line {@code -- Databricks notebook source} (SQL), {@code // Databricks notebook
 *       source} (Scala) or {@code # Databricks notebook source} (Python, or R for {@code .r}
 *       files), whose comment marker is the notebook's for every line below;
 *   <li>cells separated by lines {@code MARKER COMMAND ----------};
 *   <li>a cell in another language than the notebook's written as {@code MARKER MAGIC} lines, the
 *       first of them starting with the magic command ({@code %md}, {@code %sql}, {@code %scala},
 *       {@code %python}, ...);
 *   <li>an optional title line {@code MARKER DBTITLE 1,Title} at the top of a cell.
 * </ul>
 * Blank lines around a cell's text are dropped, as the editor does. Stateless.
 */
public final class NotebookParser {
  private static final String HEADER = "Databricks notebook source";
  private static final String SEPARATOR = "COMMAND ----------";

  private NotebookParser() {}

  /** Parses the notebook file at {@code path}; its name is the file name without extension. */
  public static Notebook parse(Path path) {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new NotebookException("notebook " + path + " cannot be read (" + e + "); give the "
          + "path of a Databricks source notebook (.sql, .scala or .py)", e);
    }
    String file = path.getFileName().toString();
    int dot = file.lastIndexOf('.');
    String name = dot > 0 ? file.substring(0, dot) : file;
    String extension = dot > 0 ? file.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    return parse(name, path.toString(), extension, text);
  }

  /**
   * Parses {@code text}.
   *
   * @param name the notebook's name
   * @param source where it came from, for messages
   * @param extension the file extension, lower case ({@code r} tells an R notebook from Python)
   */
  public static Notebook parse(String name, String source, String extension, String text) {
    List<String> lines = List.of(text.replace("\r\n", "\n").replace('\r', '\n')
        .replace("\uFEFF", "").split("\n", -1));
    int first = 0;
    while (first < lines.size() && lines.get(first).isBlank()) {
      first++;
    }
    String header = first < lines.size() ? lines.get(first).strip() : "";
    String marker = marker(header);
    if (marker == null) {
      throw new NotebookException("notebook " + source + " is not in the Databricks source "
          + "format: its first line is '" + abbreviate(header) + "', expected '-- " + HEADER
          + "' (SQL), '// " + HEADER + "' (Scala) or '# " + HEADER + "' (Python); export the "
          + "notebook as a source file");
    }
    CellKind language = switch (marker) {
      case "--" -> CellKind.SQL;
      case "//" -> CellKind.SCALA;
      default -> extension.equals("r") ? CellKind.R : CellKind.PYTHON;
    };
    List<Cell> cells = new ArrayList<>();
    List<String> cell = new ArrayList<>();
    for (String line : lines.subList(first + 1, lines.size())) {
      if (line.strip().equals(marker + " " + SEPARATOR)) {
        cells.add(cell(cells.size() + 1, cell, marker, language));
        cell.clear();
      } else {
        cell.add(line);
      }
    }
    cells.add(cell(cells.size() + 1, cell, marker, language));
    return new Notebook(name, source, language, cells);
  }

  private static String marker(String header) {
    for (String marker : new String[] {"--", "//", "#"}) {
      if (header.equals(marker + " " + HEADER)) {
        return marker;
      }
    }
    return null;
  }

  private static Cell cell(int number, List<String> raw, String marker, CellKind language) {
    List<String> lines = trimmed(raw);
    String title = null;
    String titlePrefix = marker + " DBTITLE ";
    if (!lines.isEmpty() && lines.get(0).startsWith(titlePrefix)) {
      String spec = lines.get(0).substring(titlePrefix.length());
      int comma = spec.indexOf(',');
      title = (comma >= 0 ? spec.substring(comma + 1) : spec).strip();
      lines = trimmed(lines.subList(1, lines.size()));
    }
    String magicPrefix = marker + " MAGIC";
    boolean magic = !lines.isEmpty();
    for (String line : lines) {
      magic &= line.isBlank() || line.equals(magicPrefix) || line.startsWith(magicPrefix + " ");
    }
    if (!magic) {
      return new Cell(number, language, title, String.join("\n", lines), null);
    }
    List<String> payload = new ArrayList<>();
    for (String line : lines) {
      payload.add(line.length() <= magicPrefix.length() ? ""
          : line.substring(magicPrefix.length() + 1));
    }
    payload = trimmed(payload);
    String head = payload.isEmpty() ? "" : payload.get(0).strip();
    if (!head.startsWith("%")) {
      return new Cell(number, language, title, String.join("\n", payload), null);
    }
    int space = head.indexOf(' ');
    String word = space < 0 ? head : head.substring(0, space);
    String rest = space < 0 ? "" : head.substring(space + 1);
    List<String> body = new ArrayList<>();
    if (!rest.isBlank()) {
      body.add(rest);
    }
    body.addAll(payload.subList(1, payload.size()));
    CellKind kind = CellKind.ofMagic(word);
    return new Cell(number, kind, title, String.join("\n", trimmed(body)), word);
  }

  private static List<String> trimmed(List<String> lines) {
    int from = 0;
    int to = lines.size();
    while (from < to && lines.get(from).isBlank()) {
      from++;
    }
    while (to > from && lines.get(to - 1).isBlank()) {
      to--;
    }
    List<String> out = new ArrayList<>();
    for (String line : lines.subList(from, to)) {
      out.add(line.stripTrailing());
    }
    return out;
  }

  private static String abbreviate(String line) {
    return line.length() <= 60 ? line : line.substring(0, 57) + "...";
  }
}
