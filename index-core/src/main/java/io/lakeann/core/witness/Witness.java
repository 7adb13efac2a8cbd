package io.lakeann.core.witness;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A 32-byte BLAKE3 digest that identifies what an index (or one of its parts) claims to be. Equal
 * witnesses mean interchangeable indexes, so a witness is the key of the index cache. Immutable;
 * compares by value.
 */
public final class Witness implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** Bytes in a witness. */
  public static final int LENGTH = 32;

  private final byte[] bytes;

  private Witness(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Wraps a copy of {@code bytes}, which must be {@link #LENGTH} long. */
  public static Witness of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException(
          "A witness has " + LENGTH + " bytes, not " + bytes.length);
    }
    return new Witness(bytes.clone());
  }

  /** Parses the 64 hex digits of {@link #toString()}. */
  public static Witness parse(String hex) {
    if (hex.length() != 2 * LENGTH) {
      throw new IllegalArgumentException("A witness is " + 2 * LENGTH + " hex digits, not '"
          + hex + "'");
    }
    return new Witness(HexFormat.of().parseHex(hex));
  }

  /** A copy of the digest. */
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Witness && Arrays.equals(bytes, ((Witness) o).bytes);
  }

  @Override
  public int hashCode() {
    // The digest is uniformly distributed: its first bytes make a good hash.
    return (bytes[0] & 0xff) | (bytes[1] & 0xff) << 8 | (bytes[2] & 0xff) << 16
        | (bytes[3] & 0xff) << 24;
  }

  /** The digest as 64 lower-case hex digits. */
  @Override
  public String toString() {
    return HexFormat.of().formatHex(bytes);
  }
}
