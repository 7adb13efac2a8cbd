package io.lakeann.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.TableUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.BaseDeleteLoader;
import org.apache.iceberg.data.GenericDeleteFilter;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.deletes.BaseDVFileWriter;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteIndex;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.DeleteWriteResult;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.ContentFileUtil;
import org.apache.iceberg.util.DataFileSet;
import org.apache.iceberg.util.DeleteFileSet;

/**
 * Test fixture: creates and mutates real Iceberg tables (format v2 and v3) in a temporary
 * HadoopCatalog warehouse with the plain Iceberg Java API (no Spark, no mocks), and reads them back
 * with deletes applied as the oracle backend tests compare against.
 *
 * <p>Every table has the schema {@code id} (field id 1, required; long, int or string), {@code
 * embedding} (field id 2, optional vector column) and {@code category} (field id 3, optional int,
 * {@code id % 3}). Every mutating method commits exactly one snapshot (except {@link
 * #renameColumn}, a schema-only change) and refreshes the table, so {@code table.currentSnapshot()}
 * is the new snapshot afterwards.
 */
final class TestWarehouse implements AutoCloseable {

  /** How vectors are stored in the {@code embedding} column. */
  enum VectorType {
    /** {@code list<float>} with optional float elements. */
    LIST_FLOAT,
    /** {@code binary} holding little-endian float32 values. */
    BINARY_F32,
    /** {@code list<double>} with optional double elements (each a float widened exactly). */
    LIST_DOUBLE
  }

  /** Type of the {@code id} column; a logical id {@code n} is stored as n, (int) n or "doc-n". */
  enum IdType {
    LONG,
    INT,
    STRING
  }

  static final String NAMESPACE = "db";
  static final int ID_FIELD_ID = 1;
  static final int VECTOR_FIELD_ID = 2;
  static final int CATEGORY_FIELD_ID = 3;
  static final int VECTOR_ELEMENT_FIELD_ID = 4;
  static final String STRING_ID_PREFIX = "doc-";

  private final Path dir;
  private final HadoopCatalog catalog;
  private final AtomicInteger taskIds = new AtomicInteger();

  private TestWarehouse(Path dir, HadoopCatalog catalog) {
    this.dir = dir;
    this.catalog = catalog;
  }

  /** Opens a HadoopCatalog whose warehouse is {@code dir} and makes sure namespace db exists. */
  static TestWarehouse create(Path dir) {
    HadoopCatalog catalog =
        new HadoopCatalog(new Configuration(), dir.toAbsolutePath().toString());
    Namespace ns = Namespace.of(NAMESPACE);
    if (!catalog.namespaceExists(ns)) {
      catalog.createNamespace(ns);
    }
    return new TestWarehouse(dir, catalog);
  }

  Catalog catalog() {
    return catalog;
  }

  Path dir() {
    return dir;
  }

  static TableIdentifier identifier(String name) {
    return TableIdentifier.of(NAMESPACE, name);
  }

  /** Creates unpartitioned table {@code db.<name>} with the fixture schema. */
  Table createTable(String name, int formatVersion, VectorType vectorType, IdType idType) {
    if (formatVersion != 2 && formatVersion != 3) {
      throw new IllegalArgumentException("format version must be 2 or 3: " + formatVersion);
    }
    Type idIcebergType =
        switch (idType) {
          case LONG -> Types.LongType.get();
          case INT -> Types.IntegerType.get();
          case STRING -> Types.StringType.get();
        };
    Type vectorIcebergType =
        switch (vectorType) {
          case LIST_FLOAT -> Types.ListType.ofOptional(
              VECTOR_ELEMENT_FIELD_ID, Types.FloatType.get());
          case BINARY_F32 -> Types.BinaryType.get();
          case LIST_DOUBLE -> Types.ListType.ofOptional(
              VECTOR_ELEMENT_FIELD_ID, Types.DoubleType.get());
        };
    Schema schema =
        new Schema(
            Types.NestedField.required(ID_FIELD_ID, "id", idIcebergType),
            Types.NestedField.optional(VECTOR_FIELD_ID, "embedding", vectorIcebergType),
            Types.NestedField.optional(CATEGORY_FIELD_ID, "category", Types.IntegerType.get()));
    Table table =
        catalog.createTable(
            identifier(name),
            schema,
            PartitionSpec.unpartitioned(),
            Map.of(TableProperties.FORMAT_VERSION, String.valueOf(formatVersion)));
    // The catalog reassigns field ids; the fixture relies on them being the declared ones.
    Schema created = table.schema();
    check(created.findField("id").fieldId() == ID_FIELD_ID, "unexpected id field id");
    check(created.findField("embedding").fieldId() == VECTOR_FIELD_ID, "unexpected vector id");
    check(created.findField("category").fieldId() == CATEGORY_FIELD_ID, "unexpected category id");
    return table;
  }

