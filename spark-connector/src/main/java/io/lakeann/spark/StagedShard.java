package io.lakeann.spark;

import io.lakeann.iceberg.ShardEntry;
import io.lakeann.iceberg.ShardPlanner;

/**
 * What an executor reports for one shard it built: the manifest entry, the vector dimension, how
 * it was made, where the bytes were staged (null for an empty shard) and where it ran.
 */
record StagedShard(int index, ShardEntry entry, int dim, ShardPlanner.Action made,
    String location, String executor) implements java.io.Serializable {}
