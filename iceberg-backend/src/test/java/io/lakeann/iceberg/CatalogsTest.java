package io.lakeann.iceberg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lakeann.core.Metric;
import java.nio.file.Path;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tables come from the embedded Hadoop catalog or from any catalog's standard properties. */
class CatalogsTest {
  @TempDir
  Path dir;

  @Test
  void aCatalogFromStandardPropertiesSeesTheSameTablesAndBundles() {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table written = wh.createTable("docs", 2, TestWarehouse.VectorType.LIST_FLOAT,
          TestWarehouse.IdType.LONG);
      wh.append(written, IcebergFixture.ids(0, 100), IcebergFixture.vectors(100, 1));
      IcebergFixture.indexed(written, dir.resolve("shards"), Metric.L2).build();

      Catalog byProperties = Catalogs.load("other", Map.of("type", "hadoop",
          "warehouse", dir.resolve("wh").toString()));
      Catalog embedded = Catalogs.hadoop(dir.resolve("wh"));
      for (Catalog catalog : new Catalog[] {byProperties, embedded}) {
        Table table = Catalogs.loadTable(catalog, "db.docs");
        LakeAnnTable index = IcebergFixture.indexed(table, dir.resolve("shards"), Metric.L2);
        assertEquals(written.currentSnapshot().snapshotId(),
            index.bundles().get(0).snapshotId(), catalog.name());
      }
    }
  }
}
