package io.lakeann.core.cache;

/**
 * Loads the value of one witness on a cache miss, e.g. reads and verifies a shard. Runs on the
 * requesting thread without any cache lock held; it must not acquire its own witness from the same
 * cache (that would wait for itself).
 */
@FunctionalInterface
public interface Loader<V> {
  Loaded<V> load() throws Exception;
}
