package io.lakeann.iceberg;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableUtil;
import org.apache.iceberg.data.GenericDeleteFilter;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.util.PartitionUtil;

/**
 * Iceberg v3 row lineage as of the snapshot a bundle was built on: what lets the index keep
 * serving rows that a later rewrite (a copy-on-write DELETE, UPDATE or MERGE, {@code
 * rewrite_data_files}) copied into new data files. A rewrite keeps each surviving row's {@code
 * _row_id} and {@code _last_updated_sequence_number}; an update gives the row a new sequence
 * number. So a row of a later file whose row id the bundle's snapshot had already assigned and
 * which was last updated at or before that snapshot ({@link #carried}) is, unchanged, a row the
 * bundle indexed: its shard serves it, and the exact pass over new files leaves it out. Both
 * sides decide with this one test. Immutable and serializable.
 *
 * @param sequenceNumber the bundle snapshot's sequence number
 * @param nextRowId the first row id that snapshot had not yet assigned
 */
public record RowLineage(long sequenceNumber, long nextRowId) implements Serializable {
  /** Row-id range of a data file that holds no row id below a bundle's {@link #nextRowId}. */
  private static final long[] UNKNOWN = {0, Long.MAX_VALUE};
  /** Row-id ranges of data files by location, read from their footers once per JVM. */
  private static final Map<String, long[]> RANGES = new ConcurrentHashMap<>();
  private static final int MAX_RANGES = 65_536;

  /**
   * The lineage of snapshot {@code snapshotId} of {@code table}, or null when the table keeps
   * none (format version below 3, or a snapshot from before the upgrade to v3).
   */
  public static RowLineage of(Table table, long snapshotId) {
    if (TableUtil.formatVersion(table) < 3) {
      return null;
    }
    Snapshot snapshot = table.snapshot(snapshotId);
    if (snapshot == null || snapshot.firstRowId() == null || snapshot.addedRows() == null) {
      return null;
    }
    return new RowLineage(snapshot.sequenceNumber(),
        snapshot.firstRowId() + snapshot.addedRows());
  }

  /** Whether a row with these lineage values is, unchanged, a row of the bundle's snapshot. */
  public boolean carried(long rowId, long lastUpdated) {
    return rowId < nextRowId && lastUpdated <= sequenceNumber;
  }

  /**
   * The smallest and largest row id {@code task}'s file may hold, from its footer's statistics
   * (null when it holds none this lineage assigned, as every file of a plain append), or null
   * for a file whose lineage cannot be read here (not Parquet, encrypted, no first row id).
   */
  long[] carriedRange(FileIO io, FileScanTask task) {
    DataFile file = task.file();
    if (file.format() != FileFormat.PARQUET || file.keyMetadata() != null
        || file.firstRowId() == null) {
      return null;
    }
    long[] range = RANGES.get(file.location());
    if (range == null) {
      range = ParquetVectorReader.rowIdRange(io.newInputFile(file), file.firstRowId(),
          MetadataColumns.ROW_ID.fieldId());
      if (range == null) {
        range = UNKNOWN;
      }
      if (RANGES.size() >= MAX_RANGES) {
        RANGES.clear();
      }
      RANGES.put(file.location(), range);
    }
    return range[0] < nextRowId ? range : null;
  }

  /**
   * The lineage of the live rows of {@code task}'s file (deletes applied), by ascending
   * position: stored values where the file holds them, else the ones Iceberg assigns (the file's
   * first row id plus the position; its data sequence number), or null if a row has none (a
   * file written before the table kept lineage).
   */
  public static Rows read(FileIO io, Schema tableSchema, FileScanTask task) {
    Schema projection = new Schema(MetadataColumns.ROW_ID,
        MetadataColumns.LAST_UPDATED_SEQUENCE_NUMBER, MetadataColumns.ROW_POSITION);
    GenericDeleteFilter deletes = new GenericDeleteFilter(io, task, tableSchema, projection);
    Schema readSchema = deletes.requiredSchema();
    List<org.apache.iceberg.types.Types.NestedField> columns = readSchema.columns();
    int rowIdIndex = columns.indexOf(readSchema.findField(MetadataColumns.ROW_ID.fieldId()));
    int updatedIndex = columns.indexOf(
        readSchema.findField(MetadataColumns.LAST_UPDATED_SEQUENCE_NUMBER.fieldId()));
    int posIndex = columns.indexOf(readSchema.findField(MetadataColumns.ROW_POSITION.fieldId()));
    Map<Integer, Object> constants = new HashMap<>();
    PartitionUtil.constantsMap(task).forEach((id, value) -> {
      if (id == MetadataColumns.ROW_ID.fieldId()
          || id == MetadataColumns.LAST_UPDATED_SEQUENCE_NUMBER.fieldId()) {
        constants.put(id, value);
      }
    });
    int capacity = (int) Math.min(task.file().recordCount(), 1 << 20);
    long[] positions = new long[Math.max(capacity, 1)];
    long[] rowIds = new long[positions.length];
    long[] updated = new long[positions.length];
    int count = 0;
    String file = task.file().location();
    try (CloseableIterable<Record> records = ShardReader.liveRecords(io.newInputFile(task.file()),
        task, deletes, constants)) {
      for (Record record : records) {
        Long rowId = (Long) record.get(rowIdIndex);
        Long lastUpdated = (Long) record.get(updatedIndex);
        if (rowId == null || lastUpdated == null) {
          // A file from before the table kept lineage.
          return null;
        }
        if (count == positions.length) {
          positions = Arrays.copyOf(positions, 2 * count);
          rowIds = Arrays.copyOf(rowIds, 2 * count);
          updated = Arrays.copyOf(updated, 2 * count);
        }
        positions[count] = (Long) record.get(posIndex);
        rowIds[count] = rowId;
        updated[count] = lastUpdated;
        count++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the row lineage of " + file, e);
    }
    return new Rows(Arrays.copyOf(positions, count), Arrays.copyOf(rowIds, count),
        Arrays.copyOf(updated, count));
  }

  /**
   * The lineage of the live rows of one data file.
   *
   * @param positions their positions, ascending
   * @param rowIds each row's {@code _row_id}
   * @param updated each row's {@code _last_updated_sequence_number}
   */
  public record Rows(long[] positions, long[] rowIds, long[] updated) {
    public int size() {
      return positions.length;
    }
  }
}
