package io.lakeann.iceberg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.Metric;
import io.lakeann.core.cache.IndexCache;
import io.lakeann.core.cache.Lease;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local directory of shard copies stays within its byte bound: a new copy that brings it
 * over deletes the least recently used others, and a deleted copy is fetched again when needed.
 */
class ShardDirectoryTest {
  @TempDir
  Path dir;

  @Test
  void newCopiesEvictTheLeastRecentlyUsedOnes() throws IOException {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table table = wh.createTable("docs", 2, TestWarehouse.VectorType.LIST_FLOAT,
          TestWarehouse.IdType.LONG);
      for (int f = 0; f < 3; f++) {
        wh.append(table, IcebergFixture.ids(700L * f, 700), IcebergFixture.vectors(700, f + 1));
      }
      LakeAnnTable index = IcebergFixture.indexed(table, dir.resolve("build"), Metric.L2);
      RegisteredBundle bundle = index.build().bundle();
      List<ShardEntry> shards = bundle.manifest().shards();
      assertEquals(3, shards.size());
      long largest = shards.stream().mapToLong(ShardEntry::bytes).max().orElseThrow();
      long bound = 2 * largest + largest / 2;
      Path copies = dir.resolve("copies");
      // A cache of budget 0 keeps nothing, so every lease loads from the directory.
      ShardCache cache = new ShardCache(new IndexCache<>(0), copies, bound, 2);

      load(cache, index, bundle, 0, 1, 2);
      assertEquals(Set.of(1, 2), held(copies, shards), "shard 0 was the least recently used");
      load(cache, index, bundle, 1, 0);
      assertEquals(Set.of(0, 1), held(copies, shards), "shard 1 was used again, shard 2 not");
      assertTrue(bytes(copies) <= bound, bytes(copies) + " > " + bound);
    }
  }

  private static void load(ShardCache cache, LakeAnnTable index, RegisteredBundle bundle,
      int... shards) {
    for (int s : shards) {
      try (Lease<Object> lease = cache.acquire(index.store(), bundle, s)) {
        assertEquals(bundle.manifest().shards().get(s).rows(),
            ((ShardCache.LoadedShard) lease.value()).file().index().size());
      }
    }
  }

  /** The shards whose copies the directory holds. */
  private static Set<Integer> held(Path copies, List<ShardEntry> shards) throws IOException {
    try (Stream<Path> files = Files.list(copies)) {
      Set<String> names = files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
      Set<Integer> out = new java.util.TreeSet<>();
      for (int s = 0; s < shards.size(); s++) {
        if (names.contains(shards.get(s).witness() + ".rbpx")) {
          out.add(s);
        }
      }
      return out;
    }
  }

  private static long bytes(Path copies) throws IOException {
    try (Stream<Path> files = Files.list(copies)) {
      return files.mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
