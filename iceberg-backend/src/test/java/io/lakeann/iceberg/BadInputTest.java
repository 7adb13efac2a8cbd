package io.lakeann.iceberg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.DimensionMismatchException;
import io.lakeann.core.DuplicateIdException;
import io.lakeann.core.EmptyInputException;
import io.lakeann.core.InvalidRequestException;
import io.lakeann.core.InvalidVectorException;
import io.lakeann.core.LakeAnnException;
import io.lakeann.core.Metric;
import java.nio.file.Path;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Invariant 5: bad input fails with a typed error naming the table, column, file, row and fix. */
class BadInputTest {
  @TempDir
  Path dir;

  private static <T extends LakeAnnException> T assertFails(Class<T> type, Executable call,
      String... fragments) {
    T e = assertThrows(type, call);
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), "'" + f + "' missing from: " + e.getMessage());
    }
    return e;
  }

  private Table table(TestWarehouse wh) {
    return wh.createTable("docs", 2, TestWarehouse.VectorType.LIST_FLOAT,
        TestWarehouse.IdType.LONG);
  }

  private LakeAnnTable index(Table table) {
    return IcebergFixture.indexed(table, dir.resolve("shards"), Metric.L2);
  }

  @Test
  void unknownTableNamesTheCatalogAndTable() {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      assertFails(UnknownTableException.class,
          () -> Catalogs.loadTable(wh.catalog(), "db.nope"), "no table db.nope");
      assertFails(UnknownTableException.class, () -> Catalogs.loadTable(wh.catalog(), ""),
          "namespace.table");
    }
  }

  @Test
  void unknownAndUnsuitableColumnsAreRefusedWithTheColumnsThatExist() {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table table = table(wh);
      LakeAnnTable base = LakeAnnTable.of(table);
      assertFails(UnknownColumnException.class,
          () -> base.column("vec").id("id").binding(), "no column 'vec'", "embedding");
      assertFails(ColumnTypeException.class,
          () -> base.column("category").id("id").binding(), "'category'", "list<float>");
      assertFails(ColumnTypeException.class,
          () -> base.column("embedding").id("embedding").binding(), "both the vector and the id");
      assertFails(ColumnTypeException.class,
          () -> ColumnBinding.resolve("db.docs", table.schema(), "id", "embedding"),
          "'id'", "cannot hold vectors");
      assertFails(UnknownColumnException.class,
          () -> base.column("embedding").binding(), "no id column given");
    }
  }

  @Test
  void mixedDimensionsNameTheFileRowAndId() {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table table = table(wh);
      float[][] rows = IcebergFixture.vectors(50, 1);
      rows[17] = new float[] {1, 2, 3};
      wh.append(table, IcebergFixture.ids(100, 50), rows);
      assertFails(DimensionMismatchException.class, () -> index(table).build(),
          "db.docs.embedding", "row position 17", "id 117", "3 dimensions", "16 are expected",
          ".parquet");
    }
  }

  @Test
  void nonFiniteComponentsNameTheFileRowIdAndComponent() {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table table = table(wh);
      float[][] rows = IcebergFixture.vectors(50, 1);
      rows[4][9] = Float.NaN;
      wh.append(table, IcebergFixture.ids(0, 50), rows);
      assertFails(InvalidVectorException.class, () -> index(table).build(),
          "row position 4", "id 4", "NaN at component 9");
    }
  }

  @Test
  void duplicateIdsInOneShardAreRefused() {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table table = table(wh);
      wh.append(table, new long[] {1, 2, 3}, IcebergFixture.vectors(3, 1));
      wh.append(table, new long[] {4, 2}, IcebergFixture.vectors(2, 2));
      assertFails(DuplicateIdException.class, () -> index(table).build(), "id 2 appears twice",
          "row position 1");
    }
  }

  @Test
  void anAllNullColumnIsRefusedWithTheCount() {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table table = table(wh);
      wh.append(table, IcebergFixture.ids(0, 5), new float[5][]);
      assertFails(EmptyInputException.class, () -> index(table).build(), "all 5 rows are null");
    }
  }

  @Test
  void aTableNeverWrittenCannotBeIndexed() {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table table = table(wh);
      assertFails(EmptyInputException.class, () -> index(table).build(), "no snapshot yet");
      assertFails(NoIndexException.class, () -> index(table).open(SnapshotRef.current()),
          "no snapshot yet");
    }
  }

  @Test
  void anEmptiedTableGetsAnEmptyBundleThatLaterRowsJoinAsDelta() {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table table = table(wh);
      wh.append(table, IcebergFixture.ids(0, 3), IcebergFixture.vectors(3, 1));
      wh.deleteCopyOnWrite(table, 0, 1, 2);
      LakeAnnTable index = index(table);
      BuildResult built = index.build();
      assertEquals(0, built.bundle().manifest().shards().size());
      try (SnapshotIndex open = index.open(SnapshotRef.current())) {
        assertEquals(0, open.search(new float[16], SearchParams.topK(5)).size());
        assertEquals(0, open.coverage().indexedRows() + open.coverage().deltaRows());
      }
      float[][] later = IcebergFixture.vectors(4, 2);
      wh.append(table, IcebergFixture.ids(10, 4), later);
      try (SnapshotIndex open = index.open(SnapshotRef.current())) {
        assertEquals(4, open.coverage().deltaRows());
        assertEquals(10L, open.search(later[0], SearchParams.topK(1)).get(0).id());
      }
    }
  }

  @Test
  void badQueriesNameTheColumnAndTheFix() {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table table = table(wh);
      wh.append(table, IcebergFixture.ids(0, 50), IcebergFixture.vectors(50, 1));
      LakeAnnTable index = index(table);
      index.build();
      try (SnapshotIndex open = index.open(SnapshotRef.current())) {
        assertFails(DimensionMismatchException.class,
            () -> open.search(new float[3], SearchParams.defaults()), "3 dimensions",
            "db.docs.embedding holds 16-dimensional");
        float[] nan = new float[16];
        nan[2] = Float.NaN;
        assertFails(InvalidVectorException.class,
            () -> open.search(nan, SearchParams.defaults()), "db.docs.embedding");
        assertFails(InvalidVectorException.class,
            () -> open.search(null, SearchParams.defaults()), "is null");
      }
      assertFails(InvalidRequestException.class, () -> SearchParams.topK(0), "Invalid k: 0");
      assertFails(InvalidRequestException.class,
          () -> SearchParams.defaults().withNprobe(-1), "Invalid nprobe");
      assertFails(InvalidRequestException.class, () -> index.targetRowsPerShard(0),
          "target rows per shard");
    }
  }
}
