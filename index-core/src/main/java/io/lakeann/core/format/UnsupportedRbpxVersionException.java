package io.lakeann.core.format;

import java.nio.file.Path;

/** An rbpx file written by a newer format version than this reader understands. */
public class UnsupportedRbpxVersionException extends InvalidRbpxException {
  private static final long serialVersionUID = 1L;

  private final int version;

  public UnsupportedRbpxVersionException(Path file, int version, int supported) {
    super(file, "format version " + version + " is newer than this reader (" + supported
        + "); upgrade lakeann or rebuild the index");
    this.version = version;
  }

  /** The format version the file declares. */
  public int version() {
    return version;
  }
}
