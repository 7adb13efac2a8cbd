package io.lakeann.core.cache;

import static io.lakeann.core.cache.CacheFixtures.witness;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.cache.CacheFixtures.GatedLoader;
import io.lakeann.core.cache.CacheFixtures.Loads;
import io.lakeann.core.cache.CacheFixtures.Release;
import io.lakeann.core.cache.CacheFixtures.Releases;
import io.lakeann.core.cache.CacheFixtures.Value;
import io.lakeann.core.cache.ReleaseListener.Cause;
import io.lakeann.core.witness.Witness;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Invalidation by witness and by metadata, of idle, leased and loading entries. */
class InvalidationTest {
  private static final Witness A = witness("a");
  private static final Witness B = witness("b");
  private static final Witness C = witness("c");

  private final Loads loads = new Loads();
  private final Releases releases = new Releases();

  @Test
  void invalidatingAnIdleEntryReleasesItAtOnce() {
    IndexCache<Value> cache = new IndexCache<>(1_000, releases);
    use(cache, A, "table-x/1/0", 100);
    assertTrue(cache.invalidate(A));
    assertFalse(cache.invalidate(A));
    assertEquals(List.of(A), releases.witnesses(Cause.INVALIDATED));
    CacheStats stats = cache.stats();
    assertEquals(1, stats.invalidations());
    assertEquals(0, stats.entries());
    assertEquals(0, stats.bytes());
    use(cache, A, "table-x/1/0", 100);
    assertEquals(2, loads.count(A));
  }

  @Test
  void leasedEntryLeavesTheMapAtOnceButStaysValidAndChargedUntilItsLastLeaseCloses() {
    IndexCache<Value> cache = new IndexCache<>(200, releases);
    Lease<Value> old = cache.acquire(A, "table-x/1/0", loads.of(A, 100));
    assertTrue(cache.invalidate(A));
    assertEquals(List.of(), releases.all());
    assertEquals(0, cache.stats().entries());
    assertEquals(100, cache.stats().bytes());
    try (Lease<Value> fresh = cache.acquire(A, "table-x/1/0", loads.of(A, 100))) {
      assertNotSame(old.value(), fresh.value());
      assertEquals(1, cache.stats().entries());
      assertEquals(200, cache.stats().bytes());
    }
    assertEquals(new Value(A, 1), old.value());
    old.close();
    assertEquals(List.of(new Release(A, new Value(A, 1), Cause.INVALIDATED)), releases.all());
    assertEquals(100, cache.stats().bytes());
  }

  @Test
  void invalidateIfRemovesEveryEntryATableUsedIncludingSharedOnes() {
    IndexCache<Value> cache = new IndexCache<>(1_000, releases);
    use(cache, A, "table-x/1/0", 100);
    use(cache, B, "table-y/5/0", 100);
    use(cache, C, "table-y/5/1", 100);
    use(cache, C, "table-x/2/1", 100); // identical content: table x shares table y's entry
    int removed = cache.invalidateIf(
        info -> info.sources().stream().anyMatch(source -> source.startsWith("table-x/")));
    assertEquals(2, removed);
    assertEquals(Set.of(A, C), Set.copyOf(releases.witnesses(Cause.INVALIDATED)));
    assertEquals(2, cache.stats().invalidations());
    use(cache, B, "table-y/5/0", 100);
    assertEquals(1, loads.count(B));
  }

  @Test
  void invalidateIfSeesEachEntrysSize() {
    IndexCache<Value> cache = new IndexCache<>(1_000, releases);
    use(cache, A, "table-x/1/0", 100);
    use(cache, B, "table-x/1/1", 200);
    assertEquals(1, cache.invalidateIf(info -> info.bytes() > 150));
    assertEquals(List.of(B), releases.witnesses(Cause.INVALIDATED));
    assertEquals(100, cache.stats().bytes());
  }

  @Test
  void entryInvalidatedWhileLoadingGoesToItsRequesterButIsNotCached() throws Exception {
    IndexCache<Value> cache = new IndexCache<>(1_000, releases);
    GatedLoader gated = new GatedLoader(A, null);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Lease<Value>> leader = pool.submit(() -> cache.acquire(A, "table-x/1/0", gated));
      gated.awaitStarted();
      assertEquals(1, cache.invalidateIf(EntryInfo::loading));
      gated.open();
      try (Lease<Value> lease = leader.get()) {
        assertEquals(new Value(A, 1), lease.value());
        assertEquals(0, cache.stats().entries());
        assertEquals(0, cache.stats().bytes());
      }
      assertEquals(List.of(A), releases.witnesses(Cause.INVALIDATED));
      Value reloaded = use(cache, A, "table-x/1/0", 100);
      assertSame(reloaded, use(cache, A, "table-x/1/0", 100));
      assertEquals(1, cache.stats().invalidations());
    } finally {
      pool.shutdownNow();
    }
  }

  private Value use(IndexCache<Value> cache, Witness witness, String source, long bytes) {
    try (Lease<Value> lease = cache.acquire(witness, source, loads.of(witness, bytes))) {
      return lease.value();
    }
  }
}
