package io.lakeann.core.cache;

import io.lakeann.core.InvalidRequestException;
import io.lakeann.core.cache.ReleaseListener.Cause;
import io.lakeann.core.witness.Witness;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;

/**
 * The witness-addressed index cache: loaded indexes under a byte budget, keyed by witness, so two
 * sources with identical content share one entry. One per JVM ({@link #global()}); tests and
 * embedders may make their own.
 *
 * <p>Invariants, all kept under one lock: the bytes charged never exceed the budget; a leased
 * (pinned) value is neither evicted nor released; concurrent requests for a witness that is not
 * cached share one load (the first runs it, the others wait for its value); a failed load leaves
 * nothing behind; counters change together with the state they count. Loaders and release
 * listeners run without the lock. Thread-safe.
 *
 * <p>A value that does not fit even after evicting every unpinned entry (everything is pinned, or
 * it alone exceeds the budget) is handed to its requesters uncached (a bypass) and released when
 * their last lease closes. An entry invalidated while pinned leaves the map at once (new requests
 * miss) but stays valid for its leases, and its bytes stay charged until the last one closes.
 */
public final class IndexCache<V> {
  /** System property with the global cache's budget in bytes; suffixes k, m, g, t (binary). */
  public static final String BUDGET_PROPERTY = "lakeann.cache.bytes";
  /** The global cache's budget when the property is not set: this fraction of the max heap. */
  public static final double DEFAULT_HEAP_FRACTION = 0.25;

  private static volatile IndexCache<Object> global;

  private final long budgetBytes;
  private final ReleaseListener<? super V> listener;
  private final Object lock = new Object();

  // Everything below is guarded by lock.
  /** Resident entries and loads in flight; an entry leaves it for good when unmapped. */
  private final Map<Witness, Entry<V>> entries = new HashMap<>();
  /** Resident entries without leases, least recently released first: the eviction order. */
  private final Set<Entry<V>> unpinned = new LinkedHashSet<>();
  private long unpinnedBytes;
  /** Every counter in total; {@code total.bytes} is what the budget is charged. */
  private final Counters total = new Counters();
  private final Map<CacheGroup, Counters> groups = new HashMap<>();

  /** A cache that holds at most {@code budgetBytes} bytes of values. */
  public IndexCache(long budgetBytes) {
    this(budgetBytes, (witness, value, cause) -> { });
  }

