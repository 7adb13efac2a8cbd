package io.lakeann.core.format;

/**
 * The section types of format versions 1 and 2, with their on-disk codes and element sizes. Codes never
 * change meaning; a reader skips (and a rewrite preserves) codes it does not know.
 */
public enum SectionType {
  CONFIG(1, 1),
  ROTATION_SIGNS(2, Float.BYTES),
  CENTROIDS(3, Float.BYTES),
  ROTATED_CENTROIDS(4, Float.BYTES),
  LIST_STARTS(5, Integer.BYTES),
  IDS(6, Long.BYTES),
  ROWS(7, Integer.BYTES),
  SIGN_CODES(8, Long.BYTES),
  FACTORS(9, Float.BYTES),
  EXTENDED_PLANES(10, Long.BYTES),
  EXTENDED_FACTORS(11, Float.BYTES),
  ORIGINALS(12, Float.BYTES),
  DELETION_MASK(13, Long.BYTES),
  /** Format version 2 on. */
  CALIBRATION(14, 1);

  private final int code;
  private final int elementBytes;

  SectionType(int code, int elementBytes) {
    this.code = code;
    this.elementBytes = elementBytes;
  }

  public int code() {
    return code;
  }

  /** Bytes of one element: the section length must be a multiple. */
  public int elementBytes() {
    return elementBytes;
  }

  /** The type with {@code code}, or null when this reader does not know it. */
  public static SectionType byCode(int code) {
    for (SectionType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }

  /** Lower-case name for messages, e.g. "sign_codes". */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
