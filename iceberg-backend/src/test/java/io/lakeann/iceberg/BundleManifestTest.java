package io.lakeann.iceberg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.Metric;
import io.lakeann.core.witness.Witness;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The manifest's JSON round-trips exactly, and any alteration is refused. */
class BundleManifestTest {
  private static BundleManifest manifest() {
    ColumnBinding binding = new ColumnBinding("db.docs", "embedding", 2,
        ColumnBinding.VectorEncoding.LIST_FLOAT, "id", 1, ColumnBinding.IdKind.STRING);
    DataFileRef file = new DataFileRef("s3://b/db/docs/data/a \"quoted\".parquet", 100, 3, 3,
        4096, List.of(new DeleteFileRef("s3://b/dv.puffin", 1, 2, 4, 8, 40)));
    ShardEntry shard = new ShardEntry(Witness.of(new byte[32]), 98, 2, 1, 77, 5000,
        List.of(file));
    ShardEntry empty = new ShardEntry(null, 0, 0, 5, 77, 0,
        List.of(new DataFileRef(file.location(), 100, 3, 3, 4096, List.of())));
    ShardEntry withLineage = new ShardEntry(Witness.of(new byte[32]), 10, 0, 0, 77, 600,
        List.of(new DataFileRef("s3://b/db/docs/data/b.parquet", 10, 4, 4, 512, List.of())),
        true);
    return new BundleManifest(UUID.randomUUID().toString(), 77, binding, 16,
        IcebergFixture.config(Metric.COSINE), 1000, List.of(shard, empty, withLineage));
  }

  @Test
  void jsonRoundTripsToAnEqualManifestWithTheSameWitness() {
    BundleManifest m = manifest();
    BundleManifest back = BundleManifest.fromJson(m.toJson(), "test");
    assertEquals(m.witness(), back.witness());
    assertEquals(m.shards(), back.shards());
    assertEquals(m.binding(), back.binding());
    assertEquals(m.config(), back.config());
  }

  @Test
  void whetherAShardRecordsRowLineageIsPartOfTheWitness() {
    String json = manifest().toJson();
    assertTrue(BundleManifest.fromJson(json, "test").shards().get(2).rowLineage());
    assertFalse(BundleManifest.fromJson(json, "test").shards().get(0).rowLineage());
    String dropped = json.replace(",\"row-lineage\":true", "");
    assertNotEquals(json, dropped);
    assertThrows(ManifestMismatchException.class, () -> BundleManifest.fromJson(dropped, "t"));
  }

  @Test
  void anAlteredFieldIsRefusedAgainstTheWitness() {
    String json = manifest().toJson();
    String altered = json.replace("\"masked-rows\":2", "\"masked-rows\":0");
    assertNotEquals(json, altered);
    ManifestMismatchException e = assertThrows(ManifestMismatchException.class,
        () -> BundleManifest.fromJson(altered, "stats.puffin"));
    assertTrue(e.getMessage().contains("stats.puffin: lakeann manifest content does not match"),
        e.getMessage());
  }

  @Test
  void malformedOrNewerManifestsAreRefusedWithTheReason() {
    String json = manifest().toJson();
    assertTrue(assertThrows(ManifestMismatchException.class,
        () -> BundleManifest.fromJson(json.replace("\"format-version\":1", "\"format-version\":9"),
            "f")).getMessage().contains("format version 9 is not supported"));
    assertTrue(assertThrows(ManifestMismatchException.class,
        () -> BundleManifest.fromJson(json.replace("\"rows\":98,", ""), "f"))
        .getMessage().contains("field 'rows' is missing"));
    assertTrue(assertThrows(ManifestMismatchException.class,
        () -> BundleManifest.fromJson(json.substring(0, json.length() - 1), "f"))
        .getMessage().contains("Not JSON"));
  }
}
