package io.lakeann.core.format;

import io.lakeann.core.LakeAnnException;
import java.nio.file.Path;

/**
 * Base of every refusal of an rbpx file: the message names the file and the reason. A caller
 * that gets one rebuilds the index or scans exactly; it never uses the file.
 */
public class InvalidRbpxException extends LakeAnnException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  public InvalidRbpxException(Path file, String reason) {
    super(file + ": " + reason);
    this.file = file;
  }

  public InvalidRbpxException(Path file, String reason, Throwable cause) {
    super(file + ": " + reason, cause);
    this.file = file;
  }

  /** The refused file. */
  public Path file() {
    return file;
  }
}