  /** A cache that tells {@code listener} whenever it lets go of a value for good. */
  public IndexCache(long budgetBytes, ReleaseListener<? super V> listener) {
    InvalidRequestException.check(budgetBytes >= 0,
        "Invalid cache budget: %s bytes (must be >= 0)", budgetBytes);
    this.budgetBytes = budgetBytes;
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /**
   * The JVM's cache, created on first use with the budget of system property {@value
   * #BUDGET_PROPERTY} (e.g. {@code -Dlakeann.cache.bytes=4g}), or a quarter of the max heap if it
   * is unset. It holds values of any type: witnesses name content, so a witness always maps to a
   * value of the type its loader makes, and callers cast {@link Lease#value()} to that type.
   *
   * @throws InvalidRequestException if the property is set but not a byte count; nothing is
   *     created then and the next call reads the property again
   */
  public static IndexCache<Object> global() {
    IndexCache<Object> cache = global;
    if (cache == null) {
      synchronized (IndexCache.class) {
        cache = global;
        if (cache == null) {
          long maxHeap = Runtime.getRuntime().maxMemory();
          cache = new IndexCache<>(configuredBudget(System.getProperty(BUDGET_PROPERTY), maxHeap));
          global = cache;
        }
      }
    }
    return cache;
  }

  /** The budget given by the property's {@code value}, or the default share of {@code maxHeap}. */
  static long configuredBudget(String value, long maxHeap) {
    if (value == null) {
      return (long) (maxHeap * DEFAULT_HEAP_FRACTION);
    }
    return parseBytes(BUDGET_PROPERTY, value);
  }

  /**
   * The byte count {@code value} of system property {@code property}: digits with an optional
   * binary unit ({@code k}, {@code m}, {@code g}, {@code t}), e.g. {@code 1073741824}, {@code 512m}.
   *
   * @throws InvalidRequestException naming the property and the accepted form otherwise
   */
  public static long parseBytes(String property, String value) {
    String text = value.trim().toLowerCase(Locale.ROOT);
    int unit = text.isEmpty() ? -1 : "kmgt".indexOf(text.charAt(text.length() - 1));
    int shift = 10 * (unit + 1); // no unit: 2^0; k: 2^10; m: 2^20; g: 2^30; t: 2^40
    String digits = unit < 0 ? text : text.substring(0, text.length() - 1);
    long count = -1;
    if (!digits.isEmpty() && digits.chars().allMatch(Character::isDigit) && digits.length() <= 18) {
      count = Long.parseLong(digits);
    }
    InvalidRequestException.check(count >= 0 && count <= Long.MAX_VALUE >> shift,
        "Invalid %s: '%s' (must be a byte count such as 1073741824, 512m or 4g)",
        property, value);
    return count << shift;
  }

  /**
   * A lease on the value of {@code witness}, loaded with {@code loader} unless it is cached or
   * already being loaded, in which case this waits for that load and shares its value.
   * {@code source} names who asks (e.g. {@code "table-uuid/snapshot-id/shard"}); it is recorded for
   * {@link #invalidateIf} and for counting shared hits. Close the lease when done.
   *
   * @throws CacheLoadException if the load (this request's or the one it waited for) failed, or
   *     the wait was interrupted (the interrupt flag is then set again)
   */
  public Lease<V> acquire(Witness witness, String source, Loader<? extends V> loader) {
    return acquire(witness, CacheGroup.NONE, source, loader);
  }

  /**
   * {@link #acquire(Witness, String, Loader)} on behalf of {@code group}: the request's hit or
   * miss counts to {@code group}; a value this request loads is owned by it, so its load, bytes,
   * and its end (eviction, invalidation, bypass) count to {@code group} too.
   */
  public Lease<V> acquire(Witness witness, CacheGroup group, String source,
      Loader<? extends V> loader) {
    Objects.requireNonNull(witness, "witness");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(loader, "loader");
    Entry<V> entry;
    boolean leader;
    synchronized (lock) {
      entry = entries.get(witness);
      if (entry != null && entry.completed) {
        boolean shared = !entry.loadedFor.equals(source);
        count(group, c -> {
          c.hits++;
          if (shared) {
            c.sharedHits++;
          }
        });
        entry.sources.add(source);
        if (entry.pins++ == 0) {
          unpinned.remove(entry);
          unpinnedBytes -= entry.bytes;
        }
        return new Lease<>(this, entry, entry.value);
      }
      count(group, c -> c.misses++);
      leader = entry == null;
      if (leader) {
        entry = new Entry<>(witness, group, source);
        entries.put(witness, entry);
      }
      entry.sources.add(source);
      // Pinned before the value exists, so that it cannot be evicted before its requesters get it.
      entry.pins++;
    }
    return leader ? load(entry, source, loader) : await(entry, source);
  }

  /**
   * Removes the entry of {@code witness}, resident or loading; open leases keep their value.
   *
   * @return whether there was one
   */
  public boolean invalidate(Witness witness) {
    Released<V> released;
    synchronized (lock) {
      Entry<V> entry = entries.get(witness);
      if (entry == null) {
        return false;
      }
      released = invalidateLocked(entry);
    }
    notifyListener(released);
    return true;
  }

  /**
   * Removes every entry, resident or loading, whose metadata matches {@code predicate}, e.g. all
   * entries used by one table: {@code info -> info.sources().stream().anyMatch(s ->
   * s.startsWith(tableUuid + "/"))}. The predicate runs on snapshots without the lock; an entry
   * that left the cache meanwhile is skipped. Open leases keep their value.
   *
   * @return the number of entries removed
   */
  public int invalidateIf(Predicate<? super EntryInfo> predicate) {
    Objects.requireNonNull(predicate, "predicate");
    List<Entry<V>> candidates;
    List<EntryInfo> infos;
    synchronized (lock) {
      candidates = new ArrayList<>(entries.values());
      infos = new ArrayList<>(candidates.size());
      for (Entry<V> entry : candidates) {
        infos.add(new EntryInfo(entry.witness, entry.sources, entry.completed ? entry.bytes : 0,
            !entry.completed));
      }
    }
    List<Entry<V>> chosen = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      if (predicate.test(infos.get(i))) {
        chosen.add(candidates.get(i));
      }
    }
    int removed = 0;
    List<Released<V>> released = new ArrayList<>();
    synchronized (lock) {
      for (Entry<V> entry : chosen) {
        if (entry.mapped) {
          removed++;
          addIfPresent(released, invalidateLocked(entry));
        }
      }
    }
    notifyListener(released);
    return removed;
  }

  /** A consistent snapshot of the counters, in total. */
  public CacheStats stats() {
    synchronized (lock) {
      return total.snapshot(budgetBytes);
    }
  }

