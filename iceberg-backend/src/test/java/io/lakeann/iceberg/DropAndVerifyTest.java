package io.lakeann.iceberg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.Metric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.iceberg.StatisticsFile;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dropping a column's index (every bundle unregistered, their files deleted, others' blobs kept)
 * and verifying every shard of a registered bundle straight from its Puffin blobs.
 */
class DropAndVerifyTest {
  @TempDir
  Path dir;

  @Test
  void dropUnregistersEveryBundleDeletesItsFilesAndKeepsOthersBlobs() throws IOException {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table table = docs(wh, 900);
      LakeAnnTable index = IcebergFixture.indexed(table, dir.resolve("shards"), Metric.L2);
      index.build();
      wh.append(table, IcebergFixture.ids(900, 100), IcebergFixture.vectors(100, 2));
      table.refresh();
      long second = table.currentSnapshot().snapshotId();
      BundleLifecycleTest.registerForeignStatistics(table, second);
      index.build();
      table.refresh();
      List<String> before = table.statisticsFiles().stream().map(StatisticsFile::path).toList();
      assertEquals(2, before.size());

      BundleStore.Dropped dropped = index.store().drop(TestWarehouse.VECTOR_FIELD_ID);

      assertEquals(2, dropped.bundles());
      assertEquals(before.stream().sorted().toList(),
          dropped.deletedFiles().stream().sorted().toList());
      for (String path : before) {
        assertFalse(Files.exists(BundleLifecycleTest.local(path)), path + " is deleted");
      }
      table.refresh();
      assertTrue(index.bundles().isEmpty(), "no bundle left");
      assertEquals(List.of(), index.store().indexedFields());
      assertThrows(NoIndexException.class, () -> index.open(SnapshotRef.current()));
      // The other engine's blobs of the second snapshot stay registered, in a new file.
      List<StatisticsFile> left = table.statisticsFiles();
      assertEquals(1, left.size());
      assertEquals(second, left.get(0).snapshotId());
      assertEquals(2, left.get(0).blobMetadata().size());
      assertTrue(Files.exists(BundleLifecycleTest.local(left.get(0).path())));

      assertEquals(0, index.store().drop(TestWarehouse.VECTOR_FIELD_ID).bundles(),
          "dropping again is a no-op");
    }
  }

  @Test
  void verifyReadsEveryShardAndReportsTheDamagedOne() throws IOException {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table table = docs(wh, 700);
      wh.append(table, IcebergFixture.ids(700, 700), IcebergFixture.vectors(700, 2));
      LakeAnnTable index = IcebergFixture.indexed(table, dir.resolve("shards"), Metric.L2);
      RegisteredBundle bundle = index.build().bundle();
      int shards = bundle.manifest().shards().size();
      assertTrue(shards >= 2, "several shards: " + shards);

      List<ShardCheck> clean = ShardCheck.verifyAll(index.store(), bundle, dir, 2);
      assertEquals(shards, clean.size());
      for (ShardCheck check : clean) {
        assertNull(check.problem(), "shard " + check.shard());
        assertEquals(bundle.manifest().shards().get(check.shard()).witness(), check.witness());
      }

      RegisteredBundle.BlobRange part = bundle.shardBlobs().get(1).get(0);
      BundleLifecycleTest.flipByte(BundleLifecycleTest.local(bundle.statisticsPath()),
          part.offset() + part.length() / 2);

      List<ShardCheck> damaged = ShardCheck.verifyAll(index.store(), bundle, dir, 2);
      assertTrue(damaged.get(0).ok(), "shard 0 is untouched: " + damaged.get(0));
      assertFalse(damaged.get(1).ok(), "shard 1 is refused");
      assertTrue(damaged.get(1).problem().contains("hash"), damaged.get(1).problem());
      try (var files = Files.list(dir)) {
        assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith("verify-")),
            "the copies are deleted");
      }
    }
  }

  private static Table docs(TestWarehouse wh, int rows) {
    Table table = wh.createTable("docs", 2, TestWarehouse.VectorType.LIST_FLOAT,
        TestWarehouse.IdType.LONG);
    wh.append(table, IcebergFixture.ids(0, rows), IcebergFixture.vectors(rows, 1));
    return table;
  }
}
