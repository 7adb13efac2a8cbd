package io.lakeann.iceberg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.iceberg.TestWarehouse.IdType;
import io.lakeann.iceberg.TestWarehouse.VectorType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.util.ContentFileUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TestWarehouse} does what it claims: every mutation is checked by reading the table back
 * with IcebergGenerics (row-level deletes applied) and comparing the exact set of surviving ids,
 * for format versions 2 and 3, so backend tests can trust the fixture and its oracles.
 */
class TestWarehouseTest {

  private static final int DIM = 8;

  @TempDir Path dir;

  private TestWarehouse warehouse;

  @BeforeEach
  void open() {
    warehouse = TestWarehouse.create(dir);
  }

  @AfterEach
  void close() {
    warehouse.close();
  }

  static Stream<Arguments> allLayouts() {
    List<Arguments> out = new ArrayList<>();
    for (int version : new int[] {2, 3}) {
      for (VectorType vectorType : VectorType.values()) {
        for (IdType idType : IdType.values()) {
          out.add(Arguments.of(version, vectorType, idType));
        }
      }
    }
    return out.stream();
  }

  static Stream<Arguments> versionsAndVectorTypes() {
    return Stream.of(
        Arguments.of(2, VectorType.LIST_FLOAT),
        Arguments.of(2, VectorType.BINARY_F32),
        Arguments.of(3, VectorType.LIST_FLOAT),
        Arguments.of(3, VectorType.BINARY_F32));
  }

  static Stream<Arguments> versionsAndIdTypes() {
    return Stream.of(IdType.values())
        .flatMap(idType -> Stream.of(Arguments.of(2, idType), Arguments.of(3, idType)));
  }

