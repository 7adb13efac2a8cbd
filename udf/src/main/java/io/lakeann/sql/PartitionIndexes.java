package io.lakeann.sql;

import io.lakeann.core.DimensionMismatchException;
import io.lakeann.core.RabitqIndex;
import io.lakeann.core.SearchRequest;
import io.lakeann.core.cache.CacheGroup;
import io.lakeann.core.cache.IndexCache;
import io.lakeann.core.cache.Lease;
import io.lakeann.core.cache.Loaded;
import io.lakeann.core.format.InvalidRbpxException;
import io.lakeann.core.format.RbpxHeader;
import io.lakeann.core.format.RbpxReader;
import io.lakeann.core.search.Neighbors;
import io.lakeann.iceberg.LocalFiles;
import io.lakeann.spark.ExecutorSide;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Searches the indexes {@code lakeann_index} returns as SQL binaries. Each index is decoded once
 * per JVM: the binary's header (self-hash checked) gives its witness, the key in index-core's
 * cache; on a miss the bytes are written to a scratch file and read with every section hash
 * verified, so a corrupt or foreign binary is refused before any search uses it. Thread-safe.
 */
public final class PartitionIndexes {
  static final String FUNCTION = "lakeann_search";
  /** Whose entries the indexes it searches are in the JVM's cache. */
  static final CacheGroup GROUP = new CacheGroup(FUNCTION, "partition-index");
  private static final Path NAME = Path.of("<lakeann_index binary>");

  private PartitionIndexes() {}

  /** The k nearest rows of {@code index} to {@code query}; nprobe 0 is the index's default. */
  public static Neighbors search(byte[] index, float[] query, int k, int nprobe) {
    RbpxHeader header;
    try {
      header = RbpxReader.readHeader(NAME, index);
    } catch (InvalidRbpxException e) {
      throw corrupt(e);
    }
    try (Lease<Object> lease = IndexCache.global().acquire(header.witness(), GROUP,
        FUNCTION + " " + header.witness(), () -> load(index))) {
      RabitqIndex loaded = (RabitqIndex) lease.value();
      if (query.length != loaded.dim()) {
        throw new DimensionMismatchException(String.format(Locale.ROOT,
            "%s: argument 'query' has %d elements but the index holds %d-dimensional vectors; "
                + "search it with vectors of the indexed column's model", FUNCTION,
            query.length, loaded.dim()));
      }
      SearchRequest request = loaded.search(query).k(k);
      return (nprobe > 0 ? request.nprobe(nprobe) : request).run();
    } catch (io.lakeann.core.cache.CacheLoadException e) {
      throw e.getCause() instanceof InvalidRbpxException bad ? corrupt(bad) : e;
    }
  }

  private static Loaded<Object> load(byte[] bytes) {
    Path dir = LocalFiles.tempDir("lakeann-search-");
    try {
      Path file = dir.resolve("index.rbpx");
      Files.write(file, bytes);
      RabitqIndex index = RbpxReader.read(file, ExecutorSide.taskThreads()).index();
      return new Loaded<>(index, index.bytes(true));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      LocalFiles.deleteTree(dir);
    }
  }

  private static InvalidRbpxException corrupt(InvalidRbpxException e) {
    return new InvalidRbpxException(NAME, String.format(Locale.ROOT,
        "%s: argument 'index' is not a valid lakeann index (%s); pass the binary that "
            + "lakeann_index(id, vector) returned, or build it again", FUNCTION, e.getMessage()),
        e);
  }
}
