package io.lakeann.iceberg;

import static io.lakeann.iceberg.IcebergFixture.DEFAULTS;
import static io.lakeann.iceberg.IcebergFixture.EXHAUSTIVE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.Metric;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invariant 1 (never stale) on real Iceberg tables, format v2 and v3: after each kind of change,
 * a search of the new snapshot through the old bundle (masks plus exact delta), through a
 * refreshed bundle and through a bundle built from scratch all equal exact search over the
 * snapshot's live rows; no removed id is ever returned and every added row is found.
 */
class SnapshotChangeTest {
  @TempDir
  Path dir;

  enum Change {
    APPEND, OVERWRITE, COPY_ON_WRITE_DELETE, POSITION_DELETE, EQUALITY_DELETE, ROLLBACK,
    RENAME_COLUMN, COMPACTION
  }

  static Stream<Arguments> changes() {
    List<Arguments> out = new ArrayList<>();
    for (int version : new int[] {2, 3}) {
      for (Change change : Change.values()) {
        out.add(Arguments.of(version, change));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "v{0} {1}")
  @MethodSource("changes")
  void searchAfterChangeEqualsExactSearchOfTheNewSnapshot(int version, Change change) {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table table = wh.createTable("docs", version, TestWarehouse.VectorType.LIST_FLOAT,
          TestWarehouse.IdType.LONG);
      DataFile first = wh.append(table, IcebergFixture.ids(0, 300), IcebergFixture.vectors(300, 1));
      wh.append(table, IcebergFixture.ids(300, 300), IcebergFixture.vectors(300, 2));
      wh.append(table, IcebergFixture.ids(600, 300), IcebergFixture.vectors(300, 3));
      LakeAnnTable index = IcebergFixture.indexed(table, dir.resolve("shards"), Metric.L2);
      BuildResult built = index.build();
      long before = built.bundle().snapshotId();
      assertEquals(2, built.shardsBuilt(), "900 rows at 700 per shard");

      float[][] added = IcebergFixture.vectors(50, 4);
      long[] removed = apply(wh, table, change, first, added);
      table.refresh();
      long after = table.currentSnapshot().snapshotId();
      if (change != Change.RENAME_COLUMN && change != Change.ROLLBACK) {
        assertNotEquals(before, after);
      }
      index = index.column(TestWarehouse.vectorColumn(table));
      float[][] queries = IcebergFixture.queries(30);
      Set<Long> live = wh.liveIds(table, after);
      List<List<Long>> exact = IcebergFixture.exact(wh, table, after, Metric.L2, queries);

      try (SnapshotIndex viaOld = index.open(SnapshotRef.current())) {
        Coverage c = viaOld.coverage();
        assertEquals(after, c.snapshotId());
        assertEquals(live.size(), c.indexedRows() + c.deltaRows(), "every live row counted once");
        IcebergFixture.assertSameNeighbours(exact, IcebergFixture.search(viaOld, queries,
            EXHAUSTIVE), live);
        assertRemovedNeverFound(viaOld, table, wh, removed);
        assertAddedFound(viaOld, change, added);
        assertTrue(IcebergFixture.recall(exact, IcebergFixture.search(viaOld, queries, DEFAULTS)) >= 0.9);
      }

      BuildResult refreshed = index.build();
      assertEquals(after, refreshed.bundle().snapshotId());
      try (SnapshotIndex viaRefresh = index.open(SnapshotRef.current())) {
        assertEquals(0, viaRefresh.coverage().deltaRows());
        assertEquals(after, viaRefresh.coverage().bundleSnapshotId());
        IcebergFixture.assertSameNeighbours(exact, IcebergFixture.search(viaRefresh, queries,
            EXHAUSTIVE), live);
        assertRemovedNeverFound(viaRefresh, table, wh, removed);
      }
    }
  }

  /** Applies the change; returns ids the new snapshot no longer holds. */
  private static long[] apply(TestWarehouse wh, Table table, Change change, DataFile first,
      float[][] added) {
    switch (change) {
      case APPEND:
        wh.append(table, IcebergFixture.ids(900, added.length), added);
        return new long[0];
      case OVERWRITE:
        wh.overwrite(table, IcebergFixture.ids(900, added.length), added);
        return IcebergFixture.ids(0, 900);
      case COPY_ON_WRITE_DELETE:
        wh.deleteCopyOnWrite(table, 5, 6, 7, 650);
        return new long[] {5, 6, 7, 650};
      case POSITION_DELETE:
        wh.deletePositions(table, first, 0, 1, 2, 100);
        wh.deletePositions(table, first, 3, 200);
        return new long[] {0, 1, 2, 3, 100, 200};
      case EQUALITY_DELETE:
        wh.deleteEquality(table, 10, 11, 400, 899);
        return new long[] {10, 11, 400, 899};
      case ROLLBACK: {
        long base = table.currentSnapshot().snapshotId();
        wh.append(table, IcebergFixture.ids(900, added.length), added);
        wh.rollbackTo(table, base);
        return IcebergFixture.ids(900, added.length);
      }
      case RENAME_COLUMN:
        wh.renameColumn(table, TestWarehouse.vectorColumn(table), "vec_renamed");
        wh.append(table, IcebergFixture.ids(900, added.length), added);
        return new long[0];
      case COMPACTION:
        wh.deletePositions(table, first, 8, 9);
        wh.compact(table);
        return new long[] {8, 9};
      default:
        throw new AssertionError(change);
    }
  }

  /** Searching with a removed row's own vector never returns that row. */
  private static void assertRemovedNeverFound(SnapshotIndex index, Table table, TestWarehouse wh,
      long[] removed) {
    if (removed.length == 0) {
      return;
    }
    long oldest = firstSnapshot(table);
    var vectors = wh.liveVectors(table, oldest, TestWarehouse.vectorColumn(table));
    for (long id : removed) {
      float[] v = vectors.get(id);
      if (v == null) {
        continue;
      }
      List<Long> found = IcebergFixture.idsOf(index.search(v, EXHAUSTIVE));
      assertFalse(found.contains(id), "removed id " + id + " was returned");
    }
  }

  /** Searching with an added row's own vector returns that row first. */
  private static void assertAddedFound(SnapshotIndex index, Change change, float[][] added) {
    if (change != Change.APPEND && change != Change.OVERWRITE && change != Change.RENAME_COLUMN) {
      return;
    }
    for (int i = 0; i < added.length; i += 7) {
      List<Hit> hits = index.search(added[i], SearchParams.topK(1));
      assertEquals(900L + i, IcebergFixture.idsOf(hits).get(0), "added row " + (900 + i));
    }
  }

  private static long firstSnapshot(Table table) {
    long first = Long.MAX_VALUE;
    long firstSeq = Long.MAX_VALUE;
    for (var s : table.snapshots()) {
      if (s.sequenceNumber() < firstSeq) {
        firstSeq = s.sequenceNumber();
        first = s.snapshotId();
      }
    }
    return first;
  }
}
