package io.lakeann.core.cache;

import static io.lakeann.core.cache.CacheFixtures.witness;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.InvalidRequestException;
import io.lakeann.core.cache.CacheFixtures.Loads;
import io.lakeann.core.cache.CacheFixtures.Releases;
import io.lakeann.core.cache.CacheFixtures.Value;
import io.lakeann.core.cache.ReleaseListener.Cause;
import io.lakeann.core.witness.Witness;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hits, shared hits, LRU eviction, pinning, bypasses and counters of one {@link IndexCache}. */
class IndexCacheTest {
  private static final Witness A = witness("a");
  private static final Witness B = witness("b");
  private static final Witness C = witness("c");
  private static final Witness D = witness("d");
  private static final Witness E = witness("e");
  private static final String SOURCE = "table-x/snapshot-1/shard-0";

  private final Loads loads = new Loads();
  private final Releases releases = new Releases();

  @Test
  void secondRequestHitsTheValueLoadedByTheFirst() {
    IndexCache<Value> cache = new IndexCache<>(1_000, releases);
    Value first = use(cache, A, 100);
    try (Lease<Value> lease = cache.acquire(A, SOURCE, loads.of(A, 100))) {
      assertSame(first, lease.value());
      assertEquals(A, lease.witness());
    }
    CacheStats stats = cache.stats();
    assertEquals(1, stats.misses());
    assertEquals(1, stats.hits());
    assertEquals(0, stats.sharedHits());
    assertEquals(1, stats.loads());
    assertEquals(1, stats.entries());
    assertEquals(100, stats.bytes());
    assertEquals(1, loads.count(A));
  }

  @Test
  void hitOnAnEntryFirstLoadedForAnotherSourceIsASharedHit() {
    IndexCache<Value> cache = new IndexCache<>(1_000, releases);
    use(cache, A, "table-x/snapshot-1/shard-0");
    use(cache, A, "table-y/snapshot-7/shard-3");
    use(cache, A, "table-x/snapshot-1/shard-0");
    CacheStats stats = cache.stats();
    assertEquals(2, stats.hits());
    assertEquals(1, stats.sharedHits());
    assertEquals(1, stats.loads());
    List<EntryInfo> seen = new ArrayList<>();
    cache.invalidateIf(info -> {
      seen.add(info);
      return false;
    });
    assertEquals(1, seen.size());
    assertEquals(List.of("table-x/snapshot-1/shard-0", "table-y/snapshot-7/shard-3"),
        List.copyOf(seen.get(0).sources()));
    assertEquals(100, seen.get(0).bytes());
  }

  @Test
  void leastRecentlyReleasedEntryIsEvictedFirst() {
    IndexCache<Value> cache = new IndexCache<>(300, releases);
    use(cache, A, 100);
    use(cache, B, 100);
    use(cache, C, 100);
    use(cache, A, 100); // A becomes the most recently used
    use(cache, D, 100);
    use(cache, E, 100);
    assertEquals(List.of(B, C), releases.witnesses(Cause.EVICTED));
    use(cache, A, 100);
    assertEquals(1, loads.count(A));
    CacheStats stats = cache.stats();
    assertEquals(2, stats.evictions());
    assertEquals(3, stats.entries());
    assertEquals(300, stats.bytes());
  }

  @Test
  void pinnedEntryIsNeverEvicted() {
    IndexCache<Value> cache = new IndexCache<>(200, releases);
    try (Lease<Value> pinned = cache.acquire(A, SOURCE, loads.of(A, 100))) {
      use(cache, B, 100);
      use(cache, C, 100); // A is older but pinned: B goes
      assertEquals(List.of(B), releases.witnesses(Cause.EVICTED));
      assertSame(pinned.value(), use(cache, A, 100));
    }
    assertEquals(1, loads.count(A));
  }

