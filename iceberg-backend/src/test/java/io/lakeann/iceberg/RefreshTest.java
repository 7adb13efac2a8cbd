package io.lakeann.iceberg;

import static io.lakeann.iceberg.IcebergFixture.EXHAUSTIVE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.Metric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Refresh builds only what changed, and builds are deterministic. */
class RefreshTest {
  @TempDir
  Path dir;

  private static List<ShardEntry> shards(BuildResult r) {
    return r.bundle().manifest().shards();
  }

  @Test
  void refreshAfterAnAppendReusesEveryOldShardAndBuildsOnlyTheNewFiles() {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table table = wh.createTable("docs", 2, TestWarehouse.VectorType.LIST_FLOAT,
          TestWarehouse.IdType.LONG);
      for (int f = 0; f < 3; f++) {
        wh.append(table, IcebergFixture.ids(f * 300L, 300), IcebergFixture.vectors(300, f));
      }
      LakeAnnTable index = IcebergFixture.indexed(table, dir.resolve("shards"), Metric.L2);
      BuildResult first = index.build();
      wh.append(table, IcebergFixture.ids(900, 300), IcebergFixture.vectors(300, 9));
      BuildResult second = index.build();
      assertEquals(2, second.shardsReused());
      assertEquals(1, second.shardsBuilt());
      assertEquals(300, second.rowsRead(), "only the new file is read");
      assertEquals(0, index.shardCache().stats().loads(), "reused shards are copied, not loaded");
      assertEquals(shards(first).get(0).witness(), shards(second).get(0).witness());
      assertEquals(shards(first).get(1).witness(), shards(second).get(1).witness());
      assertEquals(1200, second.bundle().manifest().liveRows());
    }
  }

  @Test
  void refreshRemasksAShardWhoseFileGainedFewDeletesAndRebuildsOneThatLostMany() {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table table = wh.createTable("docs", 3, TestWarehouse.VectorType.LIST_FLOAT,
          TestWarehouse.IdType.LONG);
      DataFile a = wh.append(table, IcebergFixture.ids(0, 300), IcebergFixture.vectors(300, 1));
      DataFile b = wh.append(table, IcebergFixture.ids(300, 300), IcebergFixture.vectors(300, 2));
      LakeAnnTable index = IcebergFixture.indexed(table, dir.resolve("shards"), Metric.L2)
          .targetRowsPerShard(300);
      index.build();
      wh.deletePositions(table, a, 1, 2, 3);
      long[] many = new long[120];
      for (int i = 0; i < many.length; i++) {
        many[i] = i * 2L;
      }
      wh.deletePositions(table, b, many);
      BuildResult refreshed = index.build();
      assertEquals(1, refreshed.shardsRemasked(), "3 of 300 rows masked: keep the shard");
      assertEquals(1, refreshed.shardsBuilt(), "120 of 300 rows deleted: rebuild");
      ShardEntry remasked = shards(refreshed).get(0);
      assertEquals(3, remasked.maskedRows());
      assertEquals(297 + 180, refreshed.bundle().manifest().liveRows());
      long snapshot = table.currentSnapshot().snapshotId();
      float[][] queries = IcebergFixture.queries(20);
      try (SnapshotIndex open = index.open(SnapshotRef.current())) {
        assertEquals(snapshot, open.coverage().bundleSnapshotId());
        assertEquals(3, open.coverage().maskedRows());
        IcebergFixture.assertSameNeighbours(
            IcebergFixture.exact(wh, table, snapshot, Metric.L2, queries),
            IcebergFixture.search(open, queries, EXHAUSTIVE), wh.liveIds(table, snapshot));
      }
    }
  }

  @Test
  void aRefreshIsDueOnceMoreThanATenthOfTheRowsAreSearchedExactlyHoweverFew() {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table table = docs300(wh);
      LakeAnnTable index = IcebergFixture.indexed(table, dir.resolve("shards"), Metric.L2);
      index.build();
      wh.append(table, IcebergFixture.ids(300, 30), IcebergFixture.vectors(30, 2));
      try (SnapshotIndex open = index.open(SnapshotRef.current())) {
        assertFalse(open.coverage().refreshDue(), "30 of 330 rows: " + open.coverage());
      }
      wh.append(table, IcebergFixture.ids(330, 10), IcebergFixture.vectors(10, 3));
      try (SnapshotIndex open = index.open(SnapshotRef.current())) {
        assertEquals(40, open.coverage().deltaRows());
        assertTrue(open.coverage().refreshDue(), "40 of 340 rows: " + open.coverage());
      }
    }
  }

  /** A new table of 300 rows in one file, ids 0 to 299. */
  private static Table docs300(TestWarehouse wh) {
    Table table = wh.createTable("docs", 2, TestWarehouse.VectorType.LIST_FLOAT,
        TestWarehouse.IdType.LONG);
    wh.append(table, IcebergFixture.ids(0, 300), IcebergFixture.vectors(300, 1));
    return table;
  }

  @Test
  void aLookupReportsThatARefreshIsDueOnceTheDeltaPassesTheLimit() {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table table = docs300(wh);
      LakeAnnTable index = IcebergFixture.indexed(table, dir.resolve("shards"), Metric.L2)
          .maxDeltaRows(25);
      index.build();
      wh.append(table, IcebergFixture.ids(300, 20), IcebergFixture.vectors(20, 2));
      try (SnapshotIndex open = index.open(SnapshotRef.current())) {
        assertFalse(open.coverage().refreshDue());
      }
      wh.append(table, IcebergFixture.ids(320, 20), IcebergFixture.vectors(20, 3));
      try (SnapshotIndex open = index.open(SnapshotRef.current())) {
        assertEquals(40, open.coverage().deltaRows());
        assertTrue(open.coverage().refreshDue());
      }
    }
  }

  @Test
  void appendedFilesNeverMoveOlderFilesToOtherShards() {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table table = wh.createTable("docs", 2, TestWarehouse.VectorType.LIST_FLOAT,
          TestWarehouse.IdType.LONG);
      for (int f = 0; f < 5; f++) {
        wh.append(table, IcebergFixture.ids(f * 100L, 100), IcebergFixture.vectors(100, f));
      }
      ShardPlanner planner = new ShardPlanner(250);
      List<ShardPlanner.PlannedShard> before = planner.plan(TestWarehouse.currentTasks(table));
      wh.append(table, IcebergFixture.ids(500, 100), IcebergFixture.vectors(100, 5));
      List<ShardPlanner.PlannedShard> after = planner.plan(TestWarehouse.currentTasks(table));
      assertEquals(List.of(2, 2, 1), before.stream().map(s -> s.tasks().size()).toList());
      assertEquals(List.of(2, 2, 2), after.stream().map(s -> s.tasks().size()).toList());
      for (int s = 0; s < 2; s++) {
        assertEquals(locations(before.get(s)), locations(after.get(s)), "shard " + s);
      }
    }
  }

  @Test
  void aSmallFileJoinsTheNextOneRatherThanMakeASmallShard() {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table table = wh.createTable("docs", 2, TestWarehouse.VectorType.LIST_FLOAT,
          TestWarehouse.IdType.LONG);
      int[] sizes = {10, 900, 1000, 300};
      long first = 0;
      for (int f = 0; f < sizes.length; f++) {
        wh.append(table, IcebergFixture.ids(first, sizes[f]), IcebergFixture.vectors(sizes[f], f));
        first += sizes[f];
      }
      List<ShardPlanner.PlannedShard> shards = new ShardPlanner(500)
          .plan(TestWarehouse.currentTasks(table));
      assertEquals(List.of(910L, 1000L, 300L), shards.stream().map(s -> s.tasks().stream()
          .mapToLong(t -> t.file().recordCount()).sum()).toList());
    }
  }

  private static List<String> locations(ShardPlanner.PlannedShard shard) {
    return shard.tasks().stream().map(t -> t.file().location()).toList();
  }

  @Test
  void shardsAreByteIdenticalWhateverTheThreadCount() throws Exception {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table table = wh.createTable("docs", 2, TestWarehouse.VectorType.BINARY_F32,
          TestWarehouse.IdType.STRING);
      wh.append(table, IcebergFixture.ids(0, 400), IcebergFixture.vectors(400, 1));
      ColumnBinding binding = ColumnBinding.resolve(table.name(), table.schema(), "embedding",
          "id");
      ShardRows rows = new ShardReader(table.io(), table.schema(), binding)
          .read(TestWarehouse.currentTasks(table), 0);
      long snapshot = table.currentSnapshot().snapshotId();
      String uuid = table.uuid().toString();
      BuiltShard one = new ShardBuilder(uuid, IcebergFixture.config(Metric.COSINE).toBuilder()
          .threads(1).build()).build(rows, null, snapshot, dir.resolve("one.rbpx"));
      BuiltShard two = new ShardBuilder(uuid, IcebergFixture.config(Metric.COSINE).toBuilder()
          .threads(2).build()).build(rows, null, snapshot, dir.resolve("two.rbpx"));
      assertEquals(one.entry().witness(), two.entry().witness());
      assertArrayEquals(Files.readAllBytes(one.file()), Files.readAllBytes(two.file()));
      BuiltShard otherSeed = new ShardBuilder(uuid, IcebergFixture.config(Metric.COSINE)
          .toBuilder().seed(4).build()).build(rows, null, snapshot, dir.resolve("three.rbpx"));
      assertNotEquals(one.entry().witness(), otherSeed.entry().witness());
    }
  }
}
