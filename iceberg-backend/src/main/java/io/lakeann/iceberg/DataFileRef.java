package io.lakeann.iceberg;

import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.FileScanTask;

/**
 * What a shard records of one data file: its identity and the deletes that applied to it when
 * its rows were read. Data files are immutable, so the same location with the same deletes holds
 * the same live rows. Immutable.
 *
 * @param location the data file
 * @param records rows it holds, deleted ones included
 * @param dataSequenceNumber its data sequence number
 * @param fileSequenceNumber its file sequence number
 * @param sizeBytes its size
 * @param deletes the delete files applied, in {@link DeleteFileRef#ORDER}
 */
public record DataFileRef(String location, long records, long dataSequenceNumber,
    long fileSequenceNumber, long sizeBytes, List<DeleteFileRef> deletes)
    implements java.io.Serializable {

  public DataFileRef {
    deletes = List.copyOf(deletes);
  }

  /** The data file of a scan task with the task's deletes. */
  public static DataFileRef of(FileScanTask task) {
    List<DeleteFileRef> deletes = new ArrayList<>();
    task.deletes().forEach(d -> deletes.add(DeleteFileRef.of(d)));
    deletes.sort(DeleteFileRef.ORDER);
    return new DataFileRef(task.file().location(), task.file().recordCount(),
        DeleteFileRef.orMinusOne(task.file().dataSequenceNumber()),
        DeleteFileRef.orMinusOne(task.file().fileSequenceNumber()),
        task.file().fileSizeInBytes(), deletes);
  }
}
