package io.lakeann.spark.source;

import io.lakeann.core.IndexConfig;
import io.lakeann.core.format.ConfigCodec;
import io.lakeann.core.util.Json;
import io.lakeann.core.util.JsonFields;
import io.lakeann.core.witness.DomainTags;
import io.lakeann.core.witness.Framing;
import io.lakeann.core.witness.Witness;
import io.lakeann.iceberg.ColumnBinding.IdKind;
import io.lakeann.iceberg.ColumnBinding.VectorEncoding;
import io.lakeann.iceberg.ManifestJson;
import io.lakeann.iceberg.ManifestMismatchException;
import io.lakeann.spark.IndexOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The manifest of a bundle written to a path by the {@code lakeann} data source: one shard per
 * partition of the DataFrame written, the columns and the build config. Kept as
 * {@code <path>/manifest.json}; its {@link #witness()} is a BLAKE3 over everything it claims, the
 * JSON carries it, and {@link #fromJson} refuses a manifest whose content does not match it. The
 * only encoder of the manifest and of a path shard's source identity. Immutable.
 *
 * @param idColumn the id column's name
 * @param idKind its type
 * @param vectorColumn the vector column's name
 * @param encoding how that column held vectors
 * @param dim the vector dimension
 * @param config the build config
 * @param shards the shards, by partition
 */
public record PathBundle(String idColumn, IdKind idKind, String vectorColumn,
    VectorEncoding encoding, int dim, IndexConfig config, List<PathShard> shards)
    implements java.io.Serializable {

  static final int FORMAT_VERSION = 1;

  public PathBundle {
    shards = List.copyOf(shards);
  }

  /** Rows in the bundle's indexes. */
  public long rows() {
    long rows = 0;
    for (PathShard s : shards) {
      rows += s.rows();
    }
    return rows;
  }

  /** The shard files, for cleanup. */
  List<String> files() {
    List<String> files = new ArrayList<>();
    for (PathShard s : shards) {
      if (!s.isEmpty()) {
        files.add(s.file());
      }
    }
    return files;
  }

  /** BLAKE3 over everything the manifest claims. */
  public Witness witness() {
    Framing f = new Framing(DomainTags.SPARK_PATH_BUNDLE)
        .bytes(utf8(idColumn)).u32(idKind.code()).bytes(utf8(vectorColumn)).u32(encoding.code())
        .u32(dim).bytes(ConfigCodec.encode(config)).u64(shards.size());
    for (PathShard s : shards) {
      f.u32(s.shard()).u8(s.isEmpty() ? 0 : 1);
      if (!s.isEmpty()) {
        f.bytes(utf8(s.file())).witness(s.witness());
      }
      f.u64(s.rows()).u64(s.bytes()).u64(s.skippedNulls());
    }
    return f.finish();
  }

  /**
   * The source identity of a shard of {@code rows} rows read from these columns: what its rbpx
   * header carries (and so its witness). No path, time or partition goes in, so the same rows
   * give the same bytes wherever and whenever they are written.
   */
  static byte[] sourceIdentity(String idColumn, IdKind idKind, String vectorColumn,
      VectorEncoding encoding, long rows) {
    return new Framing(DomainTags.SPARK_PATH_SHARD).bytes(utf8(idColumn)).u32(idKind.code())
        .bytes(utf8(vectorColumn)).u32(encoding.code()).u64(rows).finish().bytes();
  }

  /** The config's settings as one line of JSON, for people (the manifest keeps its exact bytes). */
  public static String settings(IndexConfig c) {
    return Json.write(IndexOptions.values(c));
  }

  public String toJson() {
    Map<String, Object> m = ManifestJson.start(FORMAT_VERSION, witness());
    m.put("id-column", idColumn);
    m.put("id-kind", idKind.name());
    m.put("vector-column", vectorColumn);
    m.put("vector-encoding", encoding.name());
    m.put("dimension", dim);
    m.put("metric", config.metric().name());
    m.put("config", HexFormat.of().formatHex(ConfigCodec.encode(config)));
    List<Object> list = new ArrayList<>();
    for (PathShard s : shards) {
      Map<String, Object> shard = new LinkedHashMap<>();
      shard.put("shard", s.shard());
      if (!s.isEmpty()) {
        shard.put("file", s.file());
        shard.put("witness", s.witness().toString());
      }
      shard.put("rows", s.rows());
      shard.put("bytes", s.bytes());
      shard.put("skipped-null-vectors", s.skippedNulls());
      list.add(shard);
    }
    m.put("shards", list);
    return Json.write(m);
  }

  /**
   * Parses a manifest written by {@link #toJson}.
   *
   * @param where the file it came from, for messages
   * @throws ManifestMismatchException if it is malformed, too new, or does not match its witness
   */
  public static PathBundle fromJson(String json, String where) {
    return ManifestJson.read(json, where, FORMAT_VERSION, "write the bundle again", node -> {
      List<PathShard> shards = new ArrayList<>();
      for (JsonFields s : node.objects("shards")) {
        String witness = s.optionalText("witness");
        shards.add(new PathShard(s.integer("shard"), s.optionalText("file"),
            witness == null ? null : Witness.parse(witness), s.number("rows"),
            s.number("bytes"), s.number("skipped-null-vectors")));
      }
      return new PathBundle(node.text("id-column"), IdKind.valueOf(node.text("id-kind")),
          node.text("vector-column"), VectorEncoding.valueOf(node.text("vector-encoding")),
          node.integer("dimension"),
          ConfigCodec.decode(HexFormat.of().parseHex(node.text("config"))), shards);
    }, PathBundle::witness);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
