package io.lakeann.iceberg;

import java.nio.file.Path;

/**
 * A shard ready to publish: its manifest entry and its rbpx file (null for an empty shard).
 *
 * @param entry what the manifest records
 * @param file the local rbpx file, or null when the shard has no rows
 * @param dim the dimension of its vectors, or 0 when it has none
 * @param made how it was made: built from rows, reused as it was, or re-masked
 */
public record BuiltShard(ShardEntry entry, Path file, int dim, ShardPlanner.Action made) {}