  @Test
  void valueIsHandedOutUncachedWhenEverythingCachedIsPinned() {
    IndexCache<Value> cache = new IndexCache<>(200, releases);
    try (Lease<Value> a = cache.acquire(A, SOURCE, loads.of(A, 100));
        Lease<Value> b = cache.acquire(B, SOURCE, loads.of(B, 100))) {
      try (Lease<Value> c = cache.acquire(C, SOURCE, loads.of(C, 100))) {
        assertEquals(C, c.value().witness());
        CacheStats stats = cache.stats();
        assertEquals(1, stats.bypasses());
        assertEquals(0, stats.evictions());
        assertEquals(2, stats.entries());
        assertEquals(200, stats.bytes());
        assertEquals(List.of(), releases.all());
      }
      assertEquals(List.of(C), releases.witnesses(Cause.BYPASSED));
      use(cache, C, 100);
      assertEquals(2, loads.count(C));
      assertEquals(List.of(A, B), List.of(a.value().witness(), b.value().witness()));
    }
  }

  @Test
  void valueLargerThanTheBudgetIsBypassedWithoutEvictingAnything() {
    IndexCache<Value> cache = new IndexCache<>(100, releases);
    Value a = use(cache, A, 60);
    use(cache, B, 101);
    assertEquals(List.of(B), releases.witnesses(Cause.BYPASSED));
    CacheStats stats = cache.stats();
    assertEquals(1, stats.bypasses());
    assertEquals(0, stats.evictions());
    assertEquals(1, stats.entries());
    assertEquals(60, stats.bytes());
    assertSame(a, use(cache, A, 60));
  }

  @Test
  void statsAreAnImmutableSnapshotWithHitRateDerived() {
    IndexCache<Value> cache = new IndexCache<>(1_000, releases);
    CacheStats before = cache.stats();
    for (int i = 0; i < 4; i++) {
      use(cache, A, 100);
    }
    CacheStats after = cache.stats();
    assertEquals(new CacheStats(1_000, 0, 0, 0, 0, 0, 0, 0, 0, 0.0, 0.0, 0, 0, 0), before);
    assertEquals(0.0, before.hitRate());
    assertEquals(4, after.requests());
    assertEquals(0.75, after.hitRate());
    assertEquals(1_000, after.budgetBytes());
    assertTrue(after.loadMillisLast() >= 0 && after.loadMillisTotal() >= after.loadMillisLast());
  }

  @Test
  void everyCounterIsKeptPerGroupAndTheGroupsAddUpToTheTotal() {
    CacheGroup shards = new CacheGroup("lake.db.a", "shard");
    CacheGroup views = new CacheGroup("lake.db.a", "view");
    CacheGroup other = new CacheGroup("lake.db.b", "shard");
    IndexCache<Value> cache = new IndexCache<>(250, releases);
    use(cache, shards, A, 100);
    use(cache, views, B, 20);
    use(cache, shards, A, 100); // a hit for the shards
    use(cache, other, A, 100); // a hit for b on a's entry: the bytes stay a's
    use(cache, other, C, 100);
    use(cache, other, D, 100); // evicts B (a's view), then A (a's shard)
    try (Lease<Value> pinnedC = cache.acquire(C, other, SOURCE, loads.of(C, 100));
        Lease<Value> pinnedD = cache.acquire(D, other, SOURCE, loads.of(D, 100))) {
      use(cache, views, E, 60); // does not fit beside two pinned values: bypassed
    }
    cache.invalidate(C);

    Map<CacheGroup, CacheStats> groups = cache.groupStats();
    CacheStats a = groups.get(shards);
    assertEquals(List.of(1L, 1L, 1L, 0L, 1L, 0L, 0L),
        List.of(a.hits(), a.misses(), a.loads(), a.bytes(), a.evictions(), a.entries(),
            a.invalidations()));
    assertEquals(100, a.peakBytes());
    CacheStats v = groups.get(views);
    assertEquals(List.of(0L, 2L, 2L, 1L, 1L, 0L), List.of(v.hits(), v.misses(), v.loads(),
        v.evictions(), v.bypasses(), v.bytes()));
    CacheStats b = groups.get(other);
    assertEquals(List.of(3L, 0L, 2L, 1L, 1L, 100L, 1L, 200L),
        List.of(b.hits(), b.sharedHits(), b.misses(), b.entries(), b.invalidations(), b.bytes(),
            b.loads() - 1, b.peakBytes()));
    CacheStats total = cache.stats();
    assertEquals(total.hits(), a.hits() + v.hits() + b.hits());
    assertEquals(total.misses(), a.misses() + v.misses() + b.misses());
    assertEquals(total.loads(), a.loads() + v.loads() + b.loads());
    assertEquals(total.evictions(), a.evictions() + v.evictions() + b.evictions());
    assertEquals(total.bytes(), a.bytes() + v.bytes() + b.bytes());
    assertEquals(220, total.peakBytes());
    assertTrue(total.peakBytes() <= total.budgetBytes(), total.toString());
  }

