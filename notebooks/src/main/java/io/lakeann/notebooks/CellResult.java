package io.lakeann.notebooks;

import java.util.List;

/**
 * What became of one cell.
 *
 * @param cell the cell
 * @param status whether it ran, was skipped, or failed
 * @param outputs what it showed, in order
 * @param detail why it was skipped, or its error; null when it ran
 * @param seconds how long it took
 */
public record CellResult(Cell cell, Status status, List<CellOutput> outputs, String detail,
    double seconds) {
  /** Ran (a Markdown cell counts as run: it was shown), skipped with a reason, or failed. */
  public enum Status { RAN, SKIPPED, FAILED }

  public CellResult {
    outputs = List.copyOf(outputs);
  }
}
