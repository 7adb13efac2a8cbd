package io.lakeann.core.format;

import io.lakeann.core.IndexConfig;
import io.lakeann.core.InvalidRequestException;
import io.lakeann.core.Metric;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * The CONFIG section: the build config in {@link #LENGTH} bytes, little-endian: metric code (u32),
 * nlist, nprobe, exBits (u32 each), epsilon (f32), storeOriginals (u8), three zero bytes, seed
 * (u64), k-means iterations and training points per list (u32 each). Threads are not stored.
 */
final class ConfigCodec {
  static final int LENGTH = 40;

  private ConfigCodec() {}

  static byte[] encode(IndexConfig c) {
    return ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN)
        .putInt(c.metric().code()).putInt(c.nlist()).putInt(c.nprobe())
        .putInt(c.exBits()).putFloat(c.epsilon()).put((byte) (c.storeOriginals() ? 1 : 0))
        .put(new byte[3]).putLong(c.seed()).putInt(c.kmeansIterations())
        .putInt(c.trainingPointsPerList()).array();
  }

  static IndexConfig decode(Path file, byte[] bytes) {
    RbpxHeader.require(file, bytes.length == LENGTH, "section config: %s bytes, expected %s",
        bytes.length, LENGTH);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    Metric metric = Metric.ofCode(b.getInt(0));
    RbpxHeader.require(file, metric != null, "section config: metric code %s", b.getInt(0));
    int originals = b.get(20);
    RbpxHeader.require(file, (originals == 0 || originals == 1) && b.get(21) == 0
        && b.get(22) == 0 && b.get(23) == 0, "section config: bad flag bytes");
    try {
      return IndexConfig.builder()
          .metric(metric)
          .nlist(b.getInt(4)).nprobe(b.getInt(8)).exBits(b.getInt(12)).epsilon(b.getFloat(16))
          .storeOriginals(originals == 1).seed(b.getLong(24)).kmeansIterations(b.getInt(32))
          .trainingPointsPerList(b.getInt(36)).build();
    } catch (InvalidRequestException e) {
      throw new CorruptBundleException(file, "section config: " + e.getMessage(), e);
    }
  }
}
