package io.lakeann.iceberg;

import io.lakeann.core.witness.DomainTags;
import io.lakeann.core.witness.Framing;
import io.lakeann.core.witness.Witness;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * The source identity of a shard, the bytes it carries in its rbpx header (and so in its
 * witness): which table, snapshot and columns its rows came from, and a BLAKE3 digest over every
 * data file it read (location, record count, sequence numbers, size) with the delete files applied
 * to each. The file list itself lives in the bundle manifest; a reader recomputes these bytes from
 * the manifest and refuses a shard whose header disagrees. This class is the only encoder.
 */
public final class SourceIdentity {
  private static final byte[] DOMAIN = DomainTags.ICEBERG_SHARD.getBytes(
      StandardCharsets.US_ASCII);
  /** Domain, uuid, snapshot, field ids, kinds, file count, rows and the digest. */
  private static final int LENGTH = 4 + DOMAIN.length + 16 + 8 + 4 + 4 + 1 + 1 + 4 + 8
      + Witness.LENGTH;

  private SourceIdentity() {}

  /**
   * The identity bytes of a shard of {@code tableUuid} read from {@code files} at snapshot
   * {@code snapshotId}, holding {@code rows} indexed rows.
   */
  public static byte[] encode(String tableUuid, long snapshotId, ColumnBinding binding,
      List<DataFileRef> files, long rows) {
    UUID uuid = UUID.fromString(tableUuid);
    return ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN)
        .putInt(DOMAIN.length).put(DOMAIN)
        .putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits())
        .putLong(snapshotId)
        .putInt(binding.vectorFieldId()).putInt(binding.idFieldId())
        .put((byte) binding.idKind().code()).put((byte) binding.encoding().code())
        .putInt(files.size()).putLong(rows)
        .put(filesDigest(files).bytes())
        .array();
  }

  /** BLAKE3 over the framed file list, in shard order. */
  static Witness filesDigest(List<DataFileRef> files) {
    Framing f = new Framing(DomainTags.ICEBERG_FILES).u64(files.size());
    for (DataFileRef file : files) {
      f.bytes(file.location().getBytes(StandardCharsets.UTF_8))
          .u64(file.records()).u64(file.dataSequenceNumber()).u64(file.fileSequenceNumber())
          .u64(file.sizeBytes()).u64(file.deletes().size());
      for (DeleteFileRef d : file.deletes()) {
        f.bytes(d.location().getBytes(StandardCharsets.UTF_8)).u32(d.content())
            .u64(d.records()).u64(d.dataSequenceNumber()).u64(d.contentOffset())
            .u64(d.contentLength());
      }
    }
    return f.finish();
  }
}
