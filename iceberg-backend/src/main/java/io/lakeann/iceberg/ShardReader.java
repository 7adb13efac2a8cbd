package io.lakeann.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericDeleteFilter;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.Deletes;
import org.apache.iceberg.deletes.PositionDeleteIndex;
import org.apache.iceberg.formats.FormatModelRegistry;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.types.Types;

/**
 * Reads the id and vector columns of data files with every row-level delete of the scan task
 * applied (position deletes, equality deletes, deletion vectors). Each row is checked on the way
 * in by a {@link RowAccumulator}: a null vector is skipped and counted; a null id, a wrong
 * dimension, a null element, NaN or infinity fails with the file, row position, id and value.
 *
 * <p>Two paths give the same rows in the same order: unencrypted Parquet files without equality
 * deletes are decoded column by column straight into float arrays by {@link
 * ParquetVectorReader} (position deletes and deletion vectors applied from the task's deleted
 * positions); every other task, and every Parquet file whose columns that reader does not
 * recognise, goes through Iceberg's generic readers. Stateless; safe to use from many threads.
 */
public final class ShardReader {
  private final FileIO io;
  private final Schema tableSchema;
  private final ColumnBinding binding;
  private final boolean parquetColumns;

  /**
   * @param io the table's file IO
   * @param tableSchema the table's schema, in which the binding's field ids resolve
   * @param binding the columns to read
   */
  public ShardReader(FileIO io, Schema tableSchema, ColumnBinding binding) {
    this(io, tableSchema, binding, true);
  }

  private ShardReader(FileIO io, Schema tableSchema, ColumnBinding binding,
      boolean parquetColumns) {
    this.io = io;
    this.tableSchema = tableSchema;
    this.binding = binding;
    this.parquetColumns = parquetColumns;
  }

  FileIO io() {
    return io;
  }

  Schema tableSchema() {
    return tableSchema;
  }

  /** This reader reading every file through Iceberg's generic readers (the reference path). */
  ShardReader genericOnly() {
    return new ShardReader(io, tableSchema, binding, false);
  }

  /**
   * Reads the live rows of {@code tasks}, in order.
   *
   * @param expectedDim the dimension every vector must have, or 0 to take it from the first
   */
  public ShardRows read(List<FileScanTask> tasks, int expectedDim) {
    return read(tasks, expectedDim, Map.of());
  }

  /**
   * Reads the live rows of {@code tasks}, in order, but for the positions {@code skip} names
   * for a file (ascending), which are left out as if deleted.
   *
   * @param expectedDim the dimension every vector must have, or 0 to take it from the first
   */
  public ShardRows read(List<FileScanTask> tasks, int expectedDim, Map<String, long[]> skip) {
    RowAccumulator acc = new RowAccumulator(binding, expectedDim, estimateRows(tasks));
    List<DataFileRef> files = new ArrayList<>(tasks.size());
    int[] rowsPerFile = new int[tasks.size()];
    int[] nullsPerFile = new int[tasks.size()];
    for (int f = 0; f < tasks.size(); f++) {
      FileScanTask task = tasks.get(f);
      files.add(DataFileRef.of(task));
      int before = acc.size();
      int nullsBefore = acc.nulls();
      readTask(task, true, skip.get(task.file().location()), acc);
      rowsPerFile[f] = acc.size() - before;
      nullsPerFile[f] = acc.nulls() - nullsBefore;
    }
    return acc.finish(files, rowsPerFile, nullsPerFile);
  }

  /**
   * The positions of the live rows of {@code task}'s data file (deletes applied), ascending,
   * null vectors included. Reads no vector: only row positions and the columns deletes need.
   */
  public long[] livePositions(FileScanTask task) {
    RowAccumulator acc = new RowAccumulator(binding, 0,
        (int) Math.min(task.file().recordCount(), 1 << 20));
    readTask(task, false, null, acc);
    return Arrays.copyOf(acc.positions(), acc.size());
  }

  /** Reads {@code task}'s live rows into {@code acc}, leaving out {@code skip} (or null). */
  private void readTask(FileScanTask task, boolean decode, long[] skip, RowAccumulator acc) {
    Schema projection = decode
        ? new Schema(field(binding.idFieldId()), field(binding.vectorFieldId()),
            MetadataColumns.ROW_POSITION)
        : new Schema(field(binding.idFieldId()), MetadataColumns.ROW_POSITION);
    GenericDeleteFilter deletes = new GenericDeleteFilter(io, task, tableSchema, projection);
    InputFile input = io.newInputFile(task.file());
    if (parquetColumns && columnarReadable(task.file(), deletes)) {
      PositionDeleteIndex deleted = deletes.hasPosDeletes()
          ? deletes.deletedRowPositions()
          : PositionDeleteIndex.empty();
      if (ParquetVectorReader.read(input, task, binding, decode, withSkipped(deleted, skip),
          acc)) {
        return;
      }
    }
    readGeneric(task, input, deletes, decode, skip, acc);
  }

