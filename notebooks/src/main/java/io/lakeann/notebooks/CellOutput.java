package io.lakeann.notebooks;

import java.util.List;

/** One thing a cell showed: text it printed, a result table, a plot, or HTML. */
public sealed interface CellOutput {

  /** Text the cell printed (Scala's {@code println}, the interpreter's {@code res0: Int = 2}). */
  record Text(String text) implements CellOutput {}

  /**
   * A result table: its column names and its first rows, as display strings.
   *
   * @param more whether the result had rows beyond those shown
   */
  record Table(List<String> columns, List<List<String>> rows, boolean more)
      implements CellOutput {
    public Table {
      columns = List.copyOf(columns);
      rows = rows.stream().map(List::copyOf).toList();
    }
  }

  /** A plot, as PNG bytes, with the text that describes it. */
  record Image(byte[] png, String description) implements CellOutput {}

  /** HTML from {@code displayHTML}. */
  record Html(String html) implements CellOutput {}
}
