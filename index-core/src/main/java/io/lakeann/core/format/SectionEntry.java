package io.lakeann.core.format;

import io.lakeann.core.witness.Witness;

/**
 * One entry of an rbpx section directory: the section's type code, where it lies in the file,
 * and its hash (see {@link SectionHash}).
 */
public record SectionEntry(int code, long offset, long length, Witness hash) {

  /** The known type of this section, or null for a code this reader does not know. */
  public SectionType type() {
    return SectionType.byCode(code);
  }

  /** The type's label, or {@code "unknown(code)"}. */
  public String label() {
    SectionType t = type();
    return t == null ? "unknown(" + code + ")" : t.label();
  }

  /** One past the last byte of the section (checked: never overflows for a valid entry). */
  public long end() {
    return offset + length;
  }
}
