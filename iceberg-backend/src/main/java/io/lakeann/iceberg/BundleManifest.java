package io.lakeann.iceberg;

import io.lakeann.core.IndexConfig;
import io.lakeann.core.format.ConfigCodec;
import io.lakeann.core.util.Json;
import io.lakeann.core.util.JsonFields;
import io.lakeann.core.witness.DomainTags;
import io.lakeann.core.witness.Framing;
import io.lakeann.core.witness.Witness;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The manifest of a bundle: every shard of one (table, vector column, snapshot, config), with the
 * data files each covers. Stored as JSON in the {@link #BLOB_TYPE} blob of the snapshot's Puffin
 * statistics file, beside the shards' {@code lakeann-rabitq-v1} blobs. Its {@link #witness()} is a
 * BLAKE3 over the table, snapshot, column, config and every shard's witness and file digest; the
 * JSON carries it and {@link #fromJson} refuses a manifest whose content does not match it.
 * Immutable.
 *
 * @param tableUuid the table's uuid
 * @param snapshotId the snapshot the bundle describes
 * @param binding the columns indexed (names as at build time)
 * @param dim the vector dimension (0 for a bundle of an empty table)
 * @param config the build config
 * @param targetRowsPerShard the planner's target, kept for refreshes
 * @param shards the shards, in plan order
 */
public record BundleManifest(String tableUuid, long snapshotId, ColumnBinding binding, int dim,
    IndexConfig config, long targetRowsPerShard, List<ShardEntry> shards)
    implements java.io.Serializable {

  /** Puffin blob type of the manifest. */
  public static final String BLOB_TYPE = "lakeann-manifest-v1";
  /** Puffin blob type of a shard's rbpx bytes (or one part of them). */
  public static final String SHARD_BLOB_TYPE = "lakeann-rabitq-v1";
  static final int FORMAT_VERSION = 1;

  public BundleManifest {
    shards = List.copyOf(shards);
  }

  /** Rows the bundle's indexes can return (masked rows excluded). */
  public long liveRows() {
    long rows = 0;
    for (ShardEntry s : shards) {
      rows += s.liveRows();
    }
    return rows;
  }

  /** The rbpx bytes of every shard. */
  public long bytes() {
    long bytes = 0;
    for (ShardEntry s : shards) {
      bytes += s.bytes();
    }
    return bytes;
  }

  public long skippedNulls() {
    long rows = 0;
    for (ShardEntry s : shards) {
      rows += s.skippedNulls();
    }
    return rows;
  }

  /** BLAKE3 over everything the manifest claims. */
  public Witness witness() {
    Framing f = new Framing(DomainTags.ICEBERG_BUNDLE)
        .bytes(tableUuid.getBytes(StandardCharsets.US_ASCII)).u64(snapshotId)
        .u32(binding.vectorFieldId()).u32(binding.idFieldId()).u32(binding.idKind().code())
        .u32(binding.encoding().code()).u32(dim).bytes(ConfigCodec.encode(config))
        .u64(targetRowsPerShard).u64(shards.size());
    for (ShardEntry s : shards) {
      // 0 empty, 1 a shard, 2 a shard that records its rows' lineage.
      f.u8(s.isEmpty() ? 0 : s.rowLineage() ? 2 : 1);
      if (!s.isEmpty()) {
        f.witness(s.witness());
      }
      f.u64(s.rows()).u64(s.maskedRows()).u64(s.skippedNulls()).u64(s.builtSnapshotId())
          .u64(s.bytes()).witness(SourceIdentity.filesDigest(s.files()));
    }
    return f.finish();
  }

  public String toJson() {
    Map<String, Object> m = ManifestJson.start(FORMAT_VERSION, witness());
    m.put("table-uuid", tableUuid);
    m.put("snapshot-id", snapshotId);
    m.put("table", binding.table());
    m.put("vector-column", binding.vectorColumn());
    m.put("vector-field-id", binding.vectorFieldId());
    m.put("vector-encoding", binding.encoding().name());
    m.put("id-column", binding.idColumn());
    m.put("id-field-id", binding.idFieldId());
    m.put("id-kind", binding.idKind().name());
    m.put("dimension", dim);
    m.put("metric", config.metric().name());
    m.put("config", HexFormat.of().formatHex(ConfigCodec.encode(config)));
    m.put("target-rows-per-shard", targetRowsPerShard);
    List<Object> list = new ArrayList<>();
    for (ShardEntry shard : shards) {
      list.add(shardJson(shard));
    }
    m.put("shards", list);
    return Json.write(m);
  }

  private static Map<String, Object> shardJson(ShardEntry s) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (!s.isEmpty()) {
      m.put("witness", s.witness().toString());
    }
    m.put("rows", s.rows());
    m.put("masked-rows", s.maskedRows());
    m.put("skipped-null-vectors", s.skippedNulls());
    m.put("built-snapshot-id", s.builtSnapshotId());
    m.put("bytes", s.bytes());
    if (s.rowLineage()) {
      m.put("row-lineage", true);
    }
    List<Object> files = new ArrayList<>();
    for (DataFileRef file : s.files()) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("location", file.location());
      f.put("records", file.records());
      f.put("data-sequence-number", file.dataSequenceNumber());
      f.put("file-sequence-number", file.fileSequenceNumber());
      f.put("size", file.sizeBytes());
      List<Object> deletes = new ArrayList<>();
      for (DeleteFileRef d : file.deletes()) {
        Map<String, Object> del = new LinkedHashMap<>();
        del.put("location", d.location());
        del.put("content", d.content());
        del.put("records", d.records());
        del.put("data-sequence-number", d.dataSequenceNumber());
        del.put("offset", d.contentOffset());
        del.put("length", d.contentLength());
        deletes.add(del);
      }
      f.put("deletes", deletes);
      files.add(f);
    }
    m.put("files", files);
    return m;
  }

  /**
   * Parses a manifest written by {@link #toJson}.
   *
   * @param where the file it came from, for messages
   * @throws ManifestMismatchException if it is malformed or its witness does not match
   */
  public static BundleManifest fromJson(String json, String where) {
    return ManifestJson.read(json, where, FORMAT_VERSION, "rebuild the index", node -> {
      ColumnBinding binding = new ColumnBinding(node.text("table"), node.text("vector-column"),
          node.integer("vector-field-id"),
          ColumnBinding.VectorEncoding.valueOf(node.text("vector-encoding")),
          node.text("id-column"), node.integer("id-field-id"),
          ColumnBinding.IdKind.valueOf(node.text("id-kind")));
      IndexConfig config = ConfigCodec.decode(HexFormat.of().parseHex(node.text("config")));
      List<ShardEntry> shards = new ArrayList<>();
      for (JsonFields shard : node.objects("shards")) {
        shards.add(readShard(shard));
      }
      return new BundleManifest(node.text("table-uuid"), node.number("snapshot-id"), binding,
          node.integer("dimension"), config, node.number("target-rows-per-shard"), shards);
    }, BundleManifest::witness);
  }

  private static ShardEntry readShard(JsonFields s) {
    List<DataFileRef> files = new ArrayList<>();
    for (JsonFields f : s.objects("files")) {
      List<DeleteFileRef> deletes = new ArrayList<>();
      for (JsonFields d : f.objects("deletes")) {
        deletes.add(new DeleteFileRef(d.text("location"), d.integer("content"),
            d.number("records"), d.number("data-sequence-number"), d.number("offset"),
            d.number("length")));
      }
      files.add(new DataFileRef(f.text("location"), f.number("records"),
          f.number("data-sequence-number"), f.number("file-sequence-number"), f.number("size"),
          deletes));
    }
    String witness = s.optionalText("witness");
    return new ShardEntry(witness == null ? null : Witness.parse(witness), s.number("rows"),
        s.number("masked-rows"), s.number("skipped-null-vectors"),
        s.number("built-snapshot-id"), s.number("bytes"), files,
        Boolean.TRUE.equals(s.map().get("row-lineage")));
  }
}
