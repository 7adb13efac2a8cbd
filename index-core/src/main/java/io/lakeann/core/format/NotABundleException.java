package io.lakeann.core.format;

import java.nio.file.Path;

/** A file that is not an rbpx bundle at all: its first bytes are not the rbpx magic. */
public class NotABundleException extends InvalidBundleException {
  private static final long serialVersionUID = 1L;

  public NotABundleException(Path file, String reason) {
    super(file, reason);
  }
}
