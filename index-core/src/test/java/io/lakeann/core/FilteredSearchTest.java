package io.lakeann.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.data.SyntheticVectors;
import io.lakeann.core.search.Neighbors;
import io.lakeann.core.search.RowFilter;
import io.lakeann.core.util.SplitMix64;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Filtered search returns only allowed rows, and still finds the nearest allowed ones. */
class FilteredSearchTest {
  private static final int N = 20_000;
  private static final int DIM = 128;
  private static final int K = 10;

  private static RowFilter randomTenth(int n) {
    BitSet bits = new BitSet(n);
    SplitMix64 rng = new SplitMix64(17);
    for (int row = 0; row < n; row++) {
      if (rng.nextInt(10) == 0) {
        bits.set(row);
      }
    }
    return RowFilter.of(bits);
  }

  @Test
  void tenPercentFilterReturnsOnlyAllowedRowsAtRecall95() {
    SyntheticVectors gen = new SyntheticVectors(DIM, 100, 0.5f, 21);
    VectorSet base = gen.vectorSet("synthetic", N, 1);
    float[][] queries = SyntheticVectors.rows(gen.points(200, 2), DIM);
    RowFilter allowed = randomTenth(N);
    List<Neighbors> truth = new ExactSearch(base, Metric.L2).searchAll(queries, K, allowed, 2);
    RabitqIndex index = RabitqIndex.build(base, IndexConfig.defaults());

    Neighbors[] single = new Neighbors[queries.length];
    for (int q = 0; q < queries.length; q++) {
      single[q] = index.search(queries[q]).k(K).filter(allowed).run();
    }
    for (Neighbors found : single) {
      assertEquals(K, found.size());
      for (int i = 0; i < K; i++) {
        // ids are row numbers in this data set
        assertTrue(allowed.allows((int) found.id(i)), "row " + found.id(i) + " is not allowed");
      }
    }
    double recall = TestData.recall(List.of(single), truth, K);
    assertTrue(recall >= 0.95, "filtered recall@10: " + recall);
  }

  @Test
  void deletionMaskHidesDeletedRowsEvenWhenTheyAreNearest() {
    SyntheticVectors gen = new SyntheticVectors(DIM, 10, 0.5f, 4);
    VectorSet base = gen.vectorSet("synthetic", 3_000, 1);
    RabitqIndex index = RabitqIndex.build(base, IndexConfig.defaults());
    float[] query = base.vector(42);
    BitSet deleted = new BitSet();
    deleted.set(42);
    RowFilter live = RowFilter.of(deleted).complement(base.size());

    Neighbors unfiltered = index.search(query).k(K).run();
    Neighbors masked = index.search(query).k(K).filter(live).run();

    assertEquals(42, unfiltered.id(0), "the row itself is its own nearest neighbour");
    for (int i = 0; i < masked.size(); i++) {
      assertTrue(masked.id(i) != 42, "deleted row 42 returned at rank " + i);
    }
    assertEquals(K, masked.size());
  }

  @Test
  void filterAllowingNothingReturnsNothing() {
    SyntheticVectors gen = new SyntheticVectors(8, 2, 0.5f, 4);
    RabitqIndex index = RabitqIndex.build(gen.vectorSet("synthetic", 500, 1),
        IndexConfig.defaults());

    Neighbors found = index.search(gen.points(1, 3)).k(K).filter(RowFilter.of(new BitSet()))
        .run();

    assertEquals(0, found.size());
  }
}
