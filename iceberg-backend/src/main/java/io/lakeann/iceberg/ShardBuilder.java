package io.lakeann.iceberg;

import io.lakeann.core.IndexConfig;
import io.lakeann.core.RabitqIndex;
import io.lakeann.core.format.RawSection;
import io.lakeann.core.format.RbpxFile;
import io.lakeann.core.format.RbpxHeader;
import io.lakeann.core.format.RbpxWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;

/**
 * Turns the rows of one shard into an rbpx file with its source identity and row sources, or
 * re-masks an existing shard whose files gained row-level deletes. Deterministic: the same rows,
 * config and identity give byte-identical files whatever the thread count.
 */
public final class ShardBuilder {
  private final String tableUuid;
  private final IndexConfig config;

  public ShardBuilder(String tableUuid, IndexConfig config) {
    this.tableUuid = tableUuid;
    this.config = config;
  }

  /**
   * Builds the shard of {@code rows}, read at {@code snapshotId}, into {@code out}.
   *
   * @param lineage the row lineage of each of the rows' files ({@link RowLineage#read}), or
   *     null for a table without
   */
  public BuiltShard build(ShardRows rows, List<RowLineage.Rows> lineage, long snapshotId,
      Path out) {
    if (rows.size() == 0) {
      return new BuiltShard(new ShardEntry(null, 0, 0, rows.skippedNulls(), snapshotId, 0,
          rows.files()), null, 0, ShardPlanner.Action.BUILD);
    }
    RabitqIndex index = RabitqIndex.build(rows.toVectorSet(), config);
    byte[] identity = SourceIdentity.encode(tableUuid, snapshotId, rows.binding(), rows.files(),
        rows.size());
    ShardSections sections = ShardSections.of(rows, lineage);
    RbpxHeader header = RbpxWriter.write(out, index, identity, null, sections.encode());
    return new BuiltShard(new ShardEntry(header.witness(), rows.size(), 0, rows.skippedNulls(),
        snapshotId, size(out), rows.files(), sections.hasLineage()), out, rows.dim(),
        ShardPlanner.Action.BUILD);
  }

  /**
   * Rewrites {@code shard} (read from {@code old}) with {@code deleted} masked out and its files
   * now carrying {@code files}' deletes, as of {@code snapshotId}.
   */
  public BuiltShard remask(ColumnBinding binding, RbpxFile old, ShardEntry shard,
      List<DataFileRef> files, BitSet deleted, long snapshotId, Path out) {
    byte[] identity = SourceIdentity.encode(tableUuid, snapshotId, binding, files,
        old.index().size());
    List<RawSection> sections = old.unknownSections();
    RbpxHeader header = RbpxWriter.write(out, old.index(), identity, deleted, sections);
    return new BuiltShard(new ShardEntry(header.witness(), shard.rows(), deleted.cardinality(),
        shard.skippedNulls(), snapshotId, size(out), files, shard.rowLineage()), out,
        old.index().dim(),
        ShardPlanner.Action.REMASK);
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the size of " + file, e);
    }
  }
}