  @ParameterizedTest
  @MethodSource("allLayouts")
  void appendedRowsAreLiveWithStoredTypesAndExactVectors(
      int version, VectorType vectorType, IdType idType) {
    Table table = warehouse.createTable("t", version, vectorType, idType);
    assertEquals(version, TestWarehouse.formatVersion(table));
    assertEquals(1, table.schema().findField("id").fieldId());
    assertTrue(table.schema().findField("id").isRequired());
    assertTrue(table.schema().findField("embedding").isOptional());
    assertEquals(idType, TestWarehouse.idType(table));
    assertEquals(vectorType, TestWarehouse.vectorType(table));

    long[] first = range(0, 120);
    long[] second = range(120, 200);
    float[][] v1 = vectors(first, 1);
    float[][] v2 = vectors(second, 2);
    DataFile f1 = warehouse.append(table, first, v1);
    long s1 = table.currentSnapshot().snapshotId();
    DataFile f2 = warehouse.append(table, second, v2);
    long s2 = table.currentSnapshot().snapshotId();

    assertNotEquals(s1, s2);
    assertEquals(FileFormat.PARQUET, f1.format());
    assertEquals(120, f1.recordCount());
    assertEquals(80, f2.recordCount());
    assertTrue(f1.location().startsWith(table.location()), f1.location());
    assertEquals(setOf(first), warehouse.liveIds(table, s1));
    assertEquals(setOf(range(0, 200)), warehouse.liveIds(table, s2));
    assertEquals(Arrays.stream(first).boxed().toList(), warehouse.idsInFile(table, f1));

    Map<Long, float[]> expected = vectorMap(first, v1);
    expected.putAll(vectorMap(second, v2));
    assertVectorsEqual(expected, warehouse.liveVectors(table, s2, "embedding"));

    // Stored values: the id by its type, category = id % 3.
    Class<?> idClass =
        switch (idType) {
          case LONG -> Long.class;
          case INT -> Integer.class;
          case STRING -> String.class;
        };
    int rows = 0;
    for (Record row : readAll(table, s2)) {
      Object id = row.getField("id");
      assertTrue(idClass.isInstance(id) || (idType == IdType.STRING && id instanceof CharSequence));
      long logical = TestWarehouse.logicalId(id);
      if (idType == IdType.STRING) {
        assertEquals("doc-" + logical, id.toString());
      }
      assertEquals((int) (logical % 3), row.getField("category"));
      rows++;
    }
    assertEquals(200, rows);
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void deletePositionsRemovesExactlyThoseRowsAndMergesRepeatedDeletes(int version) {
    Table table = warehouse.createTable("t", version, VectorType.LIST_FLOAT, IdType.LONG);
    // File rows are written in order, so position p of f1 holds id 1000 + p.
    long[] ids1 = range(1000, 1100);
    long[] ids2 = range(2000, 2050);
    DataFile f1 = warehouse.append(table, ids1, vectors(ids1, 1));
    DataFile f2 = warehouse.append(table, ids2, vectors(ids2, 2));
    long beforeDeletes = table.currentSnapshot().snapshotId();

    DeleteFile d1 = warehouse.deletePositions(table, f1, 5, 0, 99);
    long afterFirst = table.currentSnapshot().snapshotId();
    assertNotEquals(beforeDeletes, afterFirst);
    assertEquals(FileContent.POSITION_DELETES, d1.content());
    assertEquals(f1.location(), ContentFileUtil.referencedDataFileLocation(d1));
    if (version == 3) {
      assertTrue(ContentFileUtil.isDV(d1));
      assertEquals(FileFormat.PUFFIN, d1.format());
    } else {
      assertFalse(ContentFileUtil.isDV(d1));
      assertEquals(FileFormat.PARQUET, d1.format());
    }
    assertEquals(3, d1.recordCount());
    Set<Long> expected = setOf(ids1, ids2);
    expected.removeAll(Set.of(1000L, 1005L, 1099L));
    assertEquals(expected, warehouse.liveIds(table, afterFirst));

    // Second delete on the same file, overlapping the first (position 5 again).
    DeleteFile d2 = warehouse.deletePositions(table, f1, 5, 42, 43);
    long afterSecond = table.currentSnapshot().snapshotId();
    expected.removeAll(Set.of(1042L, 1043L));
    assertEquals(expected, warehouse.liveIds(table, afterSecond));

    // A position in the other file refers to that file's rows only.
    warehouse.deletePositions(table, f2, 0);
    long afterThird = table.currentSnapshot().snapshotId();
    expected.remove(2000L);
    assertEquals(expected, warehouse.liveIds(table, afterThird));

    List<DeleteFile> f1Deletes = deletesOf(table, f1);
    if (version == 3) {
      // One DV per data file: the merged DV holds old and new positions and replaced the old DV.
      assertEquals(1, f1Deletes.size());
      assertEquals(d2.location(), f1Deletes.get(0).location());
      assertEquals(5, d2.recordCount());
      assertEquals(1, deletesOf(table, f2).size());
      assertEquals(2, deleteFilesIn(table), "the replaced DV left the table state");
    } else {
      assertEquals(2, f1Deletes.size());
      assertEquals(3, d2.recordCount());
      assertEquals(3, deleteFilesIn(table));
    }

    // Time travel still sees the earlier states.
    assertEquals(setOf(ids1, ids2), warehouse.liveIds(table, beforeDeletes));
    assertEquals(150 - 5, warehouse.liveIds(table, afterSecond).size());
  }

  @ParameterizedTest
  @MethodSource("versionsAndIdTypes")
  void deleteEqualityRemovesThoseIdsInEarlierFilesOnly(int version, IdType idType) {
    Table table = warehouse.createTable("t", version, VectorType.BINARY_F32, idType);
    long[] ids1 = range(0, 60);
    long[] ids2 = range(60, 100);
    warehouse.append(table, ids1, vectors(ids1, 1));
    warehouse.append(table, ids2, vectors(ids2, 2));
    long before = table.currentSnapshot().snapshotId();

    DeleteFile eq = warehouse.deleteEquality(table, 3, 59, 60, 99, 12345);
    long after = table.currentSnapshot().snapshotId();
    assertNotEquals(before, after);
    assertEquals(FileContent.EQUALITY_DELETES, eq.content());
    assertEquals(List.of(TestWarehouse.ID_FIELD_ID), eq.equalityFieldIds());
    assertEquals(5, eq.recordCount());

    Set<Long> expected = setOf(range(0, 100));
    expected.removeAll(Set.of(3L, 59L, 60L, 99L));
    assertEquals(expected, warehouse.liveIds(table, after));
    assertEquals(expected, warehouse.liveVectors(table, after, "embedding").keySet());

    // An equality delete only applies to data committed before it: re-adding id 3 makes it live.
    long[] readded = {3};
    warehouse.append(table, readded, vectors(readded, 3));
    expected.add(3L);
    assertEquals(expected, warehouse.liveIds(table, table.currentSnapshot().snapshotId()));
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void copyOnWriteDeleteRewritesOnlyFilesHoldingTheIds(int version) {
    Table table = warehouse.createTable("t", version, VectorType.LIST_FLOAT, IdType.LONG);
    long[] ids1 = range(0, 50);
    long[] ids2 = range(50, 100);
    float[][] v1 = vectors(ids1, 1);
    float[][] v2 = vectors(ids2, 2);
    DataFile f1 = warehouse.append(table, ids1, v1);
    DataFile f2 = warehouse.append(table, ids2, v2);
    long before = table.currentSnapshot().snapshotId();

    warehouse.deleteCopyOnWrite(table, 7, 8, 30, 777);
    long after = table.currentSnapshot().snapshotId();
    assertNotEquals(before, after);
    assertEquals(DataOperations.OVERWRITE, table.currentSnapshot().operation());

    Set<Long> expected = setOf(ids1, ids2);
    expected.removeAll(Set.of(7L, 8L, 30L));
    assertEquals(expected, warehouse.liveIds(table, after));
    assertEquals(setOf(ids1, ids2), warehouse.liveIds(table, before));

    List<FileScanTask> tasks = TestWarehouse.currentTasks(table);
    assertEquals(2, tasks.size());
    Set<String> locations = new HashSet<>();
    for (FileScanTask task : tasks) {
      locations.add(task.file().location());
      assertTrue(task.deletes().isEmpty());
    }
    assertTrue(locations.contains(f2.location()), "untouched file kept");
    assertFalse(locations.contains(f1.location()), "rewritten file removed");
    DataFile rewritten =
        tasks.stream()
            .map(FileScanTask::file)
            .filter(f -> !f.location().equals(f2.location()))
            .findFirst()
            .orElseThrow();
    List<Long> expectedOrder = new ArrayList<>();
    for (long id : ids1) {
      if (id != 7 && id != 8 && id != 30) {
        expectedOrder.add(id);
      }
    }
    assertEquals(expectedOrder, warehouse.idsInFile(table, rewritten), "row order kept");

    Map<Long, float[]> expectedVectors = vectorMap(ids1, v1);
    expectedVectors.putAll(vectorMap(ids2, v2));
    expectedVectors.keySet().removeAll(Set.of(7L, 8L, 30L));
    assertVectorsEqual(expectedVectors, warehouse.liveVectors(table, after, "embedding"));

    assertThrows(IllegalArgumentException.class, () -> warehouse.deleteCopyOnWrite(table, 7, 999));
    assertEquals(after, table.currentSnapshot().snapshotId());
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void copyOnWriteDeleteKeepsRowsAlreadyDeletedByRowLevelDeletesGone(int version) {
    Table table = warehouse.createTable("t", version, VectorType.BINARY_F32, IdType.STRING);
    long[] ids = range(0, 40);
    DataFile file = warehouse.append(table, ids, vectors(ids, 1));
    warehouse.deletePositions(table, file, 1, 2);
    warehouse.deleteEquality(table, 10);

    warehouse.deleteCopyOnWrite(table, 20);
    long after = table.currentSnapshot().snapshotId();
    Set<Long> expected = setOf(ids);
    expected.removeAll(Set.of(1L, 2L, 10L, 20L));
    assertEquals(expected, warehouse.liveIds(table, after));

    List<FileScanTask> tasks = TestWarehouse.currentTasks(table);
    assertEquals(1, tasks.size());
    assertTrue(tasks.get(0).deletes().isEmpty());
    assertEquals(36, tasks.get(0).file().recordCount());
    // The file-scoped delete of the removed file is gone from the table state (DV or pos delete).
    assertEquals(0, positionDeletesIn(table));
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void overwriteReplacesAllRows(int version) {
    Table table = warehouse.createTable("t", version, VectorType.LIST_FLOAT, IdType.INT);
    long[] ids1 = range(0, 30);
    long[] ids2 = range(30, 60);
    DataFile f1 = warehouse.append(table, ids1, vectors(ids1, 1));
    warehouse.append(table, ids2, vectors(ids2, 2));
    warehouse.deletePositions(table, f1, 0);
    warehouse.deleteEquality(table, 45);
    long before = table.currentSnapshot().snapshotId();

    long[] fresh = {5, 45, 500, 501};
    float[][] freshVectors = vectors(fresh, 9);
    DataFile replacement = warehouse.overwrite(table, fresh, freshVectors);
    long after = table.currentSnapshot().snapshotId();
    assertNotEquals(before, after);

    assertEquals(setOf(fresh), warehouse.liveIds(table, after));
    assertVectorsEqual(
        vectorMap(fresh, freshVectors), warehouse.liveVectors(table, after, "embedding"));
    List<FileScanTask> tasks = TestWarehouse.currentTasks(table);
    assertEquals(1, tasks.size());
    assertEquals(replacement.location(), tasks.get(0).file().location());
    assertTrue(tasks.get(0).deletes().isEmpty());

    Set<Long> old = setOf(range(1, 60));
    old.remove(45L);
    assertEquals(old, warehouse.liveIds(table, before));
  }

  @ParameterizedTest
  @MethodSource("versionsAndVectorTypes")
  void compactKeepsLiveRowsAndLeavesNoDeleteFiles(int version, VectorType vectorType) {
    Table table = warehouse.createTable("t", version, vectorType, IdType.LONG);
    long[] ids1 = range(0, 100);
    long[] ids2 = range(100, 180);
    long[] ids3 = range(180, 200);
    DataFile f1 = warehouse.append(table, ids1, vectors(ids1, 1));
    DataFile f2 = warehouse.append(table, ids2, vectors(ids2, 2));
    warehouse.append(table, ids3, vectors(ids3, 3));
    warehouse.deletePositions(table, f1, 3, 4, 5);
    warehouse.deletePositions(table, f1, 6);
    warehouse.deletePositions(table, f2, 0);
    warehouse.deleteEquality(table, 50, 150, 190);
    long before = table.currentSnapshot().snapshotId();
    Set<Long> liveBefore = warehouse.liveIds(table, before);
    Map<Long, float[]> vectorsBefore = warehouse.liveVectors(table, before, "embedding");
    assertEquals(200 - 8, liveBefore.size());

    warehouse.compact(table);
    long after = table.currentSnapshot().snapshotId();
    assertNotEquals(before, after);
    assertEquals(DataOperations.REPLACE, table.currentSnapshot().operation());

    assertEquals(liveBefore, warehouse.liveIds(table, after));
    assertVectorsEqual(vectorsBefore, warehouse.liveVectors(table, after, "embedding"));
    List<FileScanTask> tasks = TestWarehouse.currentTasks(table);
    assertEquals(1, tasks.size());
    assertEquals(liveBefore.size(), tasks.get(0).file().recordCount());
    for (FileScanTask task : tasks) {
      assertTrue(task.deletes().isEmpty());
    }
    assertEquals(0, deleteFilesIn(table), "all delete files removed from the table state");
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void rollbackRestoresTheEarlierLiveSet(int version) {
    Table table = warehouse.createTable("t", version, VectorType.LIST_FLOAT, IdType.LONG);
    long[] ids1 = range(0, 40);
    DataFile f1 = warehouse.append(table, ids1, vectors(ids1, 1));
    long first = table.currentSnapshot().snapshotId();
    long[] ids2 = range(40, 80);
    warehouse.append(table, ids2, vectors(ids2, 2));
    warehouse.deletePositions(table, f1, 0, 1);
    warehouse.deleteCopyOnWrite(table, 60);
    long last = table.currentSnapshot().snapshotId();
    assertNotEquals(setOf(ids1), warehouse.liveIds(table, last));

    warehouse.rollbackTo(table, first);
    assertEquals(first, table.currentSnapshot().snapshotId());
    assertEquals(setOf(ids1), warehouse.liveIds(table, table.currentSnapshot().snapshotId()));
    assertEquals(first, warehouse.loadTable("t").currentSnapshot().snapshotId());
  }

  @ParameterizedTest
  @MethodSource("versionsAndVectorTypes")
  void renamedColumnKeepsFieldIdAndVectorsReadUnderNewName(int version, VectorType vectorType) {
    Table table = warehouse.createTable("t", version, vectorType, IdType.LONG);
    long[] ids1 = range(0, 30);
    float[][] v1 = vectors(ids1, 1);
    warehouse.append(table, ids1, v1);
    long beforeRename = table.currentSnapshot().snapshotId();

    warehouse.renameColumn(table, "embedding", "vec");
    assertEquals(beforeRename, table.currentSnapshot().snapshotId(), "schema change only");
    assertNull(table.schema().findField("embedding"));
    assertEquals(TestWarehouse.VECTOR_FIELD_ID, table.schema().findField("vec").fieldId());
    assertEquals("vec", TestWarehouse.vectorColumn(table));

    // The pre-rename snapshot answers under either name.
    assertVectorsEqual(vectorMap(ids1, v1), warehouse.liveVectors(table, beforeRename, "vec"));
    assertVectorsEqual(
        vectorMap(ids1, v1), warehouse.liveVectors(table, beforeRename, "embedding"));

    long[] ids2 = range(30, 50);
    float[][] v2 = vectors(ids2, 2);
    warehouse.append(table, ids2, v2);
    long afterAppend = table.currentSnapshot().snapshotId();
    Map<Long, float[]> expected = vectorMap(ids1, v1);
    expected.putAll(vectorMap(ids2, v2));
    assertVectorsEqual(expected, warehouse.liveVectors(table, afterAppend, "vec"));
    assertEquals(setOf(range(0, 50)), warehouse.liveIds(table, afterAppend));
    assertThrows(
        IllegalArgumentException.class, () -> warehouse.liveVectors(table, afterAppend, "nope"));
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void binaryVectorsRoundTripBitExactly(int version) {
    Table table = warehouse.createTable("t", version, VectorType.BINARY_F32, IdType.LONG);
    float[][] vectors = {
      {0f, -0f, 1f, -1f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE},
      {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MIN_NORMAL,
        1e-30f, 3.14159265f, -2.7182817f, 123456.79f},
      {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f}
    };
    long[] ids = {1, 2, 3};
    warehouse.append(table, ids, vectors);
    Map<Long, float[]> read =
        warehouse.liveVectors(table, table.currentSnapshot().snapshotId(), "embedding");
    assertEquals(3, read.size());
    for (int i = 0; i < ids.length; i++) {
      float[] got = read.get(ids[i]);
      assertNotNull(got);
      assertEquals(vectors[i].length, got.length);
      for (int d = 0; d < got.length; d++) {
        assertEquals(
            Float.floatToRawIntBits(vectors[i][d]), Float.floatToRawIntBits(got[d]), "dim " + d);
      }
    }
    // Stored as exactly DIM * 4 little-endian bytes.
    for (Record row : readAll(table, table.currentSnapshot().snapshotId())) {
      ByteBuffer bytes = (ByteBuffer) row.getField("embedding");
      assertEquals(DIM * Float.BYTES, bytes.remaining());
      if (TestWarehouse.logicalId(row.getField("id")) == 1) {
        assertEquals(0x3f800000, bytes.order(ByteOrder.LITTLE_ENDIAN).getInt(8));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("versionsAndVectorTypes")
  void nullVectorsAreSkippedByLiveVectorsButCountedInLiveIds(int version, VectorType vectorType) {
    Table table = warehouse.createTable("t", version, vectorType, IdType.LONG);
    long[] ids = range(0, 20);
    float[][] vectors = vectors(ids, 1);
    Set<Long> nullIds = Set.of(0L, 7L, 19L);
    for (long id : nullIds) {
      vectors[(int) id] = null;
    }
    warehouse.append(table, ids, vectors);
    long snapshot = table.currentSnapshot().snapshotId();

    assertEquals(setOf(ids), warehouse.liveIds(table, snapshot));
    Map<Long, float[]> read = warehouse.liveVectors(table, snapshot, "embedding");
    Set<Long> expectedKeys = setOf(ids);
    expectedKeys.removeAll(nullIds);
    assertEquals(expectedKeys, read.keySet());
    assertVectorsEqual(vectorMap(ids, vectors), read);
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void liveIdListKeepsDuplicateIdsAcrossFiles(int version) {
    Table table = warehouse.createTable("t", version, VectorType.LIST_FLOAT, IdType.LONG);
    long[] ids = {1, 2};
    warehouse.append(table, ids, vectors(ids, 1));
    warehouse.append(table, ids, vectors(ids, 2));
    long snapshot = table.currentSnapshot().snapshotId();
    assertEquals(
        List.of(1L, 1L, 2L, 2L), warehouse.liveIdList(table, snapshot).stream().sorted().toList());
    assertEquals(Set.of(1L, 2L), warehouse.liveIds(table, snapshot));
  }

  // --- helpers ---

  private static long[] range(long from, long to) {
    return LongStream.range(from, to).toArray();
  }

  private static Set<Long> setOf(long[]... arrays) {
    Set<Long> out = new TreeSet<>();
    for (long[] array : arrays) {
      for (long id : array) {
        out.add(id);
      }
    }
    return out;
  }

  /** Deterministic DIM-dimensional vectors, distinct per id and per seed. */
  private static float[][] vectors(long[] ids, int seed) {
    float[][] out = new float[ids.length][];
    for (int i = 0; i < ids.length; i++) {
      Random random = new Random(ids[i] * 31 + seed);
      out[i] = new float[DIM];
      for (int d = 0; d < DIM; d++) {
        out[i][d] = random.nextFloat() * 2 - 1;
      }
    }
    return out;
  }

  private static Map<Long, float[]> vectorMap(long[] ids, float[][] vectors) {
    Map<Long, float[]> out = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      if (vectors[i] != null) {
        out.put(ids[i], vectors[i]);
      }
    }
    return out;
  }

  private static void assertVectorsEqual(Map<Long, float[]> expected, Map<Long, float[]> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    for (Map.Entry<Long, float[]> e : expected.entrySet()) {
      assertArrayEquals(e.getValue(), actual.get(e.getKey()), "vector of id " + e.getKey());
    }
  }

  private static List<Record> readAll(Table table, long snapshotId) {
    List<Record> out = new ArrayList<>();
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(table).useSnapshot(snapshotId).build()) {
      rows.forEach(out::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static List<DeleteFile> deletesOf(Table table, DataFile file) {
    for (FileScanTask task : TestWarehouse.currentTasks(table)) {
      if (task.file().location().equals(file.location())) {
        return task.deletes();
      }
    }
    throw new AssertionError("file not live: " + file.location());
  }

  /** Number of delete files of any kind in the current snapshot's table state (summary). */
  private static long deleteFilesIn(Table table) {
    return Long.parseLong(
        table.currentSnapshot().summary().getOrDefault("total-delete-files", "0"));
  }

  /** Number of position-deleted rows recorded in the current table state (summary). */
  private static long positionDeletesIn(Table table) {
    return Long.parseLong(
        table.currentSnapshot().summary().getOrDefault("total-position-deletes", "0"));
  }
}
