package io.lakeann.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where executors leave the shards they built until the driver publishes them: a folder of its
 * own per build under the table's {@code metadata/lakeann-staging/}, reached through the table's
 * own FileIO, so it works on any storage the table does. The driver deletes the folder once the
 * bundle is published or the build failed, and a JVM shutdown (Ctrl-C, SIGTERM) deletes it too;
 * a build killed outright leaves its folder, which a later build removes once nothing in it has
 * changed for {@link #MAX_AGE_KEY} (Iceberg's {@code remove_orphan_files} removes it as well).
 * Immutable and serializable.
 */
final class ShardStaging implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ShardStaging.class);
  /** The Spark setting: how long a staging folder may go unchanged before it counts as dead. */
  static final String MAX_AGE_KEY = "spark.lakeann.build.stagingMaxAge";
  static final String DEFAULT_MAX_AGE = "6h";
  private static final String STAGING = "/metadata/lakeann-staging/";

  private final String folder;

  private ShardStaging(String folder) {
    this.folder = folder;
  }

  /** The folder under which every build of {@code table} stages, ending in '/'. */
  static String root(Table table) {
    return table.location() + STAGING;
  }

  /** A new staging folder for one build of {@code table}. */
  static ShardStaging forBuild(Table table) {
    return new ShardStaging(root(table) + UUID.randomUUID());
  }

  String folder() {
    return folder;
  }

  String shardLocation(int shard) {
    return folder + "/shard-" + shard + ".rbpx";
  }

  /** Copies the local file to the staged location of {@code shard}; returns that location. */
  String upload(FileIO io, Path local, int shard) {
    String target = shardLocation(shard);
    try (InputStream in = Files.newInputStream(local);
        OutputStream out = io.newOutputFile(target).createOrOverwrite()) {
      in.transferTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot stage shard " + shard + " at " + target, e);
    }
    return target;
  }

  /**
   * A local file holding the staged shard: the staged file itself when it is on this machine's
   * file system, otherwise a copy downloaded into {@code dir}.
   */
  static Path local(FileIO io, String location, Path dir) {
    Path direct = localPath(location);
    if (direct != null && Files.exists(direct)) {
      return direct;
    }
    Path copy = dir.resolve(location.substring(location.lastIndexOf('/') + 1));
    try (InputStream in = io.newInputFile(location).newStream()) {
      Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot fetch the staged shard " + location, e);
    }
    return copy;
  }

  private static Path localPath(String location) {
    if (location.startsWith("/")) {
      return Path.of(location);
    }
    if (location.startsWith("file:")) {
      return Path.of(URI.create(location));
    }
    return null;
  }

  /**
   * Deletes this build's staged files: the whole folder where the FileIO lists by prefix, else
   * {@code known}; failures are logged, not thrown (the build result stands).
   */
  void delete(FileIO io, List<String> known) {
    try {
      if (io instanceof SupportsPrefixOperations prefixes) {
        prefixes.deletePrefix(folder);
      } else {
        known.forEach(io::deleteFile);
      }
    } catch (RuntimeException e) {
      LOG.warn("Could not delete the staged shards in {}: {}", folder, e.toString());
    }
    deleteLocalFolder(folder);
  }

  /**
   * A JVM shutdown hook that deletes this build's staged files if the JVM exits while it runs;
   * remove it with {@link Runtime#removeShutdownHook} when the build ends.
   */
  Thread deleteOnShutdown(FileIO io, List<String> known) {
    Thread hook = new Thread(() -> delete(io, List.copyOf(known)), "lakeann-staging-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }

  /**
   * Deletes the staging folders of {@code table}'s dead builds: those none of whose files
   * changed in the last {@code maxAge}. A FileIO that cannot list by prefix is left alone.
   */
  static void removeStale(Table table, Duration maxAge) {
    if (!(table.io() instanceof SupportsPrefixOperations prefixes)) {
      return;
    }
    String root = root(table);
    Map<String, List<FileInfo>> byFolder = new TreeMap<>();
    try {
      for (FileInfo file : prefixes.listPrefix(root)) {
        int at = file.location().indexOf(STAGING);
        String rest = at < 0 ? "" : file.location().substring(at + STAGING.length());
        int slash = rest.indexOf('/');
        if (slash > 0) {
          byFolder.computeIfAbsent(rest.substring(0, slash), f -> new ArrayList<>()).add(file);
        }
      }
    } catch (NotFoundException | UncheckedIOException e) {
      return;
    }
    long cutoff = System.currentTimeMillis() - maxAge.toMillis();
    byFolder.forEach((name, files) -> {
      if (files.stream().allMatch(f -> f.createdAtMillis() < cutoff)) {
        LOG.info("Removing the staging folder {}{} of a dead lakeann build of {}: {} files, "
            + "unchanged for more than {}", root, name, table.name(), files.size(), maxAge);
        new ShardStaging(root + name).delete(table.io(), List.of());
      }
    });
  }

  /** Deletes {@code location} when it is a local folder and empty (object stores have none). */
  private static void deleteLocalFolder(String location) {
    Path local = localPath(location);
    if (local != null) {
      try {
        Files.deleteIfExists(local);
      } catch (IOException e) {
        LOG.warn("Could not delete the staging folder {}: {}", location, e.toString());
      }
    }
  }
}
