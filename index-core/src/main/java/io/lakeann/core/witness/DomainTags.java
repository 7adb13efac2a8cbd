package io.lakeann.core.witness;

/**
 * Every BLAKE3 domain-separation tag lakeann hashes with, the one place they are defined: each
 * digest starts with one of these (length-framed by {@link Framing}, or prefixed to identity
 * bytes), so no two kinds of digest can hash the same bytes. Tags are distinct; changing one's
 * bytes changes every digest of that kind and is a format change. That is why two spellings
 * remain ({@code lakeann/...} for index-core's, {@code lakeann.x.y.v1} for the Iceberg and Spark
 * layers'): respelling a tag would change the witness of every bundle already registered with an
 * Iceberg snapshot, so each would read as foreign and be rebuilt, for no gain in safety. A new
 * tag takes the {@code lakeann/...} form. Constants only.
 */
public final class DomainTags {
  /** The config hash of an {@link io.lakeann.core.IndexConfig}. */
  public static final String INDEX_CONFIG = "lakeann/index-config/v1";
  /** The content fingerprint of a set of rows (ids and vector bytes, in scan order). */
  public static final String CONTENT_FINGERPRINT = "lakeann/content-fingerprint/v1";
  /** The hash of one rbpx section from its chunk digests. */
  public static final String RBPX_SECTION = "lakeann/rbpx/section/v1";
  /** The witness of one rbpx file, over its header's claims. */
  public static final String RBPX_WITNESS = "lakeann/rbpx/witness/v1";
  /** The witness of an Iceberg bundle manifest. */
  public static final String ICEBERG_BUNDLE = "lakeann.iceberg.bundle.v1";
  /** The prefix of an Iceberg shard's source identity bytes. */
  public static final String ICEBERG_SHARD = "lakeann.iceberg.shard.v1";
  /** The digest of an Iceberg shard's data and delete files. */
  public static final String ICEBERG_FILES = "lakeann.iceberg.files.v1";
  /** The key of one ANN join plan (bundle, snapshot, filter). */
  public static final String SPARK_JOIN = "lakeann.spark.join.v1";
  /** The key of a cached state of one piece (shard or delta group) of one ANN join plan. */
  public static final String SPARK_JOIN_PIECE = "lakeann/spark/join-piece/v1";
  /** The witness of a bundle written to a path by the data source. */
  public static final String SPARK_PATH_BUNDLE = "lakeann.spark.path-bundle.v1";
  /** The source identity of a shard written to a path by the data source. */
  public static final String SPARK_PATH_SHARD = "lakeann.spark.path-shard.v1";

  private DomainTags() {}
}
