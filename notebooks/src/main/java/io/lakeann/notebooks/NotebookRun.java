package io.lakeann.notebooks;

import java.nio.file.Path;
import java.util.List;

/**
 * A finished run of a notebook: every cell's result in order (up to and including the one that
 * failed, if one did) and the Markdown file it was written to.
 */
public record NotebookRun(Notebook notebook, List<CellResult> cells, Path output,
    double seconds) {
  public NotebookRun {
    cells = List.copyOf(cells);
  }

  /** The cells with the given status. */
  public List<CellResult> with(CellResult.Status status) {
    return cells.stream().filter(c -> c.status() == status).toList();
  }

  /** The cell that failed, or null when none did. */
  public CellResult failure() {
    List<CellResult> failed = with(CellResult.Status.FAILED);
    return failed.isEmpty() ? null : failed.get(0);
  }
}
