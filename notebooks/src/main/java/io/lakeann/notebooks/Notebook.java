package io.lakeann.notebooks;

import java.util.List;

/**
 * A parsed source notebook.
 *
 * @param name the file name without its extension, e.g. {@code 01-quickstart}
 * @param source where it was read from, for messages
 * @param language the notebook's own language: the kind of a cell without a magic command
 * @param cells in order
 */
public record Notebook(String name, String source, CellKind language, List<Cell> cells) {
  public Notebook {
    cells = List.copyOf(cells);
  }

  /** The first Markdown heading of the notebook, or its name when it has none. */
  public String title() {
    for (Cell cell : cells) {
      if (cell.kind() == CellKind.MARKDOWN) {
        for (String line : cell.source().split("\n")) {
          if (line.startsWith("# ")) {
            return line.substring(2).strip();
          }
        }
      }
    }
    return name;
  }
}
