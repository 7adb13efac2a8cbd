package io.lakeann.iceberg;

import static io.lakeann.iceberg.IcebergFixture.EXHAUSTIVE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.lakeann.core.Metric;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every supported column shape: list&lt;float&gt;, list&lt;double&gt; and binary float32 vectors,
 * long, int and string ids, under each metric; ids come back in the table's own type and null vectors are counted.
 */
class ColumnTypesTest {
  @TempDir
  Path dir;

  static Stream<Arguments> shapes() {
    List<Arguments> out = new ArrayList<>();
    for (TestWarehouse.VectorType v : TestWarehouse.VectorType.values()) {
      for (TestWarehouse.IdType id : TestWarehouse.IdType.values()) {
        for (Metric m : Metric.values()) {
          out.add(Arguments.of(v, id, m));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("shapes")
  void searchReturnsTheTablesIdsAndEqualsExactSearch(TestWarehouse.VectorType vectors,
      TestWarehouse.IdType ids, Metric metric) {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table table = wh.createTable("docs", 3, vectors, ids);
      float[][] rows = IcebergFixture.vectors(500, 1);
      rows[7] = null;
      rows[300] = null;
      wh.append(table, IcebergFixture.ids(0, 250), java.util.Arrays.copyOfRange(rows, 0, 250));
      wh.append(table, IcebergFixture.ids(250, 250), java.util.Arrays.copyOfRange(rows, 250, 500));
      LakeAnnTable index = IcebergFixture.indexed(table, dir.resolve("shards"), metric)
          .targetRowsPerShard(250);
      BuildResult built = index.build();
      assertEquals(2, built.skippedNullVectors(), "null vectors are skipped and counted");
      assertEquals(2, built.shardsBuilt());
      wh.append(table, IcebergFixture.ids(500, 30), IcebergFixture.vectors(30, 2));
      long snapshot = table.currentSnapshot().snapshotId();
      float[][] queries = IcebergFixture.queries(15);
      List<List<Long>> exact = IcebergFixture.exact(wh, table, snapshot, metric, queries);
      try (SnapshotIndex open = index.open(SnapshotRef.current())) {
        assertEquals(498, open.coverage().indexedRows());
        assertEquals(30, open.coverage().deltaRows());
        assertEquals(2, open.coverage().skippedNullVectors());
        List<Hit> hits = open.search(queries[0], EXHAUSTIVE);
        Class<?> type = switch (ids) {
          case LONG -> Long.class;
          case INT -> Integer.class;
          case STRING -> String.class;
        };
        hits.forEach(h -> assertInstanceOf(type, h.id()));
        IcebergFixture.assertSameNeighbours(exact,
            IcebergFixture.search(open, queries, EXHAUSTIVE), wh.liveIds(table, snapshot));
      }
    }
  }

  @Test
  void orcAndAvroDataFilesAreReadLikeParquet() {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table table = wh.createTable("docs", 2, TestWarehouse.VectorType.LIST_FLOAT,
          TestWarehouse.IdType.LONG);
      String[] formats = {"parquet", "orc", "avro"};
      for (int f = 0; f < formats.length; f++) {
        table.updateProperties().set("write.format.default", formats[f]).commit();
        wh.append(table, IcebergFixture.ids(f * 100L, 100), IcebergFixture.vectors(100, f));
      }
      List<String> written = TestWarehouse.currentTasks(table).stream()
          .map(t -> t.file().format().name()).sorted().toList();
      assertEquals(List.of("AVRO", "ORC", "PARQUET"), written);
      LakeAnnTable index = IcebergFixture.indexed(table, dir.resolve("shards"), Metric.L2);
      assertEquals(300, index.build().bundle().manifest().liveRows());
      long snapshot = table.currentSnapshot().snapshotId();
      float[][] queries = IcebergFixture.queries(10);
      try (SnapshotIndex open = index.open(SnapshotRef.current())) {
        IcebergFixture.assertSameNeighbours(
            IcebergFixture.exact(wh, table, snapshot, Metric.L2, queries),
            IcebergFixture.search(open, queries, EXHAUSTIVE), wh.liveIds(table, snapshot));
      }
    }
  }
}
