package io.lakeann.core.witness;

import io.lakeann.core.VectorSet;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The content fingerprint of a set of rows: BLAKE3 over every row's id and vector bytes, in scan
 * order. Each row is framed (a row tag, the id, the dimension, then the float32 bytes, little-
 * endian) and the row count closes the digest, so moving bytes between the id and the vector, or
 * between rows, or appending a row, changes it. Floats are hashed by their raw bits: -0.0 and 0.0
 * differ, as they do in an index. This class is the only place that computes it: the index
 * builder calls it, and rbpx files carry its result. Not thread-safe; one per scan.
 */
public final class ContentFingerprint {
  private static final int ROW_TAG = 0x52; // 'R'

  private final Framing digest = new Framing(DomainTags.CONTENT_FINGERPRINT);
  private final int dim;
  private final ByteBuffer row;
  private long rows;

  /** A fingerprint of rows of {@code dim} floats. */
  public ContentFingerprint(int dim) {
    this.dim = dim;
    this.row = ByteBuffer.allocate(Math.multiplyExact(dim, Float.BYTES))
        .order(ByteOrder.LITTLE_ENDIAN);
    digest.u32(dim);
  }

  /** The fingerprint of all rows of {@code vectors}, in row order. */
  public static Witness of(VectorSet vectors) {
    ContentFingerprint fingerprint = new ContentFingerprint(vectors.dim());
    float[] data = vectors.data();
    for (int r = 0; r < vectors.size(); r++) {
      fingerprint.add(vectors.id(r), data, r * vectors.dim());
    }
    return fingerprint.finish();
  }

  /** Adds the next row: {@code id} and {@code data[offset, offset + dim)}. */
  public void add(long id, float[] data, int offset) {
    row.clear();
    for (int i = 0; i < dim; i++) {
      row.putInt(Float.floatToRawIntBits(data[offset + i]));
    }
    digest.u8(ROW_TAG).u64(id).u32(dim).raw(row.array(), 0, row.position());
    rows++;
  }

  /** Closes the digest with the row count. No row may be added afterwards. */
  public Witness finish() {
    return digest.u64(rows).finish();
  }
}
