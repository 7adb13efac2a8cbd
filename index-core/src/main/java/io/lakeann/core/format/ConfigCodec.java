package io.lakeann.core.format;

import io.lakeann.core.IndexConfig;
import io.lakeann.core.InvalidRequestException;
import io.lakeann.core.Metric;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The CONFIG section: the build config in {@link #LENGTH} bytes, little-endian: metric code (u32),
 * nlist, nprobe, exBits (u32 each), epsilon (f32), storeOriginals (u8), three zero bytes, seed
 * (u64), k-means iterations and training points per list (u32 each). Threads are not stored.
 */
public final class ConfigCodec {
  public static final int LENGTH = 40;

  private ConfigCodec() {}

  /** The {@link #LENGTH} bytes of {@code c}; equal configs give equal bytes. */
  public static byte[] encode(IndexConfig c) {
    return ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN)
        .putInt(c.metric().code()).putInt(c.nlist()).putInt(c.nprobe())
        .putInt(c.exBits()).putFloat(c.epsilon()).put((byte) (c.storeOriginals() ? 1 : 0))
        .put(new byte[3]).putLong(c.seed()).putInt(c.kmeansIterations())
        .putInt(c.trainingPointsPerList()).array();
  }

  /**
   * The config encoded in {@code bytes}.
   *
   * @throws InvalidRequestException naming what is wrong, when the bytes are not a valid config
   */
  public static IndexConfig decode(byte[] bytes) {
    InvalidRequestException.check(bytes.length == LENGTH, "%s bytes, expected %s",
        bytes.length, LENGTH);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    Metric metric = Metric.ofCode(b.getInt(0));
    InvalidRequestException.check(metric != null, "metric code %s", b.getInt(0));
    int originals = b.get(20);
    InvalidRequestException.check((originals == 0 || originals == 1) && b.get(21) == 0
        && b.get(22) == 0 && b.get(23) == 0, "bad flag bytes");
    return IndexConfig.builder()
        .metric(metric)
        .nlist(b.getInt(4)).nprobe(b.getInt(8)).exBits(b.getInt(12)).epsilon(b.getFloat(16))
        .storeOriginals(originals == 1).seed(b.getLong(24)).kmeansIterations(b.getInt(32))
        .trainingPointsPerList(b.getInt(36)).build();
  }
}
