package io.lakeann.iceberg;

import java.util.Comparator;
import org.apache.iceberg.DeleteFile;

/**
 * What a shard records of one delete file applied to its rows: enough to tell, on a later
 * snapshot, whether the same deletes still apply. Immutable.
 *
 * @param location the delete file (for a deletion vector, its Puffin file)
 * @param content 1 for position deletes and deletion vectors, 2 for equality deletes
 * @param records deleted rows it holds
 * @param dataSequenceNumber its data sequence number
 * @param contentOffset offset of a deletion vector's blob, or -1
 * @param contentLength length of a deletion vector's blob, or -1
 */
public record DeleteFileRef(String location, int content, long records, long dataSequenceNumber,
    long contentOffset, long contentLength) implements java.io.Serializable {

  /** The canonical order of a file's deletes: by location, then offset. */
  public static final Comparator<DeleteFileRef> ORDER = Comparator
      .comparing(DeleteFileRef::location).thenComparingLong(DeleteFileRef::contentOffset);

  public static DeleteFileRef of(DeleteFile file) {
    return new DeleteFileRef(file.location(), file.content().id(), file.recordCount(),
        orMinusOne(file.dataSequenceNumber()), orMinusOne(file.contentOffset()),
        orMinusOne(file.contentSizeInBytes()));
  }

  static long orMinusOne(Long value) {
    return value == null ? -1 : value;
  }
}