  /** Loads {@code db.<name>} again through the catalog (a fresh Table object). */
  Table loadTable(String name) {
    return catalog.loadTable(identifier(name));
  }

  static IdType idType(Table table) {
    Type type = table.schema().findField(ID_FIELD_ID).type();
    return switch (type.typeId()) {
      case LONG -> IdType.LONG;
      case INTEGER -> IdType.INT;
      case STRING -> IdType.STRING;
      default -> throw new IllegalStateException("unexpected id type " + type);
    };
  }

  static VectorType vectorType(Table table) {
    Type type = table.schema().findField(VECTOR_FIELD_ID).type();
    return switch (type.typeId()) {
      case LIST -> type.asListType().elementType().typeId() == Type.TypeID.DOUBLE
          ? VectorType.LIST_DOUBLE : VectorType.LIST_FLOAT;
      case BINARY -> VectorType.BINARY_F32;
      default -> throw new IllegalStateException("unexpected vector type " + type);
    };
  }

  /** Current name of the vector column (changes with {@link #renameColumn}). */
  static String vectorColumn(Table table) {
    return table.schema().findField(VECTOR_FIELD_ID).name();
  }

  /** Stored value of logical id {@code id} in a table whose id column has type {@code idType}. */
  static Object idValue(IdType idType, long id) {
    return switch (idType) {
      case LONG -> id;
      case INT -> Math.toIntExact(id);
      case STRING -> STRING_ID_PREFIX + id;
    };
  }

  /** Logical id of a stored id value (inverse of {@link #idValue}). */
  static long logicalId(Object value) {
    if (value instanceof Long l) {
      return l;
    }
    if (value instanceof Integer i) {
      return i;
    }
    if (value instanceof CharSequence s) {
      String str = s.toString();
      check(str.startsWith(STRING_ID_PREFIX), "string id without prefix: " + str);
      return Long.parseLong(str.substring(STRING_ID_PREFIX.length()));
    }
    throw new IllegalStateException("unexpected id value " + value);
  }

  /** Stored value of a vector for the given column type; null stays null. */
  static Object vectorValue(VectorType vectorType, float[] vector) {
    if (vector == null) {
      return null;
    }
    return switch (vectorType) {
      case LIST_FLOAT -> {
        List<Float> list = new ArrayList<>(vector.length);
        for (float f : vector) {
          list.add(f);
        }
        yield list;
      }
      case LIST_DOUBLE -> {
        List<Double> list = new ArrayList<>(vector.length);
        for (float f : vector) {
          list.add((double) f);
        }
        yield list;
      }
      case BINARY_F32 -> {
        ByteBuffer buf = ByteBuffer.allocate(vector.length * Float.BYTES);
        buf.order(ByteOrder.LITTLE_ENDIAN);
        for (float f : vector) {
          buf.putFloat(f);
        }
        buf.flip();
        yield buf;
      }
    };
  }

