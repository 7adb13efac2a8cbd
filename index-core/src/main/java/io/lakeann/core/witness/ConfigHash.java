package io.lakeann.core.witness;

import io.lakeann.core.IndexConfig;

/**
 * The hash of everything in an {@link IndexConfig} that can change an index: every field but
 * {@code threads}, framed in a fixed order. Two configs with the same hash build the same index
 * from the same rows. The only place the config hash is computed.
 */
public final class ConfigHash {
  private ConfigHash() {}

  public static Witness of(IndexConfig config) {
    return new Framing(DomainTags.INDEX_CONFIG)
        .u32(config.metric().code())
        .u32(config.nlist())
        .u32(config.nprobe())
        .u32(config.exBits())
        .u32(Float.floatToRawIntBits(config.epsilon()))
        .u8(config.storeOriginals() ? 1 : 0)
        .u64(config.seed())
        .u32(config.kmeansIterations())
        .u32(config.trainingPointsPerList())
        .finish();
  }
}
