package io.lakeann.core.format;

import java.nio.file.Path;

/** A file that is not an rbpx file at all: its first bytes are not the rbpx magic. */
public class NotAnRbpxFileException extends InvalidRbpxException {
  private static final long serialVersionUID = 1L;

  public NotAnRbpxFileException(Path file, String reason) {
    super(file, reason);
  }
}
