package io.lakeann.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.Metric;
import io.lakeann.iceberg.BuildResult;
import io.lakeann.iceberg.BundleStore;
import io.lakeann.iceberg.RegisteredBundle;
import io.lakeann.iceberg.ShardCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;

/**
 * One byte of one shard changed inside the registered statistics file: joins still answer
 * exactly (that shard's rows searched exactly, the damage reported), a plain build does not
 * look, and a repair build rebuilds exactly the damaged shard.
 */
class DamagedIndexTest extends LocalSparkTest {
  static final int K = 10;
  static final float[][] QUERIES = SparkFixture.vectors(40, 9);
  static final String TABLE = "lake.db.damaged";


  @Test
  void aDamagedShardIsSearchedExactlyUntilARepairBuildRebuildsIt() throws IOException {
    SparkFixture.createDocs(spark, TABLE, 3, 300);
    BuildResult built = build().run();
    assertEquals(3, built.bundle().manifest().shards().size());
    Path stats = SparkFixture.damage(built.bundle(), 1);

    // The local file system's checksum notices first: the shard cannot be read.
    JoinStats unreadable = assertJoinIsExact();
    assertEquals(1, unreadable.damagedShards(), unreadable.toString());
    assertEquals(300, unreadable.deltaRows(), "shard 1's rows searched exactly: " + unreadable);
    assertEquals(600, unreadable.indexedRows(), unreadable.toString());

    // Without it (as on object storage), the shard's own hashes refuse it.
    Files.delete(stats.resolveSibling("." + stats.getFileName() + ".crc"));
    JoinStats damaged = assertJoinIsExact();
    assertEquals(1, damaged.damagedShards(), damaged.toString());
    assertEquals(300, damaged.deltaRows(), damaged.toString());
    List<ShardCheck> checks = verify(built.bundle());
    assertFalse(checks.get(1).ok());
    assertTrue(checks.get(1).problem().contains("hash mismatch"), checks.get(1).problem());
    assertTrue(checks.get(0).ok() && checks.get(2).ok(), checks.toString());

    assertTrue(build().run().alreadyRegistered(), "a plain build does not read the shards");
    BuildResult repaired = build().repair(true).run();
    assertFalse(repaired.alreadyRegistered(), repaired.toString());
    assertEquals(1, repaired.shardsRepaired(), repaired.toString());
    assertEquals(1, repaired.shardsBuilt(), repaired.toString());
    assertEquals(2, repaired.shardsReused(), repaired.toString());
    assertNotEquals(built.bundle().statisticsPath(), repaired.bundle().statisticsPath());
    assertEquals(built.bundle().snapshotId(), repaired.bundle().snapshotId());
    assertTrue(verify(repaired.bundle()).stream().allMatch(ShardCheck::ok));

    JoinStats healed = assertJoinIsExact();
    assertEquals(0, healed.damagedShards(), healed.toString());
    assertEquals(900, healed.indexedRows(), healed.toString());
    BuildResult again = build().repair(true).run();
    assertTrue(again.alreadyRegistered(), "an intact bundle is left as it is: " + again);
    assertEquals(0, again.shardsRepaired());
  }

  private static BuildJob build() {
    return LakeAnn.build(spark, TABLE).column("embedding").id("doc_id").metric(Metric.L2)
        .targetRowsPerShard(300);
  }

  private static List<ShardCheck> verify(RegisteredBundle bundle) {
    Table table = SparkTables.load(spark, TABLE);
    return ShardCheck.verifyAll(new BundleStore(table, BundleStore.DEFAULT_PART_BYTES), bundle, 2);
  }

  private static JoinStats assertJoinIsExact() {
    return SparkFixture.assertJoinIsExact(spark, TABLE, QUERIES, K);
  }

}
