package io.lakeann.iceberg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.LakeAnnException;
import io.lakeann.iceberg.TestWarehouse.IdType;
import io.lakeann.iceberg.TestWarehouse.VectorType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.CombinedScanTask;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.deletes.PositionDeleteIndex;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Parquet column path of {@link ShardReader} returns exactly what Iceberg's generic readers
 * return (same rows, order, positions, null counts, vectors bit for bit, same errors), and the
 * tasks it cannot read exactly go to the generic readers.
 */
class ParquetVectorReaderTest {
  @TempDir
  Path dir;

  private final AtomicInteger writers = new AtomicInteger();

  @Test
  void everyIdAndVectorTypeReadsAsTheGenericReaderDoes() {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      for (int format : new int[] {2, 3}) {
        for (VectorType vectors : VectorType.values()) {
          for (IdType ids : IdType.values()) {
            Table table = wh.createTable("t" + format + vectors + ids, format, vectors, ids);
            DataFile first = wh.append(table, IcebergFixture.ids(0, 300), withNulls(300, 1));
            wh.append(table, IcebergFixture.ids(300, 200), withNulls(200, 2));
            wh.deletePositions(table, first, 0, 7, 8, 150, 299);
            List<FileScanTask> tasks = TestWarehouse.currentTasks(table);
            ShardRows rows = assertSameAsGeneric(table, tasks);
            assertEquals(500 - 5, rows.size() + rows.skippedNulls(), table.name());
            assertTrue(rows.skippedNulls() > 0, table.name());
          }
        }
      }
    }
  }

  @Test
  void rowGroupsAndSplitsReadAsTheGenericReaderDoes() {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      for (VectorType vectors : VectorType.values()) {
        Table table = wh.createTable("groups" + vectors, 3, vectors, IdType.LONG);
        table.updateProperties()
            .set(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, "8192")
            .set(TableProperties.PARQUET_ROW_GROUP_CHECK_MIN_RECORD_COUNT, "10")
            .set(TableProperties.PARQUET_ROW_GROUP_CHECK_MAX_RECORD_COUNT, "20")
            .set(TableProperties.PARQUET_PAGE_SIZE_BYTES, "1024")
            .commit();
        DataFile file = wh.append(table, IcebergFixture.ids(0, 1000), withNulls(1000, 3));
        assertTrue(file.splitOffsets().size() > 3, "row groups: " + file.splitOffsets());
        wh.deletePositions(table, file, 1, 99, 100, 101, 500, 998);
        List<FileScanTask> whole = TestWarehouse.currentTasks(table);
        List<FileScanTask> splits = splitTasks(table);
        assertTrue(splits.size() > 3, "splits: " + splits.size());
        ShardRows fromSplits = assertSameAsGeneric(table, splits);
        ShardRows fromWhole = assertSameAsGeneric(table, whole);
        assertArrayEquals(fromWhole.positions(), fromSplits.positions());
        assertArrayEquals(fromWhole.nullPositions(), fromSplits.nullPositions());
        assertArrayEquals(bits(fromWhole.vectors()), bits(fromSplits.vectors()));
      }
    }
  }

  @Test
  void pageV2FilesReadAsTheGenericReaderDoes() throws IOException {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      for (VectorType vectors : VectorType.values()) {
        Table table = wh.createTable("v2" + vectors, 3, vectors, IdType.STRING);
        float[][] rows = withNulls(600, 6);
        String location = table.locationProvider().newDataLocation("v2-" + vectors + ".parquet");
        FileAppender<Record> appender = Parquet.write(table.io().newOutputFile(location))
            .schema(table.schema())
            .createWriterFunc(GenericParquetWriter::create)
            .writerVersion(ParquetProperties.WriterVersion.PARQUET_2_0)
            .set(TableProperties.PARQUET_PAGE_SIZE_BYTES, "2048")
            .build();
        try (appender) {
          for (int i = 0; i < rows.length; i++) {
            GenericRecord row = GenericRecord.create(table.schema());
            row.setField("id", TestWarehouse.idValue(IdType.STRING, i));
            row.setField("embedding", TestWarehouse.vectorValue(vectors, rows[i]));
            appender.add(row);
          }
        }
        DataFile file = DataFiles.builder(table.spec()).withPath(location)
            .withFormat(FileFormat.PARQUET).withFileSizeInBytes(appender.length())
            .withMetrics(appender.metrics()).withSplitOffsets(appender.splitOffsets()).build();
        table.newAppend().appendFile(file).commit();
        assertTrue(firstPageIsV2(table, file), location);
        wh.deletePositions(table, file, 3, 4, 599);
        ShardRows read = assertSameAsGeneric(table, TestWarehouse.currentTasks(table));
        assertEquals(597, read.size() + read.skippedNulls());
      }
    }
  }

  @Test
  void equalityDeletesGoToTheGenericReader() {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table table = wh.createTable("eq", 2, VectorType.LIST_FLOAT, IdType.STRING);
      DataFile file = wh.append(table, IcebergFixture.ids(0, 100), withNulls(100, 4));
      wh.deleteEquality(table, 3, 4, 50);
      wh.deletePositions(table, file, 10);
      ShardRows rows = assertSameAsGeneric(table, TestWarehouse.currentTasks(table));
      List<String> ids = Arrays.asList(rows.stringIds());
      assertFalse(ids.contains("doc-3") || ids.contains("doc-50") || ids.contains("doc-10"));
      assertEquals(96, rows.size() + rows.skippedNulls());
    }
  }

  @Test
  void parquetFilesWithoutEqualityDeletesTakeTheColumnPath() {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table table = wh.createTable("fast", 3, VectorType.LIST_FLOAT, IdType.INT);
      wh.append(table, IcebergFixture.ids(0, 20), withNulls(20, 5));
      FileScanTask task = TestWarehouse.currentTasks(table).get(0);
      RowAccumulator acc = new RowAccumulator(binding(table), 0, 16);
      assertTrue(ParquetVectorReader.read(table.io().newInputFile(task.file()), task,
          binding(table), true, PositionDeleteIndex.empty(), acc));
      assertEquals(20, acc.size() + acc.nulls());
    }
  }

  @Test
  void badRowsFailWithTheSameErrorOnBothPaths() {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table lists = wh.createTable("lists", 2, VectorType.LIST_FLOAT, IdType.LONG);
      assertSameFailure(lists, appendRows(lists, Arrays.asList(
          List.of(1f, 2f), null, Arrays.asList(3f, null))), "null at component 1");
      // The first vector sets the dimension; an empty one is refused as dimension 0.
      assertSameFailure(lists, appendRows(lists, Arrays.asList(List.of(), List.of(1f))),
          "Invalid dimension", null);
      assertSameFailure(lists, appendRows(lists, Arrays.asList(
          List.of(1f, 2f), List.of(1f, 2f, 3f))), "3 dimensions");
      assertSameFailure(lists, appendRows(lists, Arrays.asList(
          List.of(1f, 2f), List.of(1f, Float.NaN))), "NaN at component 1");
      assertSameFailure(lists, appendRows(lists, Arrays.asList(
          List.of(Float.NEGATIVE_INFINITY, 2f))), "-Infinity at component 0");

      Table binary = wh.createTable("binary", 3, VectorType.BINARY_F32, IdType.STRING);
      assertSameFailure(binary, appendRows(binary, Arrays.asList(
          ByteBuffer.allocate(8), ByteBuffer.allocate(7))), "has 7 bytes");

      Schema optionalIds = new Schema(
          Types.NestedField.optional(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "embedding",
              Types.ListType.ofRequired(3, Types.FloatType.get())));
      Table nullIds = wh.catalog().createTable(TestWarehouse.identifier("nullids"), optionalIds,
          PartitionSpec.unpartitioned(), Map.of(TableProperties.FORMAT_VERSION, "2"));
      DataFile file = appendRows(nullIds, Arrays.asList(List.of(1f), List.of(2f), List.of(3f)),
          5L, null, 7L);
      FileScanTask task = TestWarehouse.currentTasks(nullIds).get(0);
      ShardReader reader = reader(nullIds);
      LakeAnnException fast = assertThrows(LakeAnnException.class,
          () -> reader.livePositions(task));
      LakeAnnException generic = assertThrows(LakeAnnException.class,
          () -> reader.genericOnly().livePositions(task));
      assertEquals(generic.getMessage(), fast.getMessage());
      assertSameFailure(nullIds, file, "id column 'id' is null in file");

      Table duplicates = wh.createTable("duplicates", 2, VectorType.LIST_FLOAT, IdType.INT);
      DataFile twice = appendRows(duplicates, Arrays.asList(List.of(1f), List.of(2f)), 4L, 4L);
      assertSameFailure(duplicates, twice, "appears twice");
    }
  }

  @Test
  void doublesAreRoundedToFloat32AlikeOnBothPathsAndOverflowIsRefused() {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table doubles = wh.createTable("doubles", 2, VectorType.LIST_DOUBLE, IdType.LONG);
      List<Double> third = List.of(0.1, 1.0 / 3, -2.000000001, 1e-46);
      appendRows(doubles, Arrays.asList(third, List.of(Math.PI, Math.E, 1e30, -7.0)));
      ShardRows rows = assertSameAsGeneric(doubles, TestWarehouse.currentTasks(doubles));
      float[] expected = {0.1f, 1.0f / 3, -2.0f, 0f, (float) Math.PI, (float) Math.E, 1e30f, -7f};
      assertArrayEquals(bits(expected), bits(rows.vectors()), "each double's nearest float32");

      Table beyond = wh.createTable("beyond", 3, VectorType.LIST_DOUBLE, IdType.LONG);
      assertSameFailure(beyond, appendRows(beyond, Arrays.asList(List.of(1.0, 2.0),
          List.of(1.0, 1e39))), "Infinity at component 1 (as float32: the double is NaN, "
              + "infinite or beyond float32's range");
    }
  }

  /** Reads {@code tasks} on both paths, asserts equal results, and returns them. */
  private static ShardRows assertSameAsGeneric(Table table, List<FileScanTask> tasks) {
    ShardReader reader = reader(table);
    ShardRows expected = reader.genericOnly().read(tasks, 0);
    ShardRows actual = reader.read(tasks, 0);
    String name = table.name();
    assertEquals(expected.dim(), actual.dim(), name);
    assertArrayEquals(expected.ids(), actual.ids(), name);
    assertArrayEquals(expected.stringIds(), actual.stringIds(), name);
    assertArrayEquals(bits(expected.vectors()), bits(actual.vectors()), name);
    assertEquals(expected.files(), actual.files(), name);
    assertArrayEquals(expected.rowsPerFile(), actual.rowsPerFile(), name);
    assertArrayEquals(expected.positions(), actual.positions(), name);
    assertArrayEquals(expected.nullsPerFile(), actual.nullsPerFile(), name);
    assertArrayEquals(expected.nullPositions(), actual.nullPositions(), name);
    assertTrue(expected.size() > 0, name);
    for (FileScanTask task : tasks) {
      assertArrayEquals(reader.genericOnly().livePositions(task), reader.livePositions(task),
          name);
      boolean eqDeletes = task.deletes().stream()
          .anyMatch(d -> d.content() == FileContent.EQUALITY_DELETES);
      RowAccumulator acc = new RowAccumulator(binding(table), 0, 16);
      // The comparison is between two paths: the column path reads every such file itself.
      assertTrue(eqDeletes || ParquetVectorReader.read(table.io().newInputFile(task.file()),
          task, binding(table), true, PositionDeleteIndex.empty(), acc), name);
    }
    return actual;
  }

  /**
   * Reads the current snapshot, which ends with {@code bad}, on both paths: both fail with the
   * same error, naming the file; then removes {@code bad} again.
   */
  private static void assertSameFailure(Table table, DataFile bad, String fragment) {
    assertSameFailure(table, bad, fragment, bad.location());
  }

  /** As above, the message holding {@code fragment} and {@code location} (unless null). */
  private static void assertSameFailure(Table table, DataFile bad, String fragment,
      String location) {
    List<FileScanTask> tasks = TestWarehouse.currentTasks(table);
    ShardReader reader = reader(table);
    LakeAnnException generic = assertThrows(LakeAnnException.class,
        () -> reader.genericOnly().read(tasks, 0));
    LakeAnnException fast = assertThrows(LakeAnnException.class, () -> reader.read(tasks, 0));
    assertEquals(generic.getClass(), fast.getClass());
    assertEquals(generic.getMessage(), fast.getMessage());
    assertTrue(fast.getMessage().contains(fragment), fast.getMessage());
    assertTrue(location == null || fast.getMessage().contains(location), fast.getMessage());
    table.newDelete().deleteFile(bad).commit();
  }

  private static ShardReader reader(Table table) {
    return new ShardReader(table.io(), table.schema(), binding(table));
  }

  private static ColumnBinding binding(Table table) {
    return ColumnBinding.resolve(table.name(), table.schema(), "embedding", "id");
  }

  /** Vectors with every seventh null, a negative zero and a subnormal among the values. */
  private static float[][] withNulls(int n, long seed) {
    float[][] rows = IcebergFixture.vectors(n, seed);
    for (int i = 0; i < n; i += 7) {
      rows[i] = null;
    }
    rows[1][0] = -0.0f;
    rows[2][3] = Float.MIN_VALUE;
    return rows;
  }

  /** Split tasks of the current snapshot, one row group each, in plan order. */
  private static List<FileScanTask> splitTasks(Table table) {
    List<FileScanTask> tasks = new ArrayList<>();
    try (CloseableIterable<CombinedScanTask> planned =
        table.newScan().option(TableProperties.SPLIT_SIZE, "1").planTasks()) {
      for (CombinedScanTask combined : planned) {
        tasks.addAll(combined.files());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tasks;
  }

  /**
   * Appends one Parquet file whose vector column holds {@code stored} exactly as given; ids are
   * {@code ids} if given, else 0, 1, ... in the table's id type.
   */
  private DataFile appendRows(Table table, List<?> stored, Long... ids) {
    Types.NestedField idField = table.schema().findField("id");
    List<Record> rows = new ArrayList<>();
    for (int i = 0; i < stored.size(); i++) {
      GenericRecord row = GenericRecord.create(table.schema());
      Long id = ids.length > 0 ? ids[i] : Long.valueOf(i);
      Object value = id;
      if (id != null && idField.type().typeId() != Types.LongType.get().typeId()) {
        value = idField.type().equals(Types.IntegerType.get())
            ? (Object) Math.toIntExact(id) : TestWarehouse.STRING_ID_PREFIX + id;
      }
      row.setField("id", value);
      row.setField("embedding", stored.get(i));
      rows.add(row);
    }
    GenericFileWriterFactory factory = new GenericFileWriterFactory.Builder(table)
        .dataFileFormat(FileFormat.PARQUET).dataSchema(table.schema()).build();
    OutputFileFactory files = OutputFileFactory
        .builderFor(table, 2, writers.incrementAndGet()).format(FileFormat.PARQUET).build();
    DataWriter<Record> writer = factory.newDataWriter(files.newOutputFile(), table.spec(), null);
    try (writer) {
      rows.forEach(writer::write);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    DataFile file = writer.toDataFile();
    table.newAppend().appendFile(file).commit();
    table.refresh();
    return file;
  }

  private static boolean firstPageIsV2(Table table, DataFile file) throws IOException {
    org.apache.iceberg.io.InputFile input = table.io().newInputFile(file.location());
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(
        Path.of(java.net.URI.create(input.location()).getPath())))) {
      ColumnDescriptor id = reader.getFileMetaData().getSchema().getColumns().get(0);
      return reader.readNextRowGroup().getPageReader(id).readPage() instanceof DataPageV2;
    }
  }

  private static int[] bits(float[] values) {
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Float.floatToRawIntBits(values[i]);
    }
    return out;
  }
}
