package io.lakeann.core.cache;

import io.lakeann.core.witness.Witness;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A caller's hold on one value from an {@link IndexCache}. While any lease on a value is open the
 * value is pinned: it is never evicted and never released, even if it is invalidated. Use it in
 * try-with-resources; closing twice is harmless, and the value may not be used after closing.
 */
public final class Lease<V> implements AutoCloseable {
  private final IndexCache<V> cache;
  private final IndexCache.Entry<V> entry;
  private final V value;
  private final AtomicBoolean closed = new AtomicBoolean();

  Lease(IndexCache<V> cache, IndexCache.Entry<V> entry, V value) {
    this.cache = cache;
    this.entry = entry;
    this.value = value;
  }

  public Witness witness() {
    return entry.witness;
  }

  /** The leased value; refused once the lease is closed, as the value may have been released. */
  public V value() {
    if (closed.get()) {
      throw new IllegalStateException("The lease on witness " + entry.witness
          + " is closed; acquire the value again from the cache");
    }
    return value;
  }

  /** Unpins the value; only the first call has an effect. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      cache.release(entry);
    }
  }
}
