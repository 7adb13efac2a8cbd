package io.lakeann.spark.source;

import io.lakeann.core.RabitqIndex;
import io.lakeann.core.format.RbpxHeader;
import io.lakeann.core.format.RbpxWriter;
import io.lakeann.iceberg.LocalFiles;
import io.lakeann.spark.ExecutorSide;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.TaskKilledException;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.sql.connector.write.DataWriterFactory;
import org.apache.spark.sql.connector.write.WriterCommitMessage;

/**
 * Runs on an executor: turns one partition of the DataFrame written into one shard. Rows are
 * checked and kept as they arrive; {@link #commit} (called only for the attempt Spark lets
 * commit) builds the index from them in id order with the task's cpus, writes the rbpx to a local
 * scratch folder and copies it to {@code <path>/shards/shard-<partition>-<witness>.rbpx}.
 * Deterministic: the same rows in the same partition, in any order, give the same bytes, hence
 * the same file name. {@link #abort}
 * removes what this writer created. Not thread-safe (one per task).
 */
final class ShardWriter implements DataWriter<InternalRow> {
  /** What an executor reports for its partition: the manifest entry and the dimension. */
  record Committed(PathShard shard, int dim, boolean created) implements WriterCommitMessage {}

  /** Creates the writer of each partition; sent to executors. */
  record Factory(WriteSpec spec) implements DataWriterFactory {
    @Override
    public DataWriter<InternalRow> createWriter(int partitionId, long taskId) {
      return new ShardWriter(spec, partitionId);
    }
  }

  private final WriteSpec spec;
  private final int partition;
  private final PartitionRows rows;
  private Path scratch;
  private String created;

  ShardWriter(WriteSpec spec, int partition) {
    this.spec = spec;
    this.partition = partition;
    this.rows = new PartitionRows(spec, partition);
  }

  @Override
  public void write(InternalRow row) {
    rows.add(row);
  }

  @Override
  public WriterCommitMessage commit() {
    if (rows.size() == 0) {
      return new Committed(new PathShard(partition, null, null, 0, 0, rows.skippedNulls()), 0,
          false);
    }
    PartitionRows.Sorted sorted = rows.sorted();
    RabitqIndex index = RabitqIndex.build(sorted.set(),
        spec.config().toBuilder().threads(ExecutorSide.taskThreads()).build());
    scratch = LocalFiles.tempDir("lakeann-shard-");
    Path local = scratch.resolve("shard.rbpx");
    byte[] identity = PathBundle.sourceIdentity(spec.idColumn(), spec.idKind(),
        spec.vectorColumn(), spec.vectorType().encoding(), rows.size());
    RbpxHeader header = RbpxWriter.write(local, index, identity, null,
        sorted.sections().encode());
    String name = PathShard.fileName(partition, header.witness());
    stopIfKilled();
    boolean made = spec.files().upload(local, name);
    if (made) {
      created = name;
    }
    // A job that failed while this task built its shard must not keep the file: its driver has
    // already cleaned up without this task's report.
    stopIfKilled();
    return new Committed(new PathShard(partition, name, header.witness(), rows.size(),
        local.toFile().length(), rows.skippedNulls()), rows.dim(), made);
  }

  private void stopIfKilled() {
    TaskContext task = TaskContext.get();
    if (task != null && task.isInterrupted()) {
      abort();
      throw new TaskKilledException(task.getKillReason().getOrElse(() -> "write cancelled"));
    }
  }

  @Override
  public void abort() {
    if (created != null) {
      spec.files().deleteShards(List.of(created));
      created = null;
    }
  }

  @Override
  public void close() {
    LocalFiles.deleteTree(scratch);
  }
}
