package io.lakeann.core.format;

import java.nio.file.Path;

/** An rbpx file whose bytes are damaged: truncated, extended, a hash mismatch, a bad bound. */
public class CorruptRbpxException extends InvalidRbpxException {
  private static final long serialVersionUID = 1L;

  public CorruptRbpxException(Path file, String reason) {
    super(file, reason);
  }

  public CorruptRbpxException(Path file, String reason, Throwable cause) {
    super(file, reason, cause);
  }
}
