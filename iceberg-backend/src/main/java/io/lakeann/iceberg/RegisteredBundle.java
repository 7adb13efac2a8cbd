package io.lakeann.iceberg;

import java.util.List;

/**
 * A bundle found registered with a snapshot: the Puffin statistics file holding it, the manifest,
 * and for each shard the byte ranges (in part order) of the blobs that hold its rbpx bytes.
 * Immutable and serializable, so executors can fetch shards themselves.
 *
 * @param statisticsPath the Puffin file
 * @param statisticsSize its length
 * @param manifest the bundle's manifest, verified against its witness
 * @param shardBlobs per shard, its parts' byte ranges in order (empty for an empty shard)
 */
public record RegisteredBundle(String statisticsPath, long statisticsSize,
    BundleManifest manifest, List<List<RegisteredBundle.BlobRange>> shardBlobs)
    implements java.io.Serializable {

  /** Where one blob's bytes are in the statistics file. */
  public record BlobRange(long offset, long length) implements java.io.Serializable {}


  public RegisteredBundle {
    shardBlobs = List.copyOf(shardBlobs);
  }

  public long snapshotId() {
    return manifest.snapshotId();
  }
}
