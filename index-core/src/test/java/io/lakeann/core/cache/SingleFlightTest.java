package io.lakeann.core.cache;

import static io.lakeann.core.cache.CacheFixtures.awaitUntil;
import static io.lakeann.core.cache.CacheFixtures.witness;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.cache.CacheFixtures.GatedLoader;
import io.lakeann.core.cache.CacheFixtures.Loads;
import io.lakeann.core.cache.CacheFixtures.Releases;
import io.lakeann.core.cache.CacheFixtures.Value;
import io.lakeann.core.cache.ReleaseListener.Cause;
import io.lakeann.core.witness.Witness;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Concurrent misses on one witness share one load; failed loads are reported, never cached. */
class SingleFlightTest {
  private static final Witness A = witness("a");
  private static final int REQUESTS = 8;

  private final Loads loads = new Loads();
  private final Releases releases = new Releases();

  @Test
  void concurrentRequestsForOneWitnessShareOneLoad() throws Exception {
    IndexCache<Value> cache = new IndexCache<>(1_000, releases);
    GatedLoader gated = new GatedLoader(A, null);
    ExecutorService pool = Executors.newFixedThreadPool(REQUESTS);
    try {
      List<Future<Lease<Value>>> requests = startRequests(cache, gated, pool);
      gated.open();
      List<Lease<Value>> leases = new ArrayList<>();
      for (Future<Lease<Value>> request : requests) {
        leases.add(request.get());
      }
      Value shared = leases.get(0).value();
      for (Lease<Value> lease : leases) {
        assertSame(shared, lease.value());
        lease.close();
      }
      assertEquals(1, gated.runs());
      CacheStats stats = cache.stats();
      assertEquals(1, stats.loads());
      assertEquals(REQUESTS, stats.misses());
      assertEquals(0, stats.hits());
      assertEquals(1, stats.entries());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void failedLoadReachesEveryWaiterAndIsNotCached() throws Exception {
    IOException diskGone = new IOException("disk gone");
    IndexCache<Value> cache = new IndexCache<>(1_000, releases);
    GatedLoader gated = new GatedLoader(A, diskGone);
    ExecutorService pool = Executors.newFixedThreadPool(REQUESTS);
    try {
      List<Future<Lease<Value>>> requests = startRequests(cache, gated, pool);
      gated.open();
      for (int i = 0; i < REQUESTS; i++) {
        ExecutionException failed = assertThrows(ExecutionException.class, requests.get(i)::get);
        CacheLoadException error = assertInstanceOf(CacheLoadException.class, failed.getCause());
        assertSame(diskGone, error.getCause());
        String loadedFor = i == 0 ? "" : " (loaded for source-0)";
        assertEquals("Cannot load witness " + A + " for source source-" + i + loadedFor
            + ": disk gone; nothing was cached, the next request loads it again",
            error.getMessage());
      }
      assertEquals(1, gated.runs());
      CacheStats stats = cache.stats();
      assertEquals(1, stats.loads());
      assertEquals(1, stats.loadFailures());
      assertEquals(0, stats.entries());
      assertEquals(0, stats.bytes());
      try (Lease<Value> retried = cache.acquire(A, "source-0", loads.of(A, 100))) {
        assertEquals(new Value(A, 1), retried.value());
      }
      assertEquals(2, cache.stats().loads());
      assertEquals(List.of(), releases.all());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void loaderReturningNothingOrAnInvalidSizeFailsTheLoad() {
    IndexCache<Value> cache = new IndexCache<>(1_000, releases);
    CacheLoadException nothing = assertThrows(CacheLoadException.class,
        () -> cache.acquire(A, "source-0", () -> null));
    assertInstanceOf(NullPointerException.class, nothing.getCause());
    CacheLoadException negative = assertThrows(CacheLoadException.class,
        () -> cache.acquire(A, "source-0", () -> new Loaded<>(new Value(A, 1), -1)));
    assertInstanceOf(IllegalArgumentException.class, negative.getCause());
    assertEquals(2, cache.stats().loadFailures());
    assertEquals(0, cache.stats().entries());
  }

  @Test
  void loaderInterruptedWhileLoadingKeepsTheInterruptFlag() {
    IndexCache<Value> cache = new IndexCache<>(1_000, releases);
    CacheLoadException interrupted = assertThrows(CacheLoadException.class,
        () -> cache.acquire(A, "source-0", () -> {
          throw new InterruptedException("cancelled");
        }));
    assertInstanceOf(InterruptedException.class, interrupted.getCause());
    assertTrue(Thread.interrupted()); // also clears the flag for the next test
  }

  @Test
  void errorFromTheLoaderEndsTheLoadAndPropagatesUnwrapped() {
    IndexCache<Value> cache = new IndexCache<>(1_000, releases);
    OutOfMemoryError oom = new OutOfMemoryError("test heap exhausted");
    assertSame(oom, assertThrows(OutOfMemoryError.class,
        () -> cache.acquire(A, "source-0", () -> {
          throw oom;
        })));
    try (Lease<Value> retried = cache.acquire(A, "source-0", loads.of(A, 100))) {
      assertEquals(new Value(A, 1), retried.value());
    }
  }

  @Test
  void interruptedWaiterKeepsTheInterruptFlagAndGivesUpItsPin() throws Exception {
    IndexCache<Value> cache = new IndexCache<>(1_000, releases);
    GatedLoader gated = new GatedLoader(A, null);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Lease<Value>> leader = pool.submit(() -> cache.acquire(A, "source-0", gated));
      gated.awaitStarted();
      AtomicReference<CacheLoadException> error = new AtomicReference<>();
      AtomicBoolean flagSet = new AtomicBoolean();
      Thread waiter = new Thread(() -> {
        try {
          cache.acquire(A, "source-1", gated).close();
        } catch (CacheLoadException e) {
          error.set(e);
          flagSet.set(Thread.currentThread().isInterrupted());
        }
      });
      waiter.start();
      awaitUntil(() -> cache.stats().misses() == 2, "the second request waits for the load");
      waiter.interrupt();
      waiter.join();
      assertInstanceOf(InterruptedException.class, error.get().getCause());
      assertTrue(flagSet.get());
      gated.open();
      leader.get().close();
      // No pin is left behind: the entry is idle, so invalidation releases it at once.
      assertTrue(cache.invalidate(A));
      assertEquals(List.of(A), releases.witnesses(Cause.INVALIDATED));
      assertEquals(1, gated.runs());
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Starts {@link #REQUESTS} requests for {@code A} from sources {@code source-0, source-1, ...};
   * returns once the first runs {@code gated} and all the others wait for it.
   */
  private static List<Future<Lease<Value>>> startRequests(IndexCache<Value> cache,
      GatedLoader gated, ExecutorService pool) throws InterruptedException {
    List<Future<Lease<Value>>> requests = new ArrayList<>();
    requests.add(pool.submit(() -> cache.acquire(A, "source-0", gated)));
    gated.awaitStarted();
    for (int i = 1; i < REQUESTS; i++) {
      String source = "source-" + i;
      requests.add(pool.submit(() -> cache.acquire(A, source, gated)));
    }
    awaitUntil(() -> cache.stats().misses() == REQUESTS, "every request waits for the load");
    return requests;
  }
}