  /**
   * A consistent snapshot of the counters of every group that made a request, each with the
   * cache's whole budget; over all groups they add up to {@link #stats()} (the peaks aside).
   */
  public Map<CacheGroup, CacheStats> groupStats() {
    synchronized (lock) {
      Map<CacheGroup, CacheStats> out = new HashMap<>();
      groups.forEach((group, counters) -> out.put(group, counters.snapshot(budgetBytes)));
      return out;
    }
  }

  /** Applies {@code change} to the total counters and to those of {@code group}. */
  private void count(CacheGroup group, java.util.function.Consumer<Counters> change) {
    change.accept(total);
    change.accept(groups.computeIfAbsent(group, g -> new Counters()));
  }

  /** Charges {@code entry}'s bytes (sign +1) or uncharges them (-1), in total and its group. */
  private void charge(Entry<V> entry, int sign) {
    count(entry.group, c -> {
      c.bytes += sign * entry.bytes;
      c.peakBytes = Math.max(c.peakBytes, c.bytes);
    });
  }

  /** Runs the loader of a flight this request leads, then admits (or bypasses) its value. */
  private Lease<V> load(Entry<V> entry, String source, Loader<? extends V> loader) {
    long start = System.nanoTime();
    Loaded<? extends V> loaded = null;
    Throwable failure = null;
    try {
      loaded = loader.load();
      if (loaded == null) {
        failure = new NullPointerException("The loader returned null instead of a Loaded value");
      }
    } catch (Throwable t) { // Errors too: the flight must end, or its waiters would wait forever.
      failure = t;
    }
    long nanos = System.nanoTime() - start;
    List<Released<V>> evicted = List.of();
    try {
      synchronized (lock) {
        count(entry.group, c -> {
          c.loads++;
          c.loadNanosTotal += nanos;
          c.loadNanosLast = nanos;
        });
        if (failure == null) {
          try {
            evicted = admitLocked(entry, loaded);
          } catch (Throwable t) { // e.g. OutOfMemoryError: the flight ends as a failure
            failure = t;
          }
        }
        if (failure != null) {
          count(entry.group, c -> c.loadFailures++);
          entry.failure = failure;
          entry.completed = true;
          if (entry.mapped) {
            entries.remove(entry.witness);
            entry.mapped = false;
          }
        }
      }
    } finally {
      // Whatever happened, the flight ends: waiters must never wait forever.
      entry.done.countDown();
    }
    notifyListener(evicted);
    if (failure == null) {
      return new Lease<>(this, entry, loaded.value());
    }
    if (failure instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    if (failure instanceof Error) {
      throw (Error) failure;
    }
    throw loadFailed(entry, source, failure);
  }

  /**
   * Stores a loaded value and, if it is still mapped, charges it to the budget, evicting unpinned
   * entries least recently released first; if it cannot fit even with all of them gone, evicts
   * nothing and bypasses it. Returns the evicted values.
   */
  private List<Released<V>> admitLocked(Entry<V> entry, Loaded<? extends V> loaded) {
    entry.value = loaded.value();
    entry.bytes = loaded.bytes();
    entry.completed = true;
    if (!entry.mapped) {
      return List.of(); // Invalidated while loading: its requesters use it, the cache does not.
    }
    if (entry.bytes > budgetBytes - total.bytes + unpinnedBytes) {
      entries.remove(entry.witness);
      entry.mapped = false;
      entry.releaseCause = Cause.BYPASSED;
      count(entry.group, c -> c.bypasses++);
      return List.of();
    }
    List<Released<V>> evicted = new ArrayList<>();
    Iterator<Entry<V>> leastRecent = unpinned.iterator();
    while (entry.bytes > budgetBytes - total.bytes) {
      Entry<V> victim = leastRecent.next();
      leastRecent.remove();
      unpinnedBytes -= victim.bytes;
      unmapResidentLocked(victim);
      count(victim.group, c -> c.evictions++);
      evicted.add(releaseValueLocked(victim, Cause.EVICTED));
    }
    entry.admitted = true;
    charge(entry, 1);
    count(entry.group, c -> c.entries++);
    return evicted;
  }

  /** Waits for the flight another request leads; this request is already counted in its pins. */
  private Lease<V> await(Entry<V> entry, String source) {
    try {
      entry.done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      release(entry);
      throw new CacheLoadException(String.format(Locale.ROOT,
          "Interrupted while waiting for witness %s to load for source %s; the thread's interrupt"
              + " flag is set again, retry once the interrupt is handled",
          entry.witness, source), e);
    }
    // The latch orders these reads after the loader's writes; the pin keeps the value in place.
    if (entry.failure != null) {
      throw loadFailed(entry, source, entry.failure);
    }
    return new Lease<>(this, entry, entry.value);
  }

  private static CacheLoadException loadFailed(Entry<?> entry, String source, Throwable cause) {
    String loader = entry.loadedFor.equals(source) ? "" : " (loaded for " + entry.loadedFor + ")";
    String reason = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    return new CacheLoadException(String.format(Locale.ROOT,
        "Cannot load witness %s for source %s%s: %s; nothing was cached, the next request loads"
            + " it again",
        entry.witness, source, loader, reason), cause);
  }

  /** Drops one pin of {@code entry}; called once per lease and once per abandoned wait. */
  void release(Entry<V> entry) {
    Released<V> released = null;
    synchronized (lock) {
      entry.pins--;
      if (entry.pins == 0 && entry.completed && entry.failure == null) {
        if (entry.mapped) {
          unpinned.add(entry);
          unpinnedBytes += entry.bytes;
        } else {
          if (entry.admitted) {
            charge(entry, -1);
          }
          released = releaseValueLocked(entry, entry.releaseCause);
        }
      }
    }
    notifyListener(released);
  }

  /** Unmaps an entry; its value is released now if nothing pins it, else by its last lease. */
  private Released<V> invalidateLocked(Entry<V> entry) {
    count(entry.group, c -> c.invalidations++);
    if (!entry.completed || entry.pins > 0) {
      entries.remove(entry.witness);
      entry.mapped = false;
      entry.releaseCause = Cause.INVALIDATED;
      if (entry.admitted) {
        count(entry.group, c -> c.entries--);
      }
      return null;
    }
    unpinned.remove(entry);
    unpinnedBytes -= entry.bytes;
    unmapResidentLocked(entry);
    return releaseValueLocked(entry, Cause.INVALIDATED);
  }

  /** Unmaps a resident entry and uncharges its bytes. */
  private void unmapResidentLocked(Entry<V> entry) {
    entries.remove(entry.witness);
    entry.mapped = false;
    charge(entry, -1);
    count(entry.group, c -> c.entries--);
  }

  private static <V> Released<V> releaseValueLocked(Entry<V> entry, Cause cause) {
    Released<V> released = new Released<>(entry.witness, entry.value, cause);
    entry.value = null;
    return released;
  }

  private static <T> void addIfPresent(List<T> list, T item) {
    if (item != null) {
      list.add(item);
    }
  }

  private void notifyListener(List<Released<V>> released) {
    for (Released<V> r : released) {
      notifyListener(r);
    }
  }

  private void notifyListener(Released<V> released) {
    if (released == null) {
      return;
    }
    try {
      listener.released(released.witness, released.value, released.cause);
    } catch (RuntimeException e) {
      Thread thread = Thread.currentThread();
      thread.getUncaughtExceptionHandler().uncaughtException(thread, e);
    }
  }

  /** One set of counters, in total or of a group; guarded by the cache's lock. */
  private static final class Counters {
    long bytes;
    long peakBytes;
    long entries;
    long hits;
    long misses;
    long sharedHits;
    long loads;
    long loadFailures;
    long loadNanosTotal;
    long loadNanosLast;
    long evictions;
    long invalidations;
    long bypasses;

    CacheStats snapshot(long budgetBytes) {
      return new CacheStats(budgetBytes, bytes, peakBytes, entries, hits, misses, sharedHits,
          loads, loadFailures, loadNanosTotal / 1e6, loadNanosLast / 1e6, evictions,
          invalidations, bypasses);
    }
  }

  /** A value the cache let go of, to be told to the listener once the lock is released. */
  private record Released<V>(Witness witness, V value, Cause cause) { }

  /**
   * One witness's slot: a load in flight, then a resident value, then (unmapped) a value kept only
   * for its leases. Mutable; guarded by the cache's lock, except that {@code value} and {@code
   * failure} are written once before {@code done} opens and may be read by pinned waiters after.
   */
  static final class Entry<V> {
    final Witness witness;
    /** The group of the request that loads it, which owns it. */
    final CacheGroup group;
    final String loadedFor;
    final Set<String> sources = new LinkedHashSet<>();
    final CountDownLatch done = new CountDownLatch(1);
    V value;
    long bytes;
    Throwable failure;
    /** The load has ended, with a value or a failure. */
    boolean completed;
    /** New requests find it in the map; once false, never true again. */
    boolean mapped = true;
    /** Its bytes were charged to the budget (and are until it is released). */
    boolean admitted;
    /** Why an unmapped value will be released when its last lease closes. */
    Cause releaseCause;
    /** Open leases plus requests waiting for its load. */
    int pins;

    Entry(Witness witness, CacheGroup group, String loadedFor) {
      this.witness = witness;
      this.group = group;
      this.loadedFor = loadedFor;
    }
  }
}
