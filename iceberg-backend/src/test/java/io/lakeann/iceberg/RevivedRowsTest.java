package io.lakeann.iceberg;

import static io.lakeann.iceberg.IcebergFixture.EXHAUSTIVE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.lakeann.core.Metric;
import java.nio.file.Path;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live positions alone bring a shard up to a snapshot: rows deleted since are masked, null
 * vectors are told apart from revived rows, and rows revived by removing a delete file are found.
 */
class RevivedRowsTest {
  @TempDir
  Path dir;

  @Test
  void rowsRevivedByRemovingADeleteFileAreFoundAgain() {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table table = wh.createTable("docs", 2, TestWarehouse.VectorType.LIST_FLOAT,
          TestWarehouse.IdType.LONG);
      float[][] rows = IcebergFixture.vectors(200, 1);
      DataFile file = wh.append(table, IcebergFixture.ids(0, 200), rows);
      DeleteFile deletes = wh.deletePositions(table, file, 0, 1, 2);
      LakeAnnTable index = IcebergFixture.indexed(table, dir.resolve("shards"), Metric.L2);
      index.build();
      table.newRowDelta().removeDeletes(deletes).commit();
      try (SnapshotIndex open = index.open(SnapshotRef.current())) {
        assertEquals(200, open.coverage().deltaRows(), "the revived file is searched exactly");
        assertEquals(197, open.coverage().maskedRows());
        for (int id = 0; id < 3; id++) {
          assertEquals((long) id, open.search(rows[id], SearchParams.topK(1)).get(0).id());
        }
      }
    }
  }

  @Test
  void nullVectorsAreNotMistakenForRevivedRowsWhenDeletesArrive() {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table table = wh.createTable("docs", 3, TestWarehouse.VectorType.LIST_FLOAT,
          TestWarehouse.IdType.LONG);
      float[][] rows = IcebergFixture.vectors(200, 1);
      rows[5] = null;
      rows[150] = null;
      DataFile file = wh.append(table, IcebergFixture.ids(0, 200), rows);
      LakeAnnTable index = IcebergFixture.indexed(table, dir.resolve("shards"), Metric.L2);
      index.build();
      wh.deletePositions(table, file, 10, 11);
      long snapshot = table.currentSnapshot().snapshotId();
      float[][] queries = IcebergFixture.queries(10);
      try (SnapshotIndex open = index.open(SnapshotRef.current())) {
        assertEquals(0, open.coverage().deltaRows(), "nothing to re-read");
        assertEquals(2, open.coverage().maskedRows());
        assertEquals(196, open.coverage().indexedRows());
        IcebergFixture.assertSameNeighbours(
            IcebergFixture.exact(wh, table, snapshot, Metric.L2, queries),
            IcebergFixture.search(open, queries, EXHAUSTIVE), wh.liveIds(table, snapshot));
        List<Long> found = IcebergFixture.idsOf(open.search(rows[10], EXHAUSTIVE));
        assertFalse(found.contains(10L));
      }
    }
  }
}
