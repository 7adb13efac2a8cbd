package io.lakeann.iceberg;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.lakeann.core.IndexConfig;
import io.lakeann.core.format.ConfigCodec;
import io.lakeann.core.witness.Framing;
import io.lakeann.core.witness.Witness;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.apache.iceberg.util.JsonUtil;

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
    IndexConfig config, long targetRowsPerShard, List<ShardEntry> shards) {

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

  public long skippedNulls() {
    long rows = 0;
    for (ShardEntry s : shards) {
      rows += s.skippedNulls();
    }
    return rows;
  }

  /** BLAKE3 over everything the manifest claims. */
  public Witness witness() {
    Framing f = new Framing("lakeann.iceberg.bundle.v1")
        .bytes(tableUuid.getBytes(StandardCharsets.US_ASCII)).u64(snapshotId)
        .u32(binding.vectorFieldId()).u32(binding.idFieldId()).u32(binding.idKind().code())
        .u32(binding.encoding().code()).u32(dim).bytes(ConfigCodec.encode(config))
        .u64(targetRowsPerShard).u64(shards.size());
    for (ShardEntry s : shards) {
      f.u8(s.isEmpty() ? 0 : 1);
      if (!s.isEmpty()) {
        f.witness(s.witness());
      }
      f.u64(s.rows()).u64(s.maskedRows()).u64(s.skippedNulls()).u64(s.builtSnapshotId())
          .u64(s.bytes()).witness(SourceIdentity.filesDigest(s.files()));
    }
    return f.finish();
  }

  public String toJson() {
    return JsonUtil.generate(gen -> {
      gen.writeStartObject();
      gen.writeNumberField("format-version", FORMAT_VERSION);
      gen.writeStringField("witness", witness().toString());
      gen.writeStringField("table-uuid", tableUuid);
      gen.writeNumberField("snapshot-id", snapshotId);
      gen.writeStringField("table", binding.table());
      gen.writeStringField("vector-column", binding.vectorColumn());
      gen.writeNumberField("vector-field-id", binding.vectorFieldId());
      gen.writeStringField("vector-encoding", binding.encoding().name());
      gen.writeStringField("id-column", binding.idColumn());
      gen.writeNumberField("id-field-id", binding.idFieldId());
      gen.writeStringField("id-kind", binding.idKind().name());
      gen.writeNumberField("dimension", dim);
      gen.writeStringField("metric", config.metric().name());
      gen.writeStringField("config", HexFormat.of().formatHex(ConfigCodec.encode(config)));
      gen.writeNumberField("target-rows-per-shard", targetRowsPerShard);
      gen.writeArrayFieldStart("shards");
      for (ShardEntry s : shards) {
        writeShard(gen, s);
      }
      gen.writeEndArray();
      gen.writeEndObject();
    }, false);
  }

  private static void writeShard(JsonGenerator gen, ShardEntry s) throws IOException {
    gen.writeStartObject();
    if (!s.isEmpty()) {
      gen.writeStringField("witness", s.witness().toString());
    }
    gen.writeNumberField("rows", s.rows());
    gen.writeNumberField("masked-rows", s.maskedRows());
    gen.writeNumberField("skipped-null-vectors", s.skippedNulls());
    gen.writeNumberField("built-snapshot-id", s.builtSnapshotId());
    gen.writeNumberField("bytes", s.bytes());
    gen.writeArrayFieldStart("files");
    for (DataFileRef file : s.files()) {
      gen.writeStartObject();
      gen.writeStringField("location", file.location());
      gen.writeNumberField("records", file.records());
      gen.writeNumberField("data-sequence-number", file.dataSequenceNumber());
      gen.writeNumberField("file-sequence-number", file.fileSequenceNumber());
      gen.writeNumberField("size", file.sizeBytes());
      gen.writeArrayFieldStart("deletes");
      for (DeleteFileRef d : file.deletes()) {
        gen.writeStartObject();
        gen.writeStringField("location", d.location());
        gen.writeNumberField("content", d.content());
        gen.writeNumberField("records", d.records());
        gen.writeNumberField("data-sequence-number", d.dataSequenceNumber());
        gen.writeNumberField("offset", d.contentOffset());
        gen.writeNumberField("length", d.contentLength());
        gen.writeEndObject();
      }
      gen.writeEndArray();
      gen.writeEndObject();
    }
    gen.writeEndArray();
    gen.writeEndObject();
  }

  /**
   * Parses a manifest written by {@link #toJson}.
   *
   * @param where the file it came from, for messages
   * @throws ManifestMismatchException if it is malformed or its witness does not match
   */
  public static BundleManifest fromJson(String json, String where) {
    BundleManifest manifest;
    String claimed;
    try {
      JsonNode node = JsonUtil.mapper().readTree(json);
      int version = JsonUtil.getInt("format-version", node);
      if (version != FORMAT_VERSION) {
        throw new ManifestMismatchException(String.format(Locale.ROOT,
            "%s: lakeann manifest format version %d is not supported by this reader (version "
                + "%d); upgrade lakeann or rebuild the index", where, version, FORMAT_VERSION));
      }
      claimed = JsonUtil.getString("witness", node);
      ColumnBinding binding = new ColumnBinding(JsonUtil.getString("table", node),
          JsonUtil.getString("vector-column", node), JsonUtil.getInt("vector-field-id", node),
          ColumnBinding.VectorEncoding.valueOf(JsonUtil.getString("vector-encoding", node)),
          JsonUtil.getString("id-column", node), JsonUtil.getInt("id-field-id", node),
          ColumnBinding.IdKind.valueOf(JsonUtil.getString("id-kind", node)));
      IndexConfig config = ConfigCodec.decode(
          HexFormat.of().parseHex(JsonUtil.getString("config", node)));
      List<ShardEntry> shards = new ArrayList<>();
      for (JsonNode s : node.get("shards")) {
        shards.add(readShard(s));
      }
      manifest = new BundleManifest(JsonUtil.getString("table-uuid", node),
          JsonUtil.getLong("snapshot-id", node), binding, JsonUtil.getInt("dimension", node),
          config, JsonUtil.getLong("target-rows-per-shard", node), shards);
    } catch (IOException | RuntimeException e) {
      if (e instanceof ManifestMismatchException m) {
        throw m;
      }
      throw new ManifestMismatchException(where + ": unreadable lakeann manifest ("
          + e.getMessage() + "); rebuild the index", e);
    }
    if (!manifest.witness().toString().equals(claimed)) {
      throw new ManifestMismatchException(where + ": lakeann manifest content does not match "
          + "its witness " + claimed + "; it was altered; rebuild the index");
    }
    return manifest;
  }

  private static ShardEntry readShard(JsonNode s) {
    List<DataFileRef> files = new ArrayList<>();
    for (JsonNode f : s.get("files")) {
      List<DeleteFileRef> deletes = new ArrayList<>();
      for (JsonNode d : f.get("deletes")) {
        deletes.add(new DeleteFileRef(JsonUtil.getString("location", d),
            JsonUtil.getInt("content", d), JsonUtil.getLong("records", d),
            JsonUtil.getLong("data-sequence-number", d), JsonUtil.getLong("offset", d),
            JsonUtil.getLong("length", d)));
      }
      files.add(new DataFileRef(JsonUtil.getString("location", f),
          JsonUtil.getLong("records", f), JsonUtil.getLong("data-sequence-number", f),
          JsonUtil.getLong("file-sequence-number", f), JsonUtil.getLong("size", f), deletes));
    }
    String witness = JsonUtil.getStringOrNull("witness", s);
    return new ShardEntry(witness == null ? null : Witness.parse(witness),
        JsonUtil.getLong("rows", s), JsonUtil.getLong("masked-rows", s),
        JsonUtil.getLong("skipped-null-vectors", s), JsonUtil.getLong("built-snapshot-id", s),
        JsonUtil.getLong("bytes", s), files);
  }
}
