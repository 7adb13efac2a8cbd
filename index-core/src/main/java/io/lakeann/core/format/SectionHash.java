package io.lakeann.core.format;

import io.lakeann.core.witness.DomainTags;
import io.lakeann.core.witness.Framing;
import io.lakeann.core.witness.Witness;
import org.apache.commons.codec.digest.Blake3;

/**
 * The hash of one section, computed the same way by writer and reader: the section is cut into
 * chunks of {@link #CHUNK} bytes (the last may be shorter), each chunk is hashed with BLAKE3 on its
 * own (so chunks can be hashed in parallel), and the section hash is BLAKE3 over the domain tag
 * {@link DomainTags#RBPX_SECTION} (length-framed), the type code (u32), the section length
 * (u64), the chunk size (u32) and the chunk digests in order, integers little-endian.
 */
public final class SectionHash {
  /** Bytes per independently hashed chunk. */
  public static final int CHUNK = 8 << 20;

  private SectionHash() {}

  /** Number of chunks of a section of {@code length} bytes. */
  public static int chunks(long length) {
    return (int) ((length + CHUNK - 1) / CHUNK);
  }

  /** BLAKE3 of {@code bytes[0, length)}, one chunk. */
  public static byte[] chunkDigest(byte[] bytes, int length) {
    byte[] out = new byte[Witness.LENGTH];
    Blake3.initHash().update(bytes, 0, length).doFinalize(out);
    return out;
  }

  /** The section hash from its chunk digests. */
  public static Witness combine(int code, long length, byte[][] chunkDigests) {
    Framing hash = new Framing(DomainTags.RBPX_SECTION).u32(code).u64(length).u32(CHUNK);
    for (byte[] digest : chunkDigests) {
      hash.raw(digest, 0, digest.length);
    }
    return hash.finish();
  }

}
