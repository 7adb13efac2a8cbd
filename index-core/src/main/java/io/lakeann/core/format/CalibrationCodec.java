package io.lakeann.core.format;

import io.lakeann.core.Calibration;
import io.lakeann.core.InvalidRequestException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The CALIBRATION section (format version 2): sample queries (u32), k (u32), the number of
 * targets T (u32, 1..{@link Calibration#MAX_TARGETS}), then T times: target, beta, mean lists
 * probed and sample recall (f32 each), little-endian. Writer and reader both call this class.
 */
public final class CalibrationCodec {
  /** Bytes before the targets. */
  static final int FIXED = 12;
  /** Bytes per target. */
  static final int PER_TARGET = 16;
  /** Largest valid section. */
  static final long MAX_LENGTH = FIXED + (long) PER_TARGET * Calibration.MAX_TARGETS;

  private CalibrationCodec() {}

  /** The section bytes of {@code c}. */
  public static byte[] encode(Calibration c) {
    ByteBuffer b = ByteBuffer.allocate(FIXED + PER_TARGET * c.size())
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt(c.sampleQueries()).putInt(c.k()).putInt(c.size());
    for (int i = 0; i < c.size(); i++) {
      b.putFloat(c.target(i)).putFloat(c.beta(i)).putFloat(c.meanLists(i))
          .putFloat(c.sampleRecall(i));
    }
    return b.array();
  }

  /** True when a section of {@code length} bytes can hold a calibration. */
  static boolean validLength(long length) {
    return length >= FIXED + PER_TARGET && length <= MAX_LENGTH
        && (length - FIXED) % PER_TARGET == 0;
  }

  /**
   * The calibration in {@code bytes} of an index with {@code nlist} lists.
   *
   * @throws InvalidRequestException naming what is wrong, when the bytes are not valid
   */
  public static Calibration decode(byte[] bytes, int nlist) {
    InvalidRequestException.check(validLength(bytes.length), "%s bytes is not a calibration",
        bytes.length);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int queries = b.getInt();
    int k = b.getInt();
    int count = b.getInt();
    InvalidRequestException.check(count == (bytes.length - FIXED) / PER_TARGET,
        "%s targets in %s bytes", Integer.toUnsignedString(count), bytes.length);
    float[] targets = new float[count];
    float[] betas = new float[count];
    float[] lists = new float[count];
    float[] recall = new float[count];
    for (int i = 0; i < count; i++) {
      targets[i] = b.getFloat();
      betas[i] = b.getFloat();
      lists[i] = b.getFloat();
      recall[i] = b.getFloat();
    }
    return Calibration.of(queries, k, targets, betas, lists, recall, nlist);
  }
}
