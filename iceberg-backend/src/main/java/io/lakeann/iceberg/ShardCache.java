package io.lakeann.iceberg;

import io.lakeann.core.LakeAnnException;
import io.lakeann.core.cache.CacheGroup;
import io.lakeann.core.cache.CacheLoadException;
import io.lakeann.core.cache.CacheStats;
import io.lakeann.core.cache.IndexCache;
import io.lakeann.core.cache.Lease;
import io.lakeann.core.cache.Loaded;
import io.lakeann.core.cache.Loader;
import io.lakeann.core.format.InvalidRbpxException;
import io.lakeann.core.format.RbpxFile;
import io.lakeann.core.format.RbpxReader;
import io.lakeann.core.witness.Witness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shards loaded for search, one copy per JVM, in index-core's witness-addressed cache. A miss
 * copies the shard's rbpx bytes from its Puffin blobs (or, for shards kept elsewhere, from their
 * {@link ShardSource}) into a local directory (once per witness; a later load reuses the local
 * file), reads and verifies it, and checks that its witness and source identity are exactly what
 * the bundle's manifest claims. Thread-safe.
 */
public final class ShardCache {
  private static final Logger LOG = LoggerFactory.getLogger(ShardCache.class);
  /** The kind of cache entry a loaded shard is ({@link CacheGroup#kind()}). */
  public static final String KIND = "shard";
  /** System property naming the local directory for shard files. */
  public static final String DIR_PROPERTY = "lakeann.shard.dir";
  /** System property bounding the bytes of the shard files kept in that directory. */
  public static final String DIR_BYTES_PROPERTY = "lakeann.shard.dir.bytes";
  /** The directory's default bound, in budgets of the JVM's cache. */
  static final int DEFAULT_DIR_BUDGETS = 4;
  /** The directory's smallest default bound. */
  static final long MIN_DEFAULT_DIR_BYTES = 1L << 30;

  private static volatile ShardCache global;
  /** The last use {@link #touch} recorded, in milliseconds. */
  private static final AtomicLong USED = new AtomicLong();

  private final IndexCache<Object> cache;
  private final Path dir;
  private final long dirBytes;
  private final int threads;

  /** A verified shard with its row sources. */
  public record LoadedShard(RbpxFile file, ShardSections sections) {}

  /** A shard cache that keeps its shard files in {@code dir}, without a bound on their bytes. */
  public ShardCache(IndexCache<Object> cache, Path dir, int threads) {
    this(cache, dir, Long.MAX_VALUE, threads);
  }

  /**
   * A shard cache that keeps its shard files in {@code dir}; when a new copy brings the
   * directory's {@code .rbpx} files over {@code dirBytes}, the least recently used are deleted
   * (a loaded shard does not need its file; a deleted copy is fetched again when next loaded).
   */
  public ShardCache(IndexCache<Object> cache, Path dir, long dirBytes, int threads) {
    this.cache = cache;
    this.dir = dir;
    this.dirBytes = dirBytes;
    this.threads = threads;
  }

