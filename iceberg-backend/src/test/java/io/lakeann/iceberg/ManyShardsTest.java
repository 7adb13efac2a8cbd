package io.lakeann.iceberg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.IndexConfig;
import io.lakeann.core.Metric;
import java.nio.file.Path;
import java.util.List;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search over many shards costs little more than over one shard of the same rows at the same
 * recall: later shards get the k-th distance found so far as a bar and stop where nothing can
 * beat it. Work is counted in rows scanned, not time.
 */
class ManyShardsTest {
  private static final int FILES = 8;
  private static final int ROWS_PER_FILE = 1_000;

  @TempDir
  Path dir;

  /** The same rows in one shard or in {@link #FILES}; the recall and rows scanned at defaults. */
  private double[] searchAtDefaults(TestWarehouse wh, String name, long rowsPerShard,
      float[][] queries) {
    Table table = wh.createTable(name, 2, TestWarehouse.VectorType.LIST_FLOAT,
        TestWarehouse.IdType.LONG);
    for (int f = 0; f < FILES; f++) {
      wh.append(table, IcebergFixture.ids((long) f * ROWS_PER_FILE, ROWS_PER_FILE),
          IcebergFixture.vectors(ROWS_PER_FILE, 100 + f));
    }
    LakeAnnTable index = IcebergFixture.indexed(table, dir.resolve(name), Metric.L2)
        .config(IndexConfig.builder().seed(3).threads(2).build())
        .targetRowsPerShard(rowsPerShard);
    BuildResult built = index.build();
    long snapshot = table.currentSnapshot().snapshotId();
    try (SnapshotIndex open = index.open(SnapshotRef.current())) {
      List<List<Long>> found = IcebergFixture.search(open, queries, IcebergFixture.DEFAULTS);
      double recall = IcebergFixture.recall(
          IcebergFixture.exact(wh, table, snapshot, Metric.L2, queries), found);
      return new double[] {built.bundle().manifest().shards().size(), recall,
          open.rowsScanned()};
    }
  }

  @Test
  void eightShardsScanFarFewerThanEightTimesTheRowsOfOneAtTheSameRecall() {
    float[][] queries = IcebergFixture.queries(100);
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      double[] one = searchAtDefaults(wh, "one", FILES * ROWS_PER_FILE, queries);
      double[] many = searchAtDefaults(wh, "many", ROWS_PER_FILE, queries);

      assertEquals(1, (int) one[0]);
      assertEquals(FILES, (int) many[0]);
      assertTrue(one[1] >= 0.95 && many[1] >= 0.95, "recall: one shard " + one[1]
          + ", " + FILES + " shards " + many[1]);
      assertTrue(many[2] <= 3 * one[2], FILES + " shards scanned " + many[2]
          + " rows, one shard " + one[2]);
    }
  }
}
