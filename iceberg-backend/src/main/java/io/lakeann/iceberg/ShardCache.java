package io.lakeann.iceberg;

import io.lakeann.core.LakeAnnException;
import io.lakeann.core.cache.CacheLoadException;
import io.lakeann.core.cache.CacheStats;
import io.lakeann.core.cache.IndexCache;
import io.lakeann.core.cache.Lease;
import io.lakeann.core.cache.Loaded;
import io.lakeann.core.format.InvalidBundleException;
import io.lakeann.core.format.RbpxFile;
import io.lakeann.core.format.RbpxReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shards loaded for search, one copy per JVM, in index-core's witness-addressed cache. A miss
 * copies the shard's rbpx bytes from its Puffin blobs into a local directory (once per witness;
 * a later load reuses the local file), reads and verifies it, and checks that its witness and
 * source identity are exactly what the bundle's manifest claims. Thread-safe.
 */
public final class ShardCache {
  private static final Logger LOG = LoggerFactory.getLogger(ShardCache.class);
  /** System property naming the local directory for shard files. */
  public static final String DIR_PROPERTY = "lakeann.shard.dir";

  private static volatile ShardCache global;

  private final IndexCache<Object> cache;
  private final Path dir;
  private final int threads;

  /** A verified shard with its row sources. */
  public record LoadedShard(RbpxFile file, ShardSections sections) {}

  public ShardCache(IndexCache<Object> cache, Path dir, int threads) {
    this.cache = cache;
    this.dir = dir;
    this.threads = threads;
  }

  /**
   * The JVM's shard cache: index-core's global cache, shard files under {@link #DIR_PROPERTY}
   * (default {@code <java.io.tmpdir>/lakeann-shards}).
   */
  public static ShardCache global() {
    ShardCache c = global;
    if (c == null) {
      synchronized (ShardCache.class) {
        c = global;
        if (c == null) {
          String configured = System.getProperty(DIR_PROPERTY);
          Path path = configured != null ? Path.of(configured)
              : Path.of(System.getProperty("java.io.tmpdir"), "lakeann-shards");
          c = new ShardCache(IndexCache.global(), path,
              Runtime.getRuntime().availableProcessors());
          global = c;
        }
      }
    }
    return c;
  }

  public CacheStats stats() {
    return cache.stats();
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
    try {
      return cache.acquire(entry.witness(), source, () -> {
        onLoad.run();
        LoadedShard shard = load(store, bundle, index);
        long bytes = shard.file().index().bytes(true) + 8L * shard.sections().positions().length;
        return new Loaded<>(shard, bytes);
      });
    } catch (CacheLoadException e) {
      if (e.getCause() instanceof LakeAnnException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private LoadedShard load(BundleStore store, RegisteredBundle bundle, int index) {
    ShardEntry entry = bundle.manifest().shards().get(index);
    Path local = dir.resolve(entry.witness() + ".rbpx");
    RbpxFile file = null;
    if (Files.exists(local)) {
      try {
        file = RbpxReader.read(local, threads);
      } catch (InvalidBundleException e) {
        LOG.warn("Local shard copy {} refused ({}); fetching it again", local, e.getMessage());
      }
    }
    try {
      if (file == null) {
        store.fetchShard(bundle, index, local);
        file = RbpxReader.read(local, threads);
      }
      return verify(bundle, index, file);
    } catch (InvalidBundleException | ManifestMismatchException e) {
      deleteQuietly(local);
      throw e instanceof ManifestMismatchException m ? m : new ManifestMismatchException(
          String.format(Locale.ROOT, "shard %d of the lakeann bundle in %s is damaged: %s; "
              + "rebuild the index", index, bundle.statisticsPath(), e.getMessage()), e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("Could not delete the refused shard copy {}: {}", file, e.toString());
    }
  }

  private static LoadedShard verify(RegisteredBundle bundle, int index, RbpxFile file) {
    BundleManifest manifest = bundle.manifest();
    ShardEntry entry = manifest.shards().get(index);
    String where = String.format(Locale.ROOT, "shard %d of the lakeann bundle in %s", index,
        bundle.statisticsPath());
    if (!file.witness().equals(entry.witness())) {
      throw new ManifestMismatchException(where + ": witness " + file.witness()
          + " differs from the manifest's " + entry.witness() + "; rebuild the index");
    }
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
    return new LoadedShard(file, sections);
  }
}
