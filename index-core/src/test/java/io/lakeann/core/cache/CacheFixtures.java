package io.lakeann.core.cache;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.cache.ReleaseListener.Cause;
import io.lakeann.core.witness.Witness;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.commons.codec.digest.Blake3;

/** Witnesses, values, loaders and a recording release listener for the cache tests. */
final class CacheFixtures {
  private static final long TIMEOUT_SECONDS = 10;

  private CacheFixtures() {
  }

  /** The witness named {@code name}: the BLAKE3 digest of the name. */
  static Witness witness(String name) {
    return Witness.of(Blake3.hash(name.getBytes(UTF_8)));
  }

  /** A loaded value: its witness and which load of that witness made it (1 for the first). */
  record Value(Witness witness, int load) {
  }

  /** Makes loaders of fresh {@link Value}s and counts the loads of each witness. Thread-safe. */
  static final class Loads {
    private final ConcurrentMap<Witness, AtomicInteger> counts = new ConcurrentHashMap<>();

    Loader<Value> of(Witness witness, long bytes) {
      return () -> new Loaded<>(new Value(witness, counter(witness).incrementAndGet()), bytes);
    }

    int count(Witness witness) {
      return counter(witness).get();
    }

    long total() {
      return counts.values().stream().mapToLong(AtomicInteger::get).sum();
    }

    private AtomicInteger counter(Witness witness) {
      return counts.computeIfAbsent(witness, w -> new AtomicInteger());
    }
  }

  /** One call of the release listener. */
  record Release(Witness witness, Value value, Cause cause) {
  }

  /** Records every release in order; the cache may call it from several threads at once. */
  static final class Releases implements ReleaseListener<Value> {
    private final List<Release> all = new ArrayList<>();
    private final Set<Value> released = ConcurrentHashMap.newKeySet();

    @Override
    public void released(Witness witness, Value value, Cause cause) {
      synchronized (all) {
        all.add(new Release(witness, value, cause));
      }
      released.add(value);
    }

    List<Release> all() {
      synchronized (all) {
        return List.copyOf(all);
      }
    }

    /** The witnesses released for {@code cause}, in release order. */
    List<Witness> witnesses(Cause cause) {
      return all().stream().filter(r -> r.cause() == cause).map(Release::witness).toList();
    }

    boolean isReleased(Value value) {
      return released.contains(value);
    }
  }

  /**
   * A loader that signals when it starts, then waits until opened, and then returns a fresh value
   * of 100 bytes or throws the given failure. Counts its runs.
   */
  static final class GatedLoader implements Loader<Value> {
    private final Witness witness;
    private final Exception failure;
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch gate = new CountDownLatch(1);
    private final AtomicInteger runs = new AtomicInteger();

    GatedLoader(Witness witness, Exception failure) {
      this.witness = witness;
      this.failure = failure;
    }

    @Override
    public Loaded<Value> load() throws Exception {
      int run = runs.incrementAndGet();
      started.countDown();
      assertTrue(gate.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the test never opened the gate");
      if (failure != null) {
        throw failure;
      }
      return new Loaded<>(new Value(witness, run), 100);
    }

    void awaitStarted() throws InterruptedException {
      assertTrue(started.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the loader never started");
    }

    void open() {
      gate.countDown();
    }

    int runs() {
      return runs.get();
    }
  }

  /**
   * Waits until {@code condition} holds, for states that signal no event (a thread blocked inside
   * the cache); yields between checks and fails after a bound.
   */
  static void awaitUntil(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
      Thread.yield();
    }
  }
}
