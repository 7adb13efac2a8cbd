package io.lakeann.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.FileIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where executors leave the shards they built until the driver publishes them: a folder under the
 * table's metadata location, reached through the table's own FileIO, so it works on any storage
 * the table does. The driver deletes every staged file once the bundle is published or the build
 * failed, so nothing unregistered stays behind. Immutable and serializable.
 */
final class ShardStaging implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ShardStaging.class);

  private final String folder;

  private ShardStaging(String folder) {
    this.folder = folder;
  }

  /** A new staging folder for one build of {@code table}. */
  static ShardStaging forBuild(Table table) {
    return new ShardStaging(table.location() + "/metadata/lakeann-staging-" + UUID.randomUUID());
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

  /** Deletes the staged files; failures are logged, not thrown (the build result stands). */
  static void deleteAll(FileIO io, List<String> locations) {
    for (String location : locations) {
      try {
        io.deleteFile(location);
      } catch (RuntimeException e) {
        LOG.warn("Could not delete the staged shard {}: {}", location, e.toString());
      }
    }
  }

  /** Deletes the staging folder when it is local and empty (object stores have no folders). */
  void deleteFolder() {
    Path local = localPath(folder);
    if (local != null) {
      try {
        Files.deleteIfExists(local);
      } catch (IOException e) {
        LOG.warn("Could not delete the staging folder {}: {}", folder, e.toString());
      }
    }
  }
}
