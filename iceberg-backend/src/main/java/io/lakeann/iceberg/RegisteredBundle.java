package io.lakeann.iceberg;

import java.util.List;
import org.apache.iceberg.puffin.BlobMetadata;

/**
 * A bundle found registered with a snapshot: the Puffin statistics file holding it, the manifest,
 * and for each shard the blobs (in part order) that hold its rbpx bytes. Immutable.
 *
 * @param statisticsPath the Puffin file
 * @param statisticsSize its length
 * @param manifest the bundle's manifest, verified against its witness
 * @param shardBlobs per shard, its part blobs in order (empty for an empty shard)
 */
public record RegisteredBundle(String statisticsPath, long statisticsSize,
    BundleManifest manifest, List<List<BlobMetadata>> shardBlobs) {

  public RegisteredBundle {
    shardBlobs = List.copyOf(shardBlobs);
  }

  public long snapshotId() {
    return manifest.snapshotId();
  }
}