  /**
   * The JVM's shard cache: index-core's global cache, shard files under {@link #DIR_PROPERTY}
   * (default {@code <java.io.tmpdir>/lakeann-shards-<user.name>}), at most {@link
   * #DIR_BYTES_PROPERTY} bytes of them (default four times the cache's budget, at least 1 GiB).
   */
  public static ShardCache global() {
    ShardCache c = global;
    if (c == null) {
      synchronized (ShardCache.class) {
        c = global;
        if (c == null) {
          String configured = System.getProperty(DIR_PROPERTY);
          Path path = configured != null ? Path.of(configured)
              : Path.of(System.getProperty("java.io.tmpdir"), "lakeann-shards-"
                  + System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_"));
          String bound = System.getProperty(DIR_BYTES_PROPERTY);
          IndexCache<Object> shared = IndexCache.global();
          long bytes = bound != null ? IndexCache.parseBytes(DIR_BYTES_PROPERTY, bound)
              : Math.max(MIN_DEFAULT_DIR_BYTES, saturatedTimes(shared.stats().budgetBytes(),
                  DEFAULT_DIR_BUDGETS));
          c = new ShardCache(shared, path, bytes, Runtime.getRuntime().availableProcessors());
          global = c;
        }
      }
    }
    return c;
  }

  private static long saturatedTimes(long value, int factor) {
    return value > Long.MAX_VALUE / factor ? Long.MAX_VALUE : value * factor;
  }

  public CacheStats stats() {
    return cache.stats();
  }

  /** The counters of every group of the cache this shard cache keeps its shards in. */
  public Map<CacheGroup, CacheStats> groupStats() {
    return cache.groupStats();
  }

  /** A lease on shard {@code index} of {@code bundle}; close it when done searching. */
  public Lease<Object> acquire(BundleStore store, RegisteredBundle bundle, int index) {
    return acquire(store, bundle, index, () -> { });
  }

  /**
   * {@link #acquire(BundleStore, RegisteredBundle, int)}, running {@code onLoad} when this call
   * loads the shard (a miss) rather than finding it cached or loading already.
   */
  public Lease<Object> acquire(BundleStore store, RegisteredBundle bundle, int index,
      Runnable onLoad) {
    ShardEntry entry = bundle.manifest().shards().get(index);
    String source = String.format(Locale.ROOT, "%s/%d/%d", bundle.manifest().tableUuid(),
        bundle.snapshotId(), index);
    String where = String.format(Locale.ROOT, "shard %d of the lakeann bundle in %s", index,
        bundle.statisticsPath());
    ShardSource fetch = copy -> {
      store.fetchShard(bundle, index, copy);
      return copy;
    };
    return acquire(entry.witness(), new CacheGroup(store.tableName(), KIND), source, where, onLoad,
        fetch, file -> verify(bundle, index, file, where));
  }

  /**
   * A local file holding the rbpx bytes of shard {@code index} of {@code bundle}, without
   * loading the index: the copy kept under this cache's directory, fetched first if missing.
   * Only its header is read (its self-hash and witness checked); the sections' hashes are
   * checked by whoever loads it. For copying a shard into a new bundle unchanged.
   *
   * @throws ManifestMismatchException if the bytes are not the shard the manifest names
   */
  public Path localCopy(BundleStore store, RegisteredBundle bundle, int index) {
    Witness witness = bundle.manifest().shards().get(index).witness();
    Path copy = dir.resolve(witness + ".rbpx");
    if (Files.exists(copy) && headerWitness(copy).equals(witness)) {
      touch(copy);
      return copy;
    }
    store.fetchShard(bundle, index, copy);
    trim(copy);
    Witness fetched = headerWitness(copy);
    if (!fetched.equals(witness)) {
      deleteQuietly(copy);
      throw new ManifestMismatchException(String.format(Locale.ROOT,
          "shard %d of the lakeann bundle in %s: witness %s differs from the manifest's %s; "
              + "rebuild the index", index, bundle.statisticsPath(), fetched, witness));
    }
    return copy;
  }

  /** The witness in {@code file}'s header, or a zero witness when the header is refused. */
  private static Witness headerWitness(Path file) {
    try {
      return RbpxReader.readHeader(file).witness();
    } catch (InvalidRbpxException e) {
      LOG.warn("Shard copy {} refused ({})", file, e.getMessage());
      return Witness.of(new byte[Witness.LENGTH]);
    }
  }

  /**
   * Where a shard's rbpx bytes come from on a miss: {@link #fetch} either copies them to
   * {@code copy} (in this cache's directory, kept for later loads) and returns it, or returns
   * the shard's own file when it is already on this machine.
   */
  @FunctionalInterface
  public interface ShardSource {
    Path fetch(Path copy);
  }

  /**
   * A lease on the shard whose witness is {@code witness}, for any layer that keeps shards: on a
   * miss it is read from the local copy kept under this cache's directory, or fetched through
   * {@code source}, with every rbpx hash verified and its witness checked; {@code sections} then
   * checks the file against what its bundle claims and returns its row sources. A shard that
   * fails is refused as a {@link ManifestMismatchException} naming {@code where}, and its copy
   * is deleted.
   *
   * @param group whose shard it is, for the cache's counters (the kind is {@link #KIND})
   * @param cacheSource who asks, for the cache's records (e.g. the bundle and shard)
   * @param where the shard, for messages (e.g. "shard 3 of the lakeann bundle at /b")
   * @param onLoad run when this call loads the shard rather than finding it cached
   */
  public Lease<Object> acquire(Witness witness, CacheGroup group, String cacheSource,
      String where, Runnable onLoad, ShardSource source,
      Function<RbpxFile, ShardSections> sections) {
    return acquireValue(witness, group, cacheSource, () -> {
      onLoad.run();
      LoadedShard shard = load(witness, where, source, sections);
      long bytes = shard.file().index().bytes(true) + 8L * shard.sections().positions().length;
      return new Loaded<>(shard, bytes);
    });
  }

  /**
   * A lease on any value kept beside the shards, charged to the same budget: index-core's
   * {@link IndexCache#acquire(Witness, CacheGroup, String, Loader)}, except that a lakeann error
   * of the loader is thrown as it is rather than wrapped.
   */
  public Lease<Object> acquireValue(Witness witness, CacheGroup group, String cacheSource,
      Loader<Object> loader) {
    try {
      return cache.acquire(witness, group, cacheSource, loader);
    } catch (CacheLoadException e) {
      if (e.getCause() instanceof LakeAnnException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private LoadedShard load(Witness witness, String where, ShardSource source,
      Function<RbpxFile, ShardSections> sections) {
    Path copy = dir.resolve(witness + ".rbpx");
    Path read = copy;
    RbpxFile file = null;
    if (Files.exists(copy)) {
      try {
        file = RbpxReader.read(copy, threads);
        touch(copy);
      } catch (InvalidRbpxException e) {
        LOG.warn("Local shard copy {} refused ({}); fetching it again", copy, e.getMessage());
      }
    }
    try {
      if (file == null) {
        read = source.fetch(copy);
        if (read.equals(copy)) {
          trim(copy);
        }
        file = RbpxReader.read(read, threads);
      }
      if (!file.witness().equals(witness)) {
        throw new ManifestMismatchException(where + ": witness " + file.witness()
            + " differs from the manifest's " + witness + "; rebuild the index");
      }
      return new LoadedShard(file, sections.apply(file));
    } catch (InvalidRbpxException | ManifestMismatchException e) {
      if (read.equals(copy)) {
        deleteQuietly(copy);
      }
      throw e instanceof ManifestMismatchException m ? m : new ManifestMismatchException(
          where + " is damaged: " + e.getMessage() + "; rebuild the index", e);
    }
  }

  /**
   * Marks {@code copy} as just used, for {@link #trim}'s least-recently-used order: its time is
   * later than every earlier touch of this JVM, even within one millisecond.
   */
  private static void touch(Path copy) {
    long now = USED.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis()));
    try {
      Files.setLastModifiedTime(copy, FileTime.fromMillis(now));
    } catch (IOException e) {
      LOG.debug("Could not touch the shard copy {}: {}", copy, e.toString());
    }
  }

  /**
   * Deletes the least recently used shard files of the directory, never {@code kept}, until
   * their bytes are within the bound. Files another JVM deletes meanwhile are skipped.
   */
  private void trim(Path kept) {
    touch(kept);
    if (dirBytes == Long.MAX_VALUE) {
      return;
    }
    record Copy(Path path, long bytes, long used) {}
    List<Copy> copies = new ArrayList<>();
    long total = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (!p.getFileName().toString().endsWith(".rbpx")) {
          continue;
        }
        try {
          BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
          copies.add(new Copy(p, a.size(), a.lastModifiedTime().toMillis()));
          total += a.size();
        } catch (IOException gone) {
          // Deleted by another JVM sharing the directory.
        }
      }
    } catch (IOException e) {
      LOG.warn("Could not list the shard directory {}: {}", dir, e.toString());
      return;
    }
    if (total <= dirBytes) {
      return;
    }
    copies.sort(Comparator.comparingLong(Copy::used));
    int deleted = 0;
    for (Copy c : copies) {
      if (total <= dirBytes) {
        break;
      }
      if (!c.path().equals(kept)) {
        deleteQuietly(c.path());
        total -= c.bytes();
        deleted++;
      }
    }
    LOG.info("Deleted the {} least recently used shard copies in {} to keep it within {} = {} "
        + "bytes", deleted, dir, DIR_BYTES_PROPERTY, dirBytes);
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("Could not delete the refused shard copy {}: {}", file, e.toString());
    }
  }

  static ShardSections verify(RegisteredBundle bundle, int index, RbpxFile file,
      String where) {
    BundleManifest manifest = bundle.manifest();
    ShardEntry entry = manifest.shards().get(index);
    byte[] identity = SourceIdentity.encode(manifest.tableUuid(), entry.builtSnapshotId(),
        manifest.binding(), entry.files(), file.index().size());
    if (!Arrays.equals(identity, file.header().sourceIdentity())) {
      throw new ManifestMismatchException(where + ": its source identity does not match the "
          + "data files the manifest lists; rebuild the index");
    }
    ShardSections sections = ShardSections.decode(file.path(), file.unknownSections(),
        file.index().size(), manifest.binding().idKind() == ColumnBinding.IdKind.STRING);
    if (sections.rowsPerFile().length != entry.files().size()) {
      throw new ManifestMismatchException(where + ": row sources name "
          + sections.rowsPerFile().length + " files, the manifest " + entry.files().size());
    }
    return sections;
  }
}
