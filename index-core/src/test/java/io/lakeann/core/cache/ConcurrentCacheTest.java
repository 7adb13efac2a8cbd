package io.lakeann.core.cache;

import static io.lakeann.core.cache.CacheFixtures.witness;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.cache.CacheFixtures.Loads;
import io.lakeann.core.cache.CacheFixtures.Release;
import io.lakeann.core.cache.CacheFixtures.Releases;
import io.lakeann.core.cache.CacheFixtures.Value;
import io.lakeann.core.cache.ReleaseListener.Cause;
import io.lakeann.core.util.SplitMix64;
import io.lakeann.core.witness.Witness;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * The cache's acceptance test (issue 3): 16 threads doing 100,000 mixed lookups over more entries
 * than the budget holds, holding leases across later lookups and invalidating now and then. The
 * budget is never exceeded, leased values are never released, the counters add up exactly, and
 * each witness is loaded once per residency.
 */
class ConcurrentCacheTest {
  private static final long SEED = 3;
  private static final int THREADS = 16;
  private static final int LOOKUPS = 100_000;
  private static final int WITNESSES = 256;
  /** Three lookups in four go to this many hot witnesses, so there are hits and contention. */
  private static final int HOT = 32;
  /** Holds about 20 of the 256 values (200 to 1,800 bytes, 1,000 on average). */
  private static final long BUDGET = 20_000;

  private final Witness[] witnesses = new Witness[WITNESSES];
  private final long[] sizes = new long[WITNESSES];
  private final Loads loads = new Loads();
  /** Loads running per witness. */
  private final AtomicIntegerArray loading = new AtomicIntegerArray(WITNESSES);
  private final Releases releases = new Releases();
  private final IndexCache<Value> cache = new IndexCache<>(BUDGET, releases);

  @Test
  void sixteenThreadsKeepTheBudgetAndTheirLeasesAndCountersAddUp() throws Exception {
    SplitMix64 random = SplitMix64.forPurpose(SEED, 0);
    for (int w = 0; w < WITNESSES; w++) {
      witnesses[w] = witness("shard " + w);
      sizes[w] = 200 + random.nextInt(1_601);
    }
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    long invalidated = 0;
    try {
      List<Future<Long>> workers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        workers.add(pool.submit(() -> {
          start.await();
          return lookups(thread);
        }));
      }
      start.countDown();
      for (Future<Long> worker : workers) {
        invalidated += worker.get();
      }
    } finally {
      pool.shutdownNow();
    }

    CacheStats stats = cache.stats();
    assertEquals(LOOKUPS, stats.requests());
    assertTrue(stats.hits() > 0 && stats.sharedHits() > 0 && stats.sharedHits() <= stats.hits());
    assertEquals(loads.total(), stats.loads());
    assertEquals(0, stats.loadFailures());
    assertTrue(stats.evictions() > 0, "the lookups must need more than the budget holds");
    assertTrue(stats.bypasses() > 0, "the leases must sometimes pin the whole budget");
    assertEquals(invalidated, stats.invalidations());
    List<Release> released = releases.all();
    assertEquals(released.size(), new HashSet<>(released.stream().map(Release::value).toList())
        .size(), "a value was released twice");
    assertEquals(stats.evictions(), releases.witnesses(Cause.EVICTED).size());
    assertEquals(stats.invalidations(), releases.witnesses(Cause.INVALIDATED).size());
    assertEquals(stats.bypasses(), releases.witnesses(Cause.BYPASSED).size());
    assertEquals(stats.loads(),
        stats.evictions() + stats.invalidations() + stats.bypasses() + stats.entries());

    // All leases are closed: the resident entries are exactly what the budget charges.
    List<EntryInfo> resident = new ArrayList<>();
    cache.invalidateIf(info -> {
      resident.add(info);
      return false;
    });
    assertEquals(stats.entries(), resident.size());
    assertEquals(stats.bytes(), resident.stream().mapToLong(EntryInfo::bytes).sum());

    Map<Witness, Integer> releasesOf = new HashMap<>();
    released.forEach(r -> releasesOf.merge(r.witness(), 1, Integer::sum));
    Map<Witness, Integer> residentOf = new HashMap<>();
    resident.forEach(info -> residentOf.put(info.witness(), 1));
    for (int w = 0; w < WITNESSES; w++) {
      assertEquals(loads.count(witnesses[w]),
          releasesOf.getOrDefault(witnesses[w], 0) + residentOf.getOrDefault(witnesses[w], 0),
          "loads of witness " + w + " = evictions + invalidations + bypasses + resident");
    }
  }

  /**
   * One thread's share of the lookups: acquires, holds up to three leases at a time, checks that
   * a held value is never released and that the budget holds. Returns how many entries it
   * invalidated.
   */
  private long lookups(int thread) {
    SplitMix64 random = SplitMix64.forPurpose(SEED, 1 + thread);
    ArrayDeque<Lease<Value>> held = new ArrayDeque<>();
    long invalidated = 0;
    for (int i = 0; i < LOOKUPS / THREADS; i++) {
      int w = random.nextInt(4) == 0 ? random.nextInt(WITNESSES) : random.nextInt(HOT);
      String source = "table-" + random.nextInt(2) + "/snapshot-1/shard-" + w;
      Lease<Value> lease = cache.acquire(witnesses[w], source, loader(w));
      assertEquals(witnesses[w], lease.value().witness());
      held.addLast(lease);
      while (held.size() > random.nextInt(4)) {
        close(held.removeFirst());
      }
      // Loads in flight are left alone: invalidating one lets a second load of it start at once.
      if (i % 101 == 0) {
        Witness victim = witnesses[random.nextInt(WITNESSES)];
        invalidated += cache.invalidateIf(info -> !info.loading() && info.witness().equals(victim));
      }
      if (i % 2_003 == 0) {
        String table = "table-" + random.nextInt(2) + "/";
        invalidated += cache.invalidateIf(info -> !info.loading() && info.bytes() > 1_500
            && info.sources().stream().anyMatch(s -> s.startsWith(table)));
      }
      if (i % 16 == 0) {
        long bytes = cache.stats().bytes();
        assertTrue(bytes >= 0 && bytes <= BUDGET, "bytes held " + bytes + " exceed " + BUDGET);
      }
    }
    while (!held.isEmpty()) {
      close(held.removeFirst());
    }
    return invalidated;
  }

  /** Loads witness {@code w}, failing if another load of it is running. */
  private Loader<Value> loader(int w) {
    Loader<Value> load = loads.of(witnesses[w], sizes[w]);
    return () -> {
      assertEquals(0, loading.getAndIncrement(w), "witness " + w + " is loaded twice at once");
      try {
        Thread.yield(); // lets other threads in while the load runs, so that some wait for it
        return load.load();
      } finally {
        loading.decrementAndGet(w);
      }
    };
  }

  private void close(Lease<Value> lease) {
    assertFalse(releases.isReleased(lease.value()), "a leased value was released");
    lease.close();
  }
}
