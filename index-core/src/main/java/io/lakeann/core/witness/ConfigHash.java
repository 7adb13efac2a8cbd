package io.lakeann.core.witness;

import io.lakeann.core.IndexConfig;
import io.lakeann.core.format.ConfigCodec;

/**
 * The hash of everything in an {@link IndexConfig} that can change an index: BLAKE3 over the
 * {@link DomainTags#INDEX_CONFIG} tag and the config's one canonical encoding,
 * {@link ConfigCodec#encode} (every field but {@code threads}), length-framed. So the rbpx
 * header, its CONFIG section and the bundle manifests all stand on the same bytes. Two configs
 * with the same hash build the same index from the same rows. The only place the config hash is
 * computed. Stateless.
 */
public final class ConfigHash {
  private ConfigHash() {}

  /** The config hash of {@code config}, over {@link ConfigCodec#encode}. */
  public static Witness of(IndexConfig config) {
    return new Framing(DomainTags.INDEX_CONFIG).bytes(ConfigCodec.encode(config)).finish();
  }

  /**
   * The config hash of rbpx format versions 1 and 2 only, kept so their files are still checked
   * (and a version 1 file is rewritten as it was): the fields framed one by one after the tag,
   * metric code, nlist, nprobe, extended bits, epsilon bits (u32 each), store-originals (u8),
   * seed (u64), k-means iterations and training points per list (u32 each). Nothing new is
   * hashed this way; use {@link #of}.
   */
  public static Witness legacyFields(IndexConfig config) {
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
