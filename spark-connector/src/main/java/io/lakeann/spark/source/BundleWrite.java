package io.lakeann.spark.source;

import io.lakeann.core.DimensionMismatchException;
import io.lakeann.core.EmptyInputException;
import io.lakeann.core.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.connector.write.BatchWrite;
import org.apache.spark.sql.connector.write.DataWriterFactory;
import org.apache.spark.sql.connector.write.LogicalWriteInfo;
import org.apache.spark.sql.connector.write.PhysicalWriteInfo;
import org.apache.spark.sql.connector.write.SupportsTruncate;
import org.apache.spark.sql.connector.write.Write;
import org.apache.spark.sql.connector.write.WriteBuilder;
import org.apache.spark.sql.connector.write.WriterCommitMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One write of a DataFrame to a path bundle: one shard per input partition, built on the
 * executors ({@link ShardWriter}), then on the driver one manifest listing them all, published
 * in one rename. Only once the new manifest is in place are the shards of the one it replaced
 * deleted; a failed write deletes the shard files it created and leaves the previous bundle as it
 * was. Modes: {@code errorifexists} (Spark's default) creates a bundle and refuses a path that
 * has one, {@code overwrite} replaces it; {@code append} is refused, since a bundle is written
 * whole. Immutable.
 */
final class BundleWrite implements Write, BatchWrite {
  private static final Logger LOG = LoggerFactory.getLogger(BundleWrite.class);

  private final WriteSpec spec;
  private final boolean replace;

  private BundleWrite(WriteSpec spec, boolean replace) {
    this.spec = spec;
    this.replace = replace;
  }

  /**
   * Builds the write of a table: {@code creating} when the table came from the catalog's
   * createTable (mode errorifexists), else it must be truncated first (mode overwrite).
   */
  record Builder(BundleFiles files, boolean creating, LogicalWriteInfo info, boolean truncated)
      implements SupportsTruncate {

    @Override
    public WriteBuilder truncate() {
      return new Builder(files, creating, info, true);
    }

    @Override
    public Write build() {
      if (!creating && !truncated) {
        throw new InvalidRequestException(String.format(Locale.ROOT,
            "Cannot append to %s: a bundle is written whole; use mode(\"overwrite\") to "
                + "replace it, or mode(\"errorifexists\") (the default) to create one",
            files.describe()));
      }
      return new BundleWrite(WriteSpec.parse(files, info.schema(), info.options()), truncated);
    }
  }

  @Override
  public String description() {
    return "lakeann shards of " + spec.describe();
  }

  @Override
  public BatchWrite toBatch() {
    return this;
  }

  @Override
  public DataWriterFactory createBatchWriterFactory(PhysicalWriteInfo info) {
    return new ShardWriter.Factory(spec);
  }

  @Override
  public void commit(WriterCommitMessage[] messages) {
    BundleFiles files = spec.files();
    List<PathShard> shards = new ArrayList<>(messages.length);
    int dim = 0;
    int dimFrom = -1;
    long skipped = 0;
    for (WriterCommitMessage message : messages) {
      ShardWriter.Committed c = (ShardWriter.Committed) message;
      shards.add(c.shard());
      skipped += c.shard().skippedNulls();
      if (c.shard().isEmpty()) {
        continue;
      }
      if (dim == 0) {
        dim = c.dim();
        dimFrom = c.shard().shard();
      } else if (c.dim() != dim) {
        throw new DimensionMismatchException(String.format(Locale.ROOT,
            "%s: partition %d holds %d-dimensional vectors but partition %d holds %d-dimensional "
                + "ones; make every vector of the column the same length", spec.describe(),
            c.shard().shard(), c.dim(), dimFrom, dim));
      }
    }
    if (dim == 0) {
      throw new EmptyInputException(String.format(Locale.ROOT,
          "%s: no row has a vector (%d null vectors skipped), so there is nothing to index; "
              + "write a DataFrame with at least one non-null vector", spec.describe(), skipped));
    }
    PathBundle manifest = new PathBundle(spec.idColumn(), spec.idKind(), spec.vectorColumn(),
        spec.vectorType().encoding(), dim, spec.config(), shards);
    Optional<PathBundle> previous = replace ? files.manifestQuietly() : Optional.empty();
    files.publish(manifest, replace);
    previous.ifPresent(old -> files.deleteShards(BundleFiles.replaced(old, manifest)));
    LOG.info("Wrote {}: {} shards, {} rows, {} null vectors skipped, witness {}",
        files.describe(), shards.size(), manifest.rows(), skipped, manifest.witness());
  }

  @Override
  public void abort(WriterCommitMessage[] messages) {
    List<String> kept = spec.files().manifestQuietly().map(PathBundle::files).orElse(List.of());
    List<String> mine = new ArrayList<>();
    for (WriterCommitMessage message : messages) {
      if (message instanceof ShardWriter.Committed c && c.created()
          && !kept.contains(c.shard().file())) {
        mine.add(c.shard().file());
      }
    }
    spec.files().deleteShards(mine);
    LOG.info("Write of {} aborted; removed its {} new shard files",
        spec.files().describe(), mine.size());
  }
}