  /**
   * Whether {@link ParquetVectorReader} may read the file: Parquet, not encrypted (Iceberg
   * decrypts those through its own readers) and without equality deletes (whose rows only the
   * generic readers can match).
   */
  private static boolean columnarReadable(DataFile file, GenericDeleteFilter deletes) {
    return file.format() == FileFormat.PARQUET && file.keyMetadata() == null
        && !deletes.hasEqDeletes();
  }

  /**
   * The records of {@code task}'s split through Iceberg's generic reader, in
   * {@code deletes}' required schema, with every row-level delete of the task applied. Records
   * are reused: read each before taking the next.
   */
  static CloseableIterable<Record> liveRecords(InputFile input, FileScanTask task,
      GenericDeleteFilter deletes) {
    return liveRecords(input, task, deletes, Map.of());
  }

  /**
   * {@link #liveRecords(InputFile, FileScanTask, GenericDeleteFilter)} with the values of
   * {@code constants}' field ids given by the scan (as Iceberg fills in row lineage).
   */
  static CloseableIterable<Record> liveRecords(InputFile input, FileScanTask task,
      GenericDeleteFilter deletes, Map<Integer, ?> constants) {
    return deletes.filter(FormatModelRegistry
        .<Record, Object>readBuilder(task.file().format(), Record.class, input)
        .project(deletes.requiredSchema())
        .split(task.start(), task.length())
        .idToConstant(constants)
        .reuseContainers()
        .build());
  }

  private void readGeneric(FileScanTask task, InputFile input, GenericDeleteFilter deletes,
      boolean decode, long[] skip, RowAccumulator acc) {
    Schema readSchema = deletes.requiredSchema();
    List<Types.NestedField> columns = readSchema.columns();
    int idIndex = indexOf(columns, binding.idFieldId());
    int vectorIndex = decode ? indexOf(columns, binding.vectorFieldId()) : -1;
    int posIndex = indexOf(columns, MetadataColumns.ROW_POSITION.fieldId());
    String file = task.file().location();
    try (CloseableIterable<Record> records = liveRecords(input, task, deletes)) {
      for (Record record : records) {
        long pos = (Long) record.get(posIndex);
        if (skip != null && Arrays.binarySearch(skip, pos) >= 0) {
          continue;
        }
        Object id = record.get(idIndex);
        if (id == null) {
          throw acc.nullId(file, pos);
        }
        if (!decode) {
          acc.addPosition(pos);
          continue;
        }
        Object vector = record.get(vectorIndex);
        if (vector == null) {
          acc.addNull(pos);
          continue;
        }
        acc.addGeneric(file, pos, id, vector);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file + " of " + binding.describe(), e);
    }
  }

  /** {@code deleted} with the positions of {@code skip} (ascending, or null) deleted too. */
  private static PositionDeleteIndex withSkipped(PositionDeleteIndex deleted, long[] skip) {
    if (skip == null || skip.length == 0) {
      return deleted;
    }
    PositionDeleteIndex both = Deletes.toPositionIndex(
        CloseableIterable.withNoopClose(Arrays.stream(skip).boxed().toList()));
    both.merge(deleted);
    return both;
  }

  private Types.NestedField field(int fieldId) {
    Types.NestedField field = tableSchema.findField(fieldId);
    if (field == null) {
      throw new UnknownColumnException(String.format(Locale.ROOT,
          "%s: field id %d is no longer in the table's schema (the column was dropped); "
              + "build the index on an existing column", binding.describe(), fieldId));
    }
    return field;
  }

  private static int indexOf(List<Types.NestedField> columns, int fieldId) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).fieldId() == fieldId) {
        return i;
      }
    }
    throw new IllegalStateException("field " + fieldId + " missing from the read schema");
  }

  private static int estimateRows(List<FileScanTask> tasks) {
    long rows = 0;
    for (FileScanTask task : tasks) {
      rows += task.file().recordCount();
    }
    return (int) Math.min(rows, 1 << 20);
  }
}