  @Test
  void closingALeaseTwiceDropsOnePinAndItsValueIsRefusedAfterwards() {
    IndexCache<Value> cache = new IndexCache<>(100, releases);
    Lease<Value> first = cache.acquire(A, SOURCE, loads.of(A, 100));
    Lease<Value> second = cache.acquire(A, SOURCE, loads.of(A, 100));
    first.close();
    first.close();
    use(cache, B, 100); // A is still pinned by the second lease
    assertEquals(List.of(B), releases.witnesses(Cause.BYPASSED));
    IllegalStateException refused = assertThrows(IllegalStateException.class, first::value);
    assertTrue(refused.getMessage().contains(A.toString()), refused.getMessage());
    second.close();
    use(cache, B, 100);
    assertEquals(List.of(A), releases.witnesses(Cause.EVICTED));
  }

  @Test
  void failingListenerIsReportedToTheThreadsHandlerAndTheCacheCarriesOn() {
    IllegalStateException listenerBug = new IllegalStateException("listener bug");
    IndexCache<Value> cache = new IndexCache<>(100, (witness, value, cause) -> {
      throw listenerBug;
    });
    List<Throwable> reported = new ArrayList<>();
    Thread thread = Thread.currentThread();
    Thread.UncaughtExceptionHandler previous = thread.getUncaughtExceptionHandler();
    thread.setUncaughtExceptionHandler((t, e) -> reported.add(e));
    try {
      use(cache, A, 100);
      use(cache, B, 100); // evicts A
    } finally {
      thread.setUncaughtExceptionHandler(previous);
    }
    assertEquals(List.of(listenerBug), reported);
    CacheStats stats = cache.stats();
    assertEquals(1, stats.evictions());
    assertEquals(1, stats.entries());
    assertEquals(100, stats.bytes());
  }

  @Test
  void loadedRefusesNullValuesAndNegativeSizes() {
    assertThrows(IllegalArgumentException.class, () -> new Loaded<>(null, 1));
    IllegalArgumentException negative =
        assertThrows(IllegalArgumentException.class, () -> new Loaded<>("v", -5));
    assertEquals("Invalid size of a cached value: -5 bytes (must be >= 0)", negative.getMessage());
  }

  @Test
  void negativeBudgetIsRefusedWithItsValue() {
    InvalidRequestException refused =
        assertThrows(InvalidRequestException.class, () -> new IndexCache<Value>(-1));
    assertEquals("Invalid cache budget: -1 bytes (must be >= 0)", refused.getMessage());
  }

  private Value use(IndexCache<Value> cache, Witness witness, long bytes) {
    try (Lease<Value> lease = cache.acquire(witness, SOURCE, loads.of(witness, bytes))) {
      return lease.value();
    }
  }

  private Value use(IndexCache<Value> cache, CacheGroup group, Witness witness, long bytes) {
    try (Lease<Value> lease = cache.acquire(witness, group, SOURCE, loads.of(witness, bytes))) {
      return lease.value();
    }
  }

  private Value use(IndexCache<Value> cache, Witness witness, String source) {
    try (Lease<Value> lease = cache.acquire(witness, source, loads.of(witness, 100))) {
      return lease.value();
    }
  }
}