  /** Decodes a stored vector value (List of Float or Double, or little-endian float32 bytes). */
  static float[] decodeVector(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof List<?> list) {
      float[] out = new float[list.size()];
      for (int i = 0; i < out.length; i++) {
        Object element = list.get(i);
        check(element != null, "null vector element at " + i);
        out[i] = ((Number) element).floatValue();
      }
      return out;
    }
    ByteBuffer bytes;
    if (value instanceof ByteBuffer b) {
      bytes = b.duplicate();
    } else if (value instanceof byte[] a) {
      bytes = ByteBuffer.wrap(a);
    } else {
      throw new IllegalStateException("unexpected vector value " + value.getClass());
    }
    bytes.order(ByteOrder.LITTLE_ENDIAN);
    check(bytes.remaining() % Float.BYTES == 0, "binary vector length not a multiple of 4");
    float[] out = new float[bytes.remaining() / Float.BYTES];
    for (int i = 0; i < out.length; i++) {
      out[i] = bytes.getFloat();
    }
    return out;
  }

  /** Appends one new Parquet data file holding the rows, in order. */
  DataFile append(Table table, long[] ids, float[][] vectors) {
    DataFile file = writeDataFile(table, rows(table, ids, vectors));
    table.newAppend().appendFile(file).commit();
    table.refresh();
    return file;
  }

  /**
   * Deletes the rows at {@code positions} of {@code file}: a Parquet position delete file in v2,
   * a deletion vector in v3 (merged with the file's existing DV, which is replaced in the same
   * commit). Positions already deleted may be repeated.
   */
  DeleteFile deletePositions(Table table, DataFile file, long... positions) {
    check(positions.length > 0, "no positions to delete");
    table.refresh();
    FileScanTask task = liveTask(table, file.location());
    long[] sorted = positions.clone();
    Arrays.sort(sorted);
    for (long pos : sorted) {
      if (pos < 0 || pos >= task.file().recordCount()) {
        throw new IllegalArgumentException(
            "position " + pos + " outside file of " + task.file().recordCount() + " rows");
      }
    }
    PartitionSpec spec = table.specs().get(task.file().specId());
    String path = task.file().location();
    RowDelta rowDelta = table.newRowDelta();
    DeleteFile written;
    if (formatVersion(table) >= 3) {
      List<DeleteFile> previousDvs = task.deletes().stream().filter(ContentFileUtil::isDV).toList();
      check(previousDvs.size() <= 1, "more than one DV for " + path);
      PositionDeleteIndex previous =
          previousDvs.isEmpty()
              ? null
              : new BaseDeleteLoader(deleteFile -> table.io().newInputFile(deleteFile))
                  .loadPositionDeletes(previousDvs, path);
      OutputFileFactory puffins = outputFiles(table, FileFormat.PUFFIN);
      BaseDVFileWriter writer =
          new BaseDVFileWriter(puffins, p -> p.equals(path) ? previous : null);
      try (writer) {
        for (long pos : sorted) {
          writer.delete(path, pos, spec, task.file().partition());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      DeleteWriteResult result = writer.result();
      check(result.deleteFiles().size() == 1, "expected one DV, got " + result.deleteFiles());
      written = result.deleteFiles().get(0);
      // The spec allows one DV per data file: the merged DV replaces the previous one.
      DeleteFileSet removed = DeleteFileSet.create();
      removed.addAll(previousDvs);
      removed.addAll(result.rewrittenDeleteFiles());
      removed.forEach(rowDelta::removeDeletes);
    } else {
      GenericFileWriterFactory factory =
          new GenericFileWriterFactory.Builder(table).deleteFileFormat(FileFormat.PARQUET).build();
      PositionDeleteWriter<Record> writer =
          factory.newPositionDeleteWriter(
              outputFiles(table, FileFormat.PARQUET).newOutputFile(),
              spec,
              task.file().partition());
      PositionDelete<Record> delete = PositionDelete.create();
      try (writer) {
        for (long pos : sorted) {
          writer.write(delete.set(path, pos));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      written = writer.toDeleteFile();
    }
    rowDelta
        .addDeletes(written)
        .validateFromSnapshot(table.currentSnapshot().snapshotId())
        .validateDataFilesExist(List.of(path))
        .commit();
    table.refresh();
    return written;
  }

  /** Writes and commits an equality delete file on the id column for the given logical ids. */
  DeleteFile deleteEquality(Table table, long... ids) {
    check(ids.length > 0, "no ids to delete");
    Schema deleteSchema = table.schema().select(table.schema().findField(ID_FIELD_ID).name());
    GenericFileWriterFactory factory =
        new GenericFileWriterFactory.Builder(table)
            .deleteFileFormat(FileFormat.PARQUET)
            .equalityFieldIds(new int[] {ID_FIELD_ID})
            .equalityDeleteRowSchema(deleteSchema)
            .build();
    EqualityDeleteWriter<Record> writer =
        factory.newEqualityDeleteWriter(
            outputFiles(table, FileFormat.PARQUET).newOutputFile(), table.spec(), null);
    IdType idType = idType(table);
    try (writer) {
      for (long id : ids) {
        GenericRecord row = GenericRecord.create(deleteSchema);
        row.set(0, idValue(idType, id));
        writer.write(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    DeleteFile written = writer.toDeleteFile();
    table.newRowDelta().addDeletes(written).commit();
    table.refresh();
    return written;
  }

  /**
   * Copy-on-write delete: each current data file holding a live row with one of the ids is
   * rewritten without those rows (and without rows its deletes already removed), keeping row
   * order, in one overwrite commit; files without such ids are untouched. File-scoped delete
   * files of the rewritten files (position deletes, DVs) are removed with them. A file left with
   * no rows is removed without a replacement. Throws if no live row has any of the ids.
   */
  void deleteCopyOnWrite(Table table, long... ids) {
    table.refresh();
    Set<Long> doomed = new HashSet<>();
    for (long id : ids) {
      doomed.add(id);
    }
    Schema schema = table.schema();
    String idName = schema.findField(ID_FIELD_ID).name();
    DataFileSet removedData = DataFileSet.create();
    DeleteFileSet removedDeletes = DeleteFileSet.create();
    List<DataFile> added = new ArrayList<>();
    for (FileScanTask task : currentTasks(table)) {
      List<Record> live = readLive(table, task);
      List<Record> kept = new ArrayList<>(live.size());
      for (Record row : live) {
        if (!doomed.contains(logicalId(row.getField(idName)))) {
          kept.add(row);
        }
      }
      if (kept.size() == live.size()) {
        continue;
      }
      removedData.add(task.file());
      for (DeleteFile delete : task.deletes()) {
        if (ContentFileUtil.isFileScoped(delete)) {
          removedDeletes.add(delete);
        }
      }
      if (!kept.isEmpty()) {
        added.add(writeDataFile(table, kept));
      }
    }
    if (removedData.isEmpty()) {
      throw new IllegalArgumentException("no live row has any of the ids " + doomed);
    }
    var overwrite =
        table
            .newOverwrite()
            .deleteFiles(removedData, removedDeletes)
            .validateFromSnapshot(table.currentSnapshot().snapshotId());
    added.forEach(overwrite::addFile);
    overwrite.commit();
    table.refresh();
  }

  /**
   * Replaces every current data file (and every delete file, all obsolete then) by one new file
   * holding these rows, in one overwrite commit.
   */
  DataFile overwrite(Table table, long[] ids, float[][] vectors) {
    table.refresh();
    DataFile file = writeDataFile(table, rows(table, ids, vectors));
    var overwrite = table.newOverwrite();
    if (table.currentSnapshot() != null) {
      DataFileSet oldData = DataFileSet.create();
      DeleteFileSet oldDeletes = DeleteFileSet.create();
      for (FileScanTask task : currentTasks(table)) {
        oldData.add(task.file());
        oldDeletes.addAll(task.deletes());
      }
      overwrite.deleteFiles(oldData, oldDeletes);
    }
    overwrite.addFile(file).commit();
    table.refresh();
    return file;
  }

  /**
   * Rewrites all current data files into one file with the same live rows (deletes applied, in
   * scan order) and removes the old data files and all their delete files, in one rewrite
   * ("replace") commit. Throws if the table has no data file; if no row is live, the old files are
   * removed and nothing is added.
   */
  void compact(Table table) {
    table.refresh();
    List<FileScanTask> tasks = currentTasks(table);
    if (tasks.isEmpty()) {
      throw new IllegalArgumentException("nothing to compact in " + table.name());
    }
    RewriteFiles rewrite =
        table.newRewrite().validateFromSnapshot(table.currentSnapshot().snapshotId());
    DeleteFileSet oldDeletes = DeleteFileSet.create();
    List<Record> live = new ArrayList<>();
    for (FileScanTask task : tasks) {
      rewrite.deleteFile(task.file());
      oldDeletes.addAll(task.deletes());
      live.addAll(readLive(table, task));
    }
    oldDeletes.forEach(rewrite::deleteFile);
    if (!live.isEmpty()) {
      rewrite.addFile(writeDataFile(table, live));
    }
    rewrite.commit();
    table.refresh();
  }

  /** Rolls the main branch back to an ancestor snapshot. */
  void rollbackTo(Table table, long snapshotId) {
    table.manageSnapshots().rollbackTo(snapshotId).commit();
    table.refresh();
  }

  /** Renames a column (schema change only: no new snapshot, field id unchanged). */
  void renameColumn(Table table, String from, String to) {
    table.updateSchema().renameColumn(from, to).commit();
    table.refresh();
  }

  /** Live logical ids of a snapshot, deletes applied. Oracle. */
  Set<Long> liveIds(Table table, long snapshotId) {
    return new LinkedHashSet<>(liveIdList(table, snapshotId));
  }

  /** Live logical ids of a snapshot in scan order, duplicates kept. */
  List<Long> liveIdList(Table table, long snapshotId) {
    String idName = columnAt(table, snapshotId, ID_FIELD_ID);
    List<Long> ids = new ArrayList<>();
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(table).useSnapshot(snapshotId).select(idName).build()) {
      for (Record row : rows) {
        ids.add(logicalId(row.getField(idName)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ids;
  }

  /**
   * Live (id to vector) of a snapshot, deletes applied, null vectors skipped. {@code vectorColumn}
   * may be the column's name in the snapshot's schema or in the table's current schema (after a
   * rename, the current snapshot still carries the old schema). Throws on duplicate live ids.
   */
  Map<Long, float[]> liveVectors(Table table, long snapshotId, String vectorColumn) {
    Schema snapshotSchema = snapshotSchema(table, snapshotId);
    Types.NestedField field = snapshotSchema.findField(vectorColumn);
    if (field == null) {
      Types.NestedField current = table.schema().findField(vectorColumn);
      if (current == null || snapshotSchema.findField(current.fieldId()) == null) {
        throw new IllegalArgumentException(
            "no column " + vectorColumn + " in snapshot " + snapshotId);
      }
      field = snapshotSchema.findField(current.fieldId());
    }
    String vectorName = field.name();
    String idName = snapshotSchema.findField(ID_FIELD_ID).name();
    Map<Long, float[]> out = new HashMap<>();
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(table).useSnapshot(snapshotId).select(idName, vectorName).build()) {
      for (Record row : rows) {
        float[] vector = decodeVector(row.getField(vectorName));
        if (vector != null) {
          long id = logicalId(row.getField(idName));
          check(out.put(id, vector) == null, "duplicate live id " + id);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Logical ids physically stored in a data file, in row order, ignoring any deletes. */
  List<Long> idsInFile(Table table, DataFile file) {
    Schema projection = table.schema().select(table.schema().findField(ID_FIELD_ID).name());
    List<Long> ids = new ArrayList<>();
    try (CloseableIterable<Record> rows =
        Parquet.read(table.io().newInputFile(file))
            .project(projection)
            .createReaderFunc(
                fileSchema -> GenericParquetReaders.buildReader(projection, fileSchema))
            .build()) {
      for (Record row : rows) {
        ids.add(logicalId(row.get(0)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ids;
  }

  /** Scan tasks (one per data file, with the delete files that apply) of the current snapshot. */
  static List<FileScanTask> currentTasks(Table table) {
    List<FileScanTask> tasks = new ArrayList<>();
    if (table.currentSnapshot() == null) {
      return tasks;
    }
    try (CloseableIterable<FileScanTask> planned = table.newScan().planFiles()) {
      planned.forEach(tasks::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tasks;
  }

  static int formatVersion(Table table) {
    return TableUtil.formatVersion(table);
  }

  @Override
  public void close() {
    try {
      catalog.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // --- internals ---

  private List<Record> rows(Table table, long[] ids, float[][] vectors) {
    check(ids.length == vectors.length, "ids and vectors differ in length");
    check(ids.length > 0, "no rows");
    Schema schema = table.schema();
    IdType idType = idType(table);
    VectorType vectorType = vectorType(table);
    String idName = schema.findField(ID_FIELD_ID).name();
    String vectorName = schema.findField(VECTOR_FIELD_ID).name();
    String categoryName = schema.findField(CATEGORY_FIELD_ID).name();
    List<Record> rows = new ArrayList<>(ids.length);
    for (int i = 0; i < ids.length; i++) {
      GenericRecord row = GenericRecord.create(schema);
      row.setField(idName, idValue(idType, ids[i]));
      row.setField(vectorName, vectorValue(vectorType, vectors[i]));
      row.setField(categoryName, (int) (ids[i] % 3));
      rows.add(row);
    }
    return rows;
  }

  /** Writes a data file in the table's {@code write.format.default} (Parquet unless set). */
  private DataFile writeDataFile(Table table, List<Record> rows) {
    FileFormat format = FileFormat.fromString(table.properties()
        .getOrDefault(TableProperties.DEFAULT_FILE_FORMAT, "parquet"));
    GenericFileWriterFactory factory =
        new GenericFileWriterFactory.Builder(table)
            .dataFileFormat(format)
            .dataSchema(table.schema())
            .build();
    DataWriter<Record> writer =
        factory.newDataWriter(outputFiles(table, format).newOutputFile(), table.spec(), null);
    try (writer) {
      for (Record row : rows) {
        writer.write(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return writer.toDataFile();
  }

  private OutputFileFactory outputFiles(Table table, FileFormat format) {
    return OutputFileFactory.builderFor(table, 1, taskIds.incrementAndGet()).format(format).build();
  }

  private static FileScanTask liveTask(Table table, String location) {
    for (FileScanTask task : currentTasks(table)) {
      if (task.file().location().equals(location)) {
        return task;
      }
    }
    throw new IllegalArgumentException("data file not in the current snapshot: " + location);
  }

  /** Reads one data file with the task's deletes applied; rows in the table's current schema. */
  private static List<Record> readLive(Table table, FileScanTask task) {
    Schema schema = table.schema();
    GenericDeleteFilter deletes = new GenericDeleteFilter(table.io(), task, schema, schema);
    Schema readSchema = deletes.requiredSchema();
    List<Record> out = new ArrayList<>();
    CloseableIterable<Record> raw =
        Parquet.read(table.io().newInputFile(task.file()))
            .project(readSchema)
            .createReaderFunc(
                fileSchema -> GenericParquetReaders.buildReader(readSchema, fileSchema))
            .build();
    try (CloseableIterable<Record> live = deletes.filter(raw)) {
      for (Record row : live) {
        GenericRecord copy = GenericRecord.create(schema);
        for (Types.NestedField column : schema.columns()) {
          copy.setField(column.name(), row.getField(column.name()));
        }
        out.add(copy);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static Schema snapshotSchema(Table table, long snapshotId) {
    Snapshot snapshot = table.snapshot(snapshotId);
    if (snapshot == null) {
      throw new IllegalArgumentException("no snapshot " + snapshotId + " in " + table.name());
    }
    Integer schemaId = snapshot.schemaId();
    return schemaId == null ? table.schema() : table.schemas().get(schemaId);
  }

  private static String columnAt(Table table, long snapshotId, int fieldId) {
    return snapshotSchema(table, snapshotId).findField(fieldId).name();
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }
}
