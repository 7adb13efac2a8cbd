package io.lakeann.notebooks;

import io.lakeann.core.LakeAnnException;

/**
 * A notebook that cannot be read or parsed, or a cell that failed: the message names the
 * notebook, the cell (number and first line) where there is one, and what went wrong.
 */
public final class NotebookException extends LakeAnnException {
  private static final long serialVersionUID = 1L;

  private final transient NotebookRun run;

  NotebookException(String message) {
    this(message, (NotebookRun) null);
  }

  NotebookException(String message, NotebookRun run) {
    super(message);
    this.run = run;
  }

  NotebookException(String message, Throwable cause) {
    super(message, cause);
    this.run = null;
  }

  /** The results of the cells up to the one that failed; null when no cell ran. */
  public NotebookRun run() {
    return run;
  }
}
