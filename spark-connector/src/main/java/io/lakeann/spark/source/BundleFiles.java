package io.lakeann.spark.source;

import io.lakeann.core.InvalidRequestException;
import io.lakeann.core.LakeAnnException;
import io.lakeann.core.cache.CacheGroup;
import io.lakeann.core.cache.Lease;
import io.lakeann.iceberg.ColumnBinding.IdKind;
import io.lakeann.iceberg.NoIndexException;
import io.lakeann.iceberg.PublishException;
import io.lakeann.iceberg.ShardCache;
import io.lakeann.iceberg.ShardSections;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of a bundle at a path, through the Hadoop FileSystem of that path:
 * {@code <path>/manifest.json} and {@code <path>/shards/shard-<partition>-<witness>.rbpx}. Every
 * file appears whole under its name or not at all (written under a hidden temporary name in the
 * same folder, then renamed), so a reader sees the previous manifest or the new one, never a
 * partial one. Local paths skip Hadoop's {@code .crc} side files (rbpx files and the manifest
 * carry their own hashes). Immutable and serializable, for executors.
 */
public final class BundleFiles implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(BundleFiles.class);
  static final String MANIFEST = "manifest.json";
  static final String SHARDS = "shards";

  private final String root;
  private final SerializableConfiguration conf;

  private BundleFiles(String root, SerializableConfiguration conf) {
    this.root = root;
    this.conf = conf;
  }

  /** The bundle at {@code path}, with the session's Hadoop configuration. */
  public static BundleFiles of(SparkSession spark, String path) {
    return new BundleFiles(requirePath(path), new SerializableConfiguration(
        spark.sessionState().newHadoopConf()));
  }

  /** {@code path}, unless it is missing. */
  static String requirePath(String path) {
    InvalidRequestException.check(path != null && !path.isBlank(),
        "No path for the lakeann bundle: pass one, e.g. save(\"/data/docs-index\") or "
            + "load(\"/data/docs-index\")");
    return path;
  }

  /** The bundle's path as given. */
  public String path() {
    return root;
  }

  /** "the lakeann bundle at path", for messages. */
  public String describe() {
    return "the lakeann bundle at " + root;
  }

  /** "column 'embedding' of the lakeann bundle at path", for messages. */
  public String describe(String vectorColumn) {
    return "column '" + vectorColumn + "' of " + describe();
  }

  private FileSystem fs() throws IOException {
    FileSystem fs = new Path(root).getFileSystem(conf.value());
    return fs instanceof ChecksumFileSystem checked ? checked.getRawFileSystem() : fs;
  }

  private Path manifestPath() {
    return new Path(root, MANIFEST);
  }

  private Path shardPath(String file) {
    return new Path(new Path(root, SHARDS), file);
  }

  /** The bundle's manifest, verified against its witness, or empty when there is none. */
  public Optional<PathBundle> manifest() {
    Path path = manifestPath();
    try {
      FileSystem fs = fs();
      if (!fs.exists(path)) {
        return Optional.empty();
      }
      try (InputStream in = fs.open(path)) {
        return Optional.of(PathBundle.fromJson(
            new String(in.readAllBytes(), StandardCharsets.UTF_8), path.toString()));
      }
    } catch (IOException e) {
      throw new LakeAnnException(String.format(Locale.ROOT,
          "Cannot read %s: %s; check the path and its permissions", path, e), e);
    }
  }

  /**
   * The bundle's manifest.
   *
   * @throws NoIndexException naming the path when there is none yet
   */
  public PathBundle requireManifest() {
    return manifest().orElseThrow(() -> new NoIndexException(String.format(Locale.ROOT,
        "No lakeann bundle at %s (it has no %s); write one first, e.g. df.write()"
            + ".format(\"lakeann\").option(\"id\", \"doc_id\").option(\"vector\", \"embedding\")"
            + ".save(\"%s\")", root, MANIFEST, root)));
  }

  /** The manifest for cleanup decisions: a damaged one counts as none (and is logged). */
  Optional<PathBundle> manifestQuietly() {
    try {
      return manifest();
    } catch (LakeAnnException e) {
      LOG.warn("Ignoring the unreadable manifest of {}: {}", describe(), e.getMessage());
      return Optional.empty();
    }
  }

  /** Whether the path has a manifest (readable or not). */
  boolean hasManifest() {
    try {
      return fs().exists(manifestPath());
    } catch (IOException e) {
      throw new LakeAnnException("Cannot look for " + manifestPath() + ": " + e
          + "; check the path and its permissions", e);
    }
  }

  /** The error for a write that would replace an existing bundle. */
  BundleExistsException exists() {
    return new BundleExistsException(String.format(Locale.ROOT,
        "A lakeann bundle already exists at %s (it has a %s); write with mode(\"overwrite\") to "
            + "replace it, or choose another path", root, MANIFEST));
  }

  /**
   * Publishes {@code manifest} as the bundle's manifest in one rename.
   *
   * @param replace whether an existing manifest may be replaced; if not and one exists, fails
   *     with a {@link BundleExistsException}
   */
  void publish(PathBundle manifest, boolean replace) {
    Path target = manifestPath();
    byte[] json = manifest.toJson().getBytes(StandardCharsets.UTF_8);
    boolean placed;
    try {
      FileSystem fs = fs();
      placed = (replace || !fs.exists(target)) && writeWhole(fs, target, replace, out ->
          out.write(json));
    } catch (IOException e) {
      throw new PublishException(String.format(Locale.ROOT,
          "Cannot publish the manifest of %s: %s; the previous manifest, if any, is unchanged",
          describe(), e), e);
    }
    if (!placed) {
      throw exists();
    }
  }

  /**
   * Copies a local shard file to {@code shards/<name>}, whole or not at all.
   *
   * @return whether this call created the file; false when a file of that name (hence of that
   *     witness and content) was already there, which is then left as it is
   */
  boolean upload(java.nio.file.Path local, String name) {
    Path target = shardPath(name);
    try {
      FileSystem fs = fs();
      return !fs.exists(target) && writeWhole(fs, target, false, out -> Files.copy(local, out));
    } catch (IOException e) {
      throw new PublishException(String.format(Locale.ROOT,
          "Cannot write the shard %s of %s: %s", name, describe(), e), e);
    }
  }

  /** Writes a file's bytes. */
  @FunctionalInterface
  private interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Writes {@code target} whole or not at all: under a hidden temporary name in its folder, then
   * renamed onto it. POSIX-like file systems replace an existing target atomically; HDFS refuses
   * one, and is then asked (when {@code replace}) through FileContext, which replaces it there
   * in one atomic step.
   *
   * @return false when {@code target} exists and {@code replace} is not set (it is left as is)
   */
  private boolean writeWhole(FileSystem fs, Path target, boolean replace, Content content)
      throws IOException {
    Path temp = new Path(target.getParent(),
        "_" + target.getName() + "." + UUID.randomUUID() + ".tmp");
    try {
      try (FSDataOutputStream out = fs.create(temp, false)) {
        content.writeTo(out);
        out.hsync();
      }
      if (!replace && fs.exists(target)) {
        return false;
      }
      if (!fs.rename(temp, target)) {
        if (!fs.exists(target)) {
          throw new IOException("rename of " + temp + " to " + target + " failed");
        }
        if (!replace) {
          return false;
        }
        FileContext.getFileContext(fs.getUri(), conf.value())
            .rename(temp, target, Options.Rename.OVERWRITE);
      }
      return true;
    } finally {
      deleteQuietly(fs, temp);
    }
  }

  /** Deletes the named shard files; failures are logged, not thrown. */
  void deleteShards(Collection<String> names) {
    FileSystem fs;
    try {
      fs = fs();
    } catch (IOException e) {
      LOG.warn("Could not delete shards of {}: {}", describe(), e.toString());
      return;
    }
    for (String name : names) {
      deleteQuietly(fs, shardPath(name));
    }
  }

  private static void deleteQuietly(FileSystem fs, Path path) {
    try {
      fs.delete(path, false);
    } catch (IOException e) {
      LOG.warn("Could not delete {}: {}", path, e.toString());
    }
  }

  /**
   * A lease on shard {@code index} of {@code bundle} from the JVM's shard cache, keyed by its
   * witness: read in place when the path is local, otherwise copied to the cache's local folder
   * first; verified on load. Close it when done searching.
   *
   * @param onLoad run when this call loads the shard rather than finding it cached
   */
  public Lease<Object> acquire(PathBundle bundle, int index, Runnable onLoad) {
    PathShard shard = bundle.shards().get(index);
    String where = String.format(Locale.ROOT, "shard %d of %s", shard.shard(), describe());
    return ShardCache.global().acquire(shard.witness(), new CacheGroup(root, ShardCache.KIND),
        root + "/" + SHARDS + "/" + shard.file(), where, onLoad, copy -> local(shard.file(), copy),
        file -> ShardSections.decode(file.path(), file.unknownSections(), file.index().size(),
            bundle.idKind() == IdKind.STRING));
  }

  /** The shard file on this machine: itself when the path is local, else a copy at {@code copy}. */
  private java.nio.file.Path local(String file, java.nio.file.Path copy) {
    Path remote = shardPath(file);
    try {
      FileSystem fs = fs();
      if (fs instanceof RawLocalFileSystem local) {
        return local.pathToFile(remote).toPath();
      }
      java.nio.file.Path dir = copy.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      java.nio.file.Path temp = Files.createTempFile(dir, copy.getFileName().toString(), ".part");
      try {
        try (InputStream in = fs.open(remote); OutputStream out = Files.newOutputStream(temp)) {
          in.transferTo(out);
        }
        Files.move(temp, copy, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
      return copy;
    } catch (IOException e) {
      throw new LakeAnnException(String.format(Locale.ROOT,
          "Cannot fetch %s of %s: %s; check the path and its permissions", remote, describe(),
          e), e);
    }
  }

  /** The names of {@code bundle}'s files that {@code newer} does not list. */
  static List<String> replaced(PathBundle bundle, PathBundle newer) {
    List<String> old = new java.util.ArrayList<>(bundle.files());
    old.removeAll(newer.files());
    return old;
  }
}
