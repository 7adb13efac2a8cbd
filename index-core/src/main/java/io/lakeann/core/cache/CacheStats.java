package io.lakeann.core.cache;

/**
 * A consistent snapshot of an {@link IndexCache}'s counters, all taken under one lock. Immutable.
 *
 * <ul>
 *   <li>{@code hits + misses} is the number of {@code acquire} calls. A hit found the value
 *       loaded; a miss did not, and either ran the loader or waited for a load already running.
 *   <li>{@code sharedHits} (part of {@code hits}) found a value first loaded for another source.
 *   <li>{@code loads} counts loader runs, failed ones included ({@code loadFailures}); the load
 *       times cover every run.
 *   <li>{@code bytes} is charged against the budget and never exceeds it: resident entries plus
 *       invalidated entries that are still leased. {@code peakBytes} is the most it ever was,
 *       so {@code peakBytes <= budgetBytes} shows the budget held. {@code entries} counts
 *       resident entries.
 *   <li>Each load ends as exactly one of: failed, resident, evicted, invalidated, bypassed; so
 *       {@code loads = loadFailures + entries + evictions + invalidations + bypasses}, except
 *       that a load invalidated while running that then fails counts as both.
 * </ul>
 */
public record CacheStats(
    long budgetBytes,
    long bytes,
    long peakBytes,
    long entries,
    long hits,
    long misses,
    long sharedHits,
    long loads,
    long loadFailures,
    double loadMillisTotal,
    double loadMillisLast,
    long evictions,
    long invalidations,
    long bypasses) implements java.io.Serializable {

  /** Calls to {@code acquire}. */
  public long requests() {
    return hits + misses;
  }

  /** {@code hits / (hits + misses)}; 0 before the first request. */
  public double hitRate() {
    long requests = requests();
    return requests == 0 ? 0.0 : (double) hits / requests;
  }
}
