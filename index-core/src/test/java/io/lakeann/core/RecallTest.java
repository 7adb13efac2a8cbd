package io.lakeann.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.data.SyntheticVectors;
import io.lakeann.core.data.VecsFiles;
import io.lakeann.core.search.Neighbors;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Recall gates at default settings against exact search computed here, on clustered synthetic data
 * and on the real SIFT sample.
 */
class RecallTest {
  private static final int N = 20_000;
  private static final int QUERIES = 200;
  private static final int K = 10;

  @ParameterizedTest(name = "dim {0}, {1}")
  @CsvSource({"128, L2", "128, INNER_PRODUCT", "128, COSINE", "768, L2", "768, INNER_PRODUCT",
      "768, COSINE"})
  void defaultSettingsReachRecall95OnClusteredData(int dim, Metric metric) {
    SyntheticVectors gen = new SyntheticVectors(dim, 100, 0.5f, 11);
    VectorSet base = gen.vectorSet("synthetic", N, 1);
    float[][] queries = SyntheticVectors.rows(gen.points(QUERIES, 2), dim);
    List<Neighbors> truth = new ExactSearch(base, metric).searchAll(queries, K, null, 2);

    RabitqIndex index = RabitqIndex.build(base, IndexConfig.builder().metric(metric).build());
    double single = TestData.recall(TestData.searchEach(index, queries, K), truth, K);

    assertTrue(single >= 0.95, "recall@10 of single search: " + single);
  }

  @Test
  void siftSampleReachesATargetOf98AgainstItsGroundTruth() {
    Path dir = TestData.sift5k();
    VectorSet base = TestData.siftBase(dir);
    float[][] queries = TestData.siftQueries(dir);
    int[][] truth = VecsFiles.readIvecs(dir.resolve("groundtruth.ivecs"));

    RabitqIndex index = RabitqIndex.build(base, IndexConfig.defaults());
    Neighbors[] found = new Neighbors[queries.length];
    for (int q = 0; q < queries.length; q++) {
      found[q] = index.search(queries[q]).k(K).recall(0.98).run();
    }
    double recall = TestData.recallAgainstRows(List.of(found), truth, K);

    assertTrue(recall >= 0.98, "recall@10 on sift5k at target 0.98: " + recall);
  }

  @Test
  void resultsAreSortedByDistanceThenIdWithExactDistances() {
    SyntheticVectors gen = new SyntheticVectors(32, 10, 0.5f, 3);
    VectorSet base = gen.vectorSet("synthetic", 2_000, 1);
    RabitqIndex index = RabitqIndex.build(base, IndexConfig.defaults());
    float[] query = gen.points(1, 9);

    Neighbors found = index.search(query).k(50).run();

    assertEquals(50, found.size());
    for (int i = 0; i < found.size(); i++) {
      int row = (int) found.id(i);
      float exact = io.lakeann.core.kernel.Kernels.squaredDistance(query, 0, base.data(),
          row * 32, 32);
      assertEquals(exact, found.distance(i), 0f, "distance of rank " + i + " is exact");
      if (i > 0) {
        assertTrue(found.distance(i - 1) < found.distance(i)
            || (found.distance(i - 1) == found.distance(i) && found.id(i - 1) < found.id(i)),
            "rank " + i + " is ordered after rank " + (i - 1));
      }
    }
  }

  @Test
  void probesPastNprobeWhenTheProbedListsHoldFewerThanKRows() {
    SyntheticVectors gen = new SyntheticVectors(16, 40, 0.5f, 3);
    RabitqIndex index = RabitqIndex.build(gen.vectorSet("small lists", 600, 1),
        IndexConfig.builder().nlist(60).build());
    float[] query = gen.points(1, 2);

    assertEquals(50, index.search(query).k(50).nprobe(1).run().size());
    assertEquals(50, index.search(query).k(50).recall(0.8).run().size());
  }

  @Test
  void kAboveRowCountReturnsEveryRowOnce() {
    SyntheticVectors gen = new SyntheticVectors(16, 2, 0.5f, 3);
    RabitqIndex index = RabitqIndex.build(gen.vectorSet("tiny", 7, 1), IndexConfig.defaults());

    Neighbors found = index.search(gen.points(1, 2)).k(100).run();

    assertEquals(7, found.size());
    assertEquals(7, java.util.Arrays.stream(found.ids()).distinct().count());
  }
}
