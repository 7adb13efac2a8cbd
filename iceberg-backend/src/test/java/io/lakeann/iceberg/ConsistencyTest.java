package io.lakeann.iceberg;

import static io.lakeann.iceberg.IcebergFixture.EXHAUSTIVE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.InvalidRequestException;
import io.lakeann.core.Metric;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The consistency modes: which snapshot a searcher searches after the table moves on. */
class ConsistencyTest {
  @TempDir
  Path dir;

  private TestWarehouse wh;
  private Table table;
  private LakeAnnTable index;
  private long first;
  private float[][] added;

  private void indexedTableWithALaterAppend(TestWarehouse warehouse) {
    wh = warehouse;
    table = wh.createTable("docs", 2, TestWarehouse.VectorType.LIST_FLOAT,
        TestWarehouse.IdType.LONG);
    wh.append(table, IcebergFixture.ids(0, 400), IcebergFixture.vectors(400, 1));
    index = IcebergFixture.indexed(table, dir.resolve("shards"), Metric.L2);
    first = index.build().bundle().snapshotId();
    table.manageSnapshots().createTag("v1", first).commit();
    added = IcebergFixture.vectors(20, 2);
  }

  private void appendRows() {
    wh.append(table, IcebergFixture.ids(1000, added.length), added);
  }

  private long topId(Searcher s, float[] query) {
    return IcebergFixture.idsOf(s.search(query, SearchParams.topK(1)).hits()).get(0);
  }

  @Test
  void freshSeesACommitOnTheNextCall() {
    try (TestWarehouse w = TestWarehouse.create(dir.resolve("wh"))) {
      indexedTableWithALaterAppend(w);
      try (Searcher s = index.searcher(Consistency.fresh())) {
        assertEquals(first, s.search(added[0], EXHAUSTIVE).coverage().snapshotId());
        appendRows();
        Searcher.Result r = s.search(added[0], EXHAUSTIVE);
        assertEquals(table.currentSnapshot().snapshotId(), r.coverage().snapshotId());
        assertEquals(first, r.coverage().bundleSnapshotId());
        assertEquals(added.length, r.coverage().deltaRows());
        assertEquals(1000L, topId(s, added[0]));
      }
    }
  }

  @Test
  void eventualKeepsItsSnapshotWithinTheTtlAndMovesWithAZeroTtl() {
    try (TestWarehouse w = TestWarehouse.create(dir.resolve("wh"))) {
      indexedTableWithALaterAppend(w);
      try (Searcher lagging = index.searcher(Consistency.eventual(Duration.ofHours(1)));
          Searcher prompt = index.searcher(Consistency.eventual(Duration.ZERO))) {
        lagging.search(added[0], EXHAUSTIVE);
        prompt.search(added[0], EXHAUSTIVE);
        appendRows();
        Searcher.Result late = lagging.search(added[0], EXHAUSTIVE);
        assertEquals(first, late.coverage().snapshotId(), "within the ttl: the old snapshot");
        assertFalse(IcebergFixture.idsOf(late.hits()).contains(1000L),
            "the old snapshot does not hold the new row");
        assertEquals(table.currentSnapshot().snapshotId(),
            prompt.search(added[0], EXHAUSTIVE).coverage().snapshotId());
        assertEquals(1000L, topId(prompt, added[0]));
      }
    }
  }

  @Test
  void frozenOnAnOldSnapshotReturnsThatSnapshotsNeighboursAfterNewerCommits() {
    try (TestWarehouse w = TestWarehouse.create(dir.resolve("wh"))) {
      indexedTableWithALaterAppend(w);
      List<List<Long>> expected = IcebergFixture.exact(wh, table, first, Metric.L2,
          IcebergFixture.queries(20));
      appendRows();
      wh.deleteEquality(table, 1, 2, 3);
      index.build();
      for (Consistency frozen : List.of(Consistency.frozen(SnapshotRef.id(first)),
          Consistency.frozen(SnapshotRef.tag("v1")), Consistency.parse("frozen:" + first))) {
        try (Searcher s = index.searcher(frozen)) {
          float[][] queries = IcebergFixture.queries(20);
          Searcher.BatchResult r = s.searchBatch(queries, EXHAUSTIVE);
          assertEquals(first, r.coverage().snapshotId(), frozen.toString());
          assertEquals(first, r.coverage().bundleSnapshotId());
          for (int q = 0; q < queries.length; q++) {
            assertEquals(expected.get(q), IcebergFixture.idsOf(r.hits().get(q)), frozen + " q" + q);
          }
        }
      }
    }
  }

  @Test
  void frozenOnABranchPinsTheBranchHeadAtCreation() {
    try (TestWarehouse w = TestWarehouse.create(dir.resolve("wh"))) {
      indexedTableWithALaterAppend(w);
      table.manageSnapshots().createBranch("audit", first).commit();
      try (Searcher s = index.searcher(Consistency.frozen(SnapshotRef.branch("audit")))) {
        appendRows();
        assertEquals(first, s.search(added[0], EXHAUSTIVE).coverage().snapshotId());
        assertTrue(topId(s, added[0]) < 1000);
      }
    }
  }

  @Test
  void unknownRefsAndBadModesAreRefusedWithTheWayOut() {
    try (TestWarehouse w = TestWarehouse.create(dir.resolve("wh"))) {
      indexedTableWithALaterAppend(w);
      UnknownSnapshotException tag = assertThrows(UnknownSnapshotException.class,
          () -> index.searcher(Consistency.frozen(SnapshotRef.tag("nope"))));
      assertTrue(tag.getMessage().contains("no tag 'nope'"), tag.getMessage());
      UnknownSnapshotException id = assertThrows(UnknownSnapshotException.class,
          () -> index.open(SnapshotRef.id(42)));
      assertTrue(id.getMessage().contains("no snapshot 42"), id.getMessage());
      InvalidRequestException mode = assertThrows(InvalidRequestException.class,
          () -> Consistency.parse("sometimes"));
      assertTrue(mode.getMessage().contains("fresh, eventual:SECONDS or frozen:SNAPSHOT"),
          mode.getMessage());
      assertEquals(Consistency.eventual(Duration.ofSeconds(30)),
          Consistency.parse("eventual:30"));
      assertEquals(Consistency.frozen(SnapshotRef.branch("b")), Consistency.parse("frozen:branch:b"));
    }
  }
}
