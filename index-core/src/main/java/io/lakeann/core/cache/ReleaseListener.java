package io.lakeann.core.cache;

import io.lakeann.core.witness.Witness;

/**
 * Told once for every successfully loaded value when the cache lets go of it for good: it is no
 * longer cached and no lease on it is open, so the value may be closed or its memory freed.
 * Called without any cache lock held, possibly from several threads at once; it must be
 * thread-safe. If it throws, the exception goes to the current thread's uncaught-exception handler
 * and the cache carries on.
 */
@FunctionalInterface
public interface ReleaseListener<V> {

  /** Why the value left the cache. */
  enum Cause {
    /** Made room for another value under the byte budget (least recently used first). */
    EVICTED,
    /** Removed by {@link IndexCache#invalidate} or {@link IndexCache#invalidateIf}. */
    INVALIDATED,
    /** Never cached: it did not fit the budget; released when its last lease closed. */
    BYPASSED
  }

  void released(Witness witness, V value, Cause cause);
}
