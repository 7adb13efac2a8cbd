package io.lakeann.core.witness;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.digest.Blake3;

/**
 * A BLAKE3 hasher with lakeann's framing rules, the one way every witness-related digest (content
 * fingerprint, config hash, rbpx section hashes, rbpx file and bundle witnesses) is fed:
 * a digest starts with a length-framed domain tag naming what it hashes, every variable-length
 * field is preceded by its length, and integers are little-endian. So no two different sequences
 * of fields hash the same bytes, and no digest can be mistaken for another kind. Not thread-safe.
 */
public final class Framing {
  private final Blake3 hasher = Blake3.initHash();
  private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

  /** Starts a digest of the kind named by {@code domain}, one of {@link DomainTags}. */
  public Framing(String domain) {
    bytes(domain.getBytes(StandardCharsets.UTF_8));
  }

  public Framing u8(int value) {
    hasher.update(new byte[] {(byte) value});
    return this;
  }

  public Framing u32(int value) {
    scratch.clear();
    scratch.putInt(value);
    hasher.update(scratch.array(), 0, 4);
    return this;
  }

  public Framing u64(long value) {
    scratch.clear();
    scratch.putLong(value);
    hasher.update(scratch.array(), 0, 8);
    return this;
  }

  /** A variable-length field: its length, then its bytes. */
  public Framing bytes(byte[] value) {
    u64(value.length);
    hasher.update(value);
    return this;
  }

  /** Raw bytes whose length the caller has already framed. */
  public Framing raw(byte[] value, int offset, int length) {
    hasher.update(value, offset, length);
    return this;
  }

  /** A digest already framed by its fixed length. */
  public Framing witness(Witness value) {
    hasher.update(value.bytes());
    return this;
  }

  public Witness finish() {
    byte[] out = new byte[Witness.LENGTH];
    hasher.doFinalize(out);
    return Witness.of(out);
  }
}
