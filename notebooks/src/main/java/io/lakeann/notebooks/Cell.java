package io.lakeann.notebooks;

/**
 * One cell of a notebook.
 *
 * @param number 1-based, as the notebook's editor counts cells ("Cmd 3")
 * @param kind what the cell holds
 * @param title its {@code DBTITLE}, or null
 * @param source the cell's text without the {@code MAGIC} prefixes, the magic word and the title
 * @param magic the magic word as written ({@code %sql}, {@code %foo}), or null for a cell in the
 *     notebook's own language
 */
public record Cell(int number, CellKind kind, String title, String source, String magic) {

  /** The first non-blank line of the source, trimmed, for messages; empty for an empty cell. */
  public String firstLine() {
    for (String line : source.split("\n", -1)) {
      if (!line.isBlank()) {
        return line.strip();
      }
    }
    return "";
  }

  /** Whether the cell has no source at all. */
  public boolean empty() {
    return source.isBlank();
  }
}
