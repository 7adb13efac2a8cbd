package io.lakeann.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.Metric;
import io.lakeann.core.cache.CacheStats;
import io.lakeann.core.cache.IndexCache;
import io.lakeann.core.cache.Lease;
import io.lakeann.iceberg.BuildResult;
import io.lakeann.iceberg.BundleStore;
import io.lakeann.iceberg.ColumnBinding;
import io.lakeann.iceberg.JoinPlanner;
import io.lakeann.iceberg.RegisteredBundle;
import io.lakeann.iceberg.ShardCache;
import io.lakeann.iceberg.ShardReader;
import io.lakeann.iceberg.ShardView;
import io.lakeann.iceberg.SnapshotPlan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import org.apache.iceberg.Table;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One executor JVM whose cache budget ({@code lakeann.cache.bytes}) holds two of a table's five
 * shards with their states at the snapshot, and not three. Two tables of five shards each are
 * built locally first, where their sizes are measured; then a one-core executor joins: all five
 * shards of the first table (each loaded once, three evicted on the way), then a scripted
 * sequence of filtered joins on the second, each touching two shards. Every join's answer is the
 * exact one, the budget held (the cache's peak bytes), and the hits, misses, loads and evictions
 * of each table and kind, read through {@link ExecutorCaches} (SQL's {@code cache_stats}), are
 * exactly what least-recently-used eviction under that budget gives.
 */
class CacheBudgetTest {
  static final String FIRST = "lake.db.first";
  static final String SECOND = "lake.db.second";
  static final int ROWS = 1000;
  static final int FILES = 5;
  static final int K = 5;
  static final float[][] QUERIES = SparkFixture.vectors(20, 77);

  @TempDir
  static Path dir;

  static long budget;
  static long shardMin;
  static long shardMax;
  static JoinStats allFive;
  static final List<JoinStats> script = new ArrayList<>();
  static final List<Boolean> exactAnswers = new ArrayList<>();
  static CacheStats total;
  static Map<String, CacheStats> first;
  static Map<String, CacheStats> second;

  @BeforeAll
  static void buildLocallyThenJoinOnOneExecutorUnderABudget() throws Exception {
    Map<Long, float[]> rows = new HashMap<>();
    long viewBytes;
    SparkSession local = SparkFixture.localSession(dir);
    try {
      for (String table : List.of(FIRST, SECOND)) {
        SparkFixture.createDocs(local, table, 2);
        for (int f = 0; f < FILES; f++) {
          float[][] vectors = SparkFixture.vectors(ROWS, 100 + f);
          SparkFixture.append(local, table, (long) f * ROWS, vectors);
          for (int i = 0; i < ROWS; i++) {
            rows.put((long) f * ROWS + i, vectors[i]);
          }
        }
        BuildResult built = LakeAnn.build(local, table).column("embedding").id("doc_id")
            .metric(Metric.L2).targetRowsPerShard(ROWS).run();
        assertEquals(FILES, built.shardsBuilt(), "a shard per data file: " + built);
      }
      long[] sizes = measure(SparkTables.load(local, FIRST));
      shardMin = sizes[0];
      shardMax = sizes[1];
      viewBytes = sizes[2];
    } finally {
      local.stop();
    }
    // Two shards with their states fit; a third does not, nor a shard beside a lone state.
    budget = 2 * (shardMax + viewBytes) + viewBytes / 2;
    assertTrue(3 * shardMin > budget, "shards too unequal for the script: " + shardMin + " and "
        + shardMax + " against " + budget);

    System.out.printf("CacheBudgetTest: shards %d..%d bytes, a state %d bytes, budget %d bytes%n",
        shardMin, shardMax, viewBytes, budget);
    SparkSession cluster = SparkFixture.localCluster(dir,
        SparkFixture.builder(dir.resolve("wh"), "local-cluster[1,1,1024]"), 1,
        "-D" + IndexCache.BUDGET_PROPERTY + "=" + budget);
    try {
      allFive = join(cluster, FIRST, null, rows, id -> true);
      script.add(join(cluster, SECOND, "doc_id < 2000", rows, id -> id < 2000));
      script.add(join(cluster, SECOND, "doc_id < 2000", rows, id -> id < 2000));
      script.add(join(cluster, SECOND, "doc_id >= 2000 AND doc_id < 4000", rows,
          id -> id >= 2000 && id < 4000));
      script.add(join(cluster, SECOND, "doc_id < 2000", rows, id -> id < 2000));
      List<ExecutorCaches.JvmCache> jvms = ExecutorCaches.collect(cluster);
      assertEquals(2, jvms.size(), "the driver and one executor: " + jvms);
      ExecutorCaches.JvmCache executor = jvms.get(1);
      assertTrue(executor.answered(), executor.toString());
      total = executor.stats();
      first = executor.of(SparkTables.load(cluster, FIRST).name());
      second = executor.of(SparkTables.load(cluster, SECOND).name());
    } finally {
      cluster.stop();
    }
  }

  /** The smallest and largest shard of {@code table} in a cache's bytes, and one state's. */
  private static long[] measure(Table table) {
    BundleStore store = new BundleStore(table, BundleStore.DEFAULT_PART_BYTES);
    IndexCache<Object> cache = new IndexCache<>(Long.MAX_VALUE);
    ShardCache shards = new ShardCache(cache, dir.resolve("measured"), 1);
    long snapshot = table.currentSnapshot().snapshotId();
    int field = ColumnBinding.vectorField(table.name(), table.schema(), "embedding").fieldId();
    SnapshotPlan plan = JoinPlanner.plan(table, snapshot, field, store, null, null);
    RegisteredBundle bundle = plan.bundle();
    ShardReader reader = new ShardReader(table.io(), table.schema(), plan.binding());
    long min = Long.MAX_VALUE;
    long max = 0;
    long state = 0;
    for (SnapshotPlan.Shard shard : plan.shards()) {
      long before = cache.stats().bytes();
      try (Lease<Object> lease = shards.acquire(store, bundle, shard.index())) {
        long bytes = cache.stats().bytes() - before;
        min = Math.min(min, bytes);
        max = Math.max(max, bytes);
        state = Math.max(state, ShardView.state(reader, lease, plan, shard.index()).bytes());
      }
    }
    return new long[] {min, max, state};
  }

  /**
   * An exact join of {@link #QUERIES} (one block) against {@code table} under {@code filter};
   * records whether its answer is the exact answer over the rows {@code matching} allows.
   */
  private static JoinStats join(SparkSession spark, String table, String filter,
      Map<Long, float[]> rows, LongPredicate matching) {
    AnnJoin join = LakeAnn.annJoin(SparkFixture.queries(spark, QUERIES).coalesce(1), "qvec")
        .against(table, "embedding").k(K).nprobe(Integer.MAX_VALUE).epsilon(1000f);
    JoinResult result = (filter == null ? join : join.filter(filter)).run();
    Map<Long, float[]> allowed = new HashMap<>();
    rows.forEach((id, v) -> {
      if (matching.test(id)) {
        allowed.put(id, v);
      }
    });
    List<List<Long>> exact = SparkFixture.exact(allowed, QUERIES, K, Metric.L2);
    Map<Integer, List<Long>> found = SparkFixture.neighbours(result.rows());
    List<List<Long>> byQuery = new ArrayList<>();
    for (int q = 0; q < QUERIES.length; q++) {
      byQuery.add(found.get(q));
    }
    exactAnswers.add(exact.equals(byQuery));
    result.unpersist();
    return result.stats();
  }

  @Test
  void everyJoinUnderTheBudgetReturnsTheExactAnswer() {
    assertEquals(List.of(true, true, true, true, true), exactAnswers);
  }

  @Test
  void theBudgetIsNeverExceededAndTwoShardsWithTheirStatesWereHeld() {
    assertEquals(budget, total.budgetBytes());
    assertTrue(total.peakBytes() <= budget, total.toString());
    assertTrue(total.peakBytes() >= 2 * shardMin, "two shards were resident at once: " + total);
    assertTrue(total.bytes() <= budget, total.toString());
    assertEquals(0, total.bypasses(), "everything fitted once the least recent left: " + total);
  }

  @Test
  void aJoinOverAllFiveShardsLoadsEachOnceAndEvictsThree() {
    assertEquals(5, allFive.shards());
    assertEquals(List.of(5L, 0L, 5L, 0L),
        List.of(allFive.loads(), allFive.cacheHits(), allFive.viewLoads(), allFive.viewHits()));
    // The second table's first join evicted the first table's last two shards and states.
    assertEquals(List.of(0L, 5L, 5L, 5L, 0L, 0L), counters(first.get("shard")));
    assertEquals(List.of(0L, 5L, 5L, 5L, 0L, 0L), counters(first.get("view")));
  }

  @Test
  void scriptedJoinsHitWhatIsResidentAndLoadWhatWasEvicted() {
    List<List<Long>> perJoin = new ArrayList<>();
    for (JoinStats s : script) {
      assertEquals(2, s.shards(), "the filter prunes the other three shards: " + s);
      perJoin.add(List.of(s.loads(), s.cacheHits(), s.viewLoads(), s.viewHits()));
    }
    assertEquals(List.of(
        List.of(2L, 0L, 2L, 0L), // cold: the first table's entries make room
        List.of(0L, 2L, 0L, 2L), // the same join again: all resident
        List.of(2L, 0L, 2L, 0L), // two other shards: the first two leave
        List.of(2L, 0L, 2L, 0L)), // the first two again: evicted, so loaded again
        perJoin);
    // hits, misses, loads, evictions, entries, bytes resident only while two pairs are
    CacheStats shards = second.get("shard");
    CacheStats states = second.get("view");
    assertEquals(List.of(2L, 6L, 6L, 4L, 2L), counters(shards).subList(0, 5));
    assertEquals(List.of(2L, 6L, 6L, 4L, 2L), counters(states).subList(0, 5));
    assertEquals(total.bytes(), shards.bytes() + states.bytes(), total.toString());
  }

  /** hits, misses, loads, evictions, entries, bypasses. */
  private static List<Long> counters(CacheStats s) {
    return List.of(s.hits(), s.misses(), s.loads(), s.evictions(), s.entries(), s.bypasses());
  }
}
