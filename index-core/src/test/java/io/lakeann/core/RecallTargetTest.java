package io.lakeann.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.data.SyntheticVectors;
import io.lakeann.core.data.VecsFiles;
import io.lakeann.core.search.Neighbors;
import io.lakeann.core.util.SplitMix64;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A search that states only a recall target reaches it, on five shapes of data: clustered
 * synthetic, Gaussian without structure (128-d), uniform (32-d), the SIFT sample (L2) and
 * real sentence embeddings (wordnet20k, cosine), each against exact search computed here.
 */
class RecallTargetTest {
  private static final int N = 20_000;
  private static final int QUERIES = 200;
  private static final int K = 10;

  /** A built index, its queries and their exact answers. */
  private record Case(RabitqIndex index, float[][] queries, List<Neighbors> truth) {}

  private static final Map<String, Case> CASES = new ConcurrentHashMap<>();

  private static Case shape(String name) {
    return CASES.computeIfAbsent(name, RecallTargetTest::make);
  }

  private static Case make(String name) {
    switch (name) {
      case "clustered": {
        SyntheticVectors gen = new SyntheticVectors(128, 100, 0.5f, 11);
        return build(gen.vectorSet(name, N, 1), SyntheticVectors.rows(gen.points(QUERIES, 2),
            128), Metric.L2);
      }
      case "gaussian": {
        SyntheticVectors gen = new SyntheticVectors(128, 1, 1f, 5);
        return build(gen.vectorSet(name, N, 1), SyntheticVectors.rows(gen.points(QUERIES, 2),
            128), Metric.L2);
      }
      case "uniform": {
        return build(VectorSet.of(name, TestData.sequentialIds(N), uniform(N, 32, 1), 32),
            SyntheticVectors.rows(uniform(QUERIES, 32, 2), 32), Metric.L2);
      }
      case "sift5k": {
        Path dir = TestData.sift5k();
        return build(TestData.siftBase(dir), TestData.siftQueries(dir), Metric.L2);
      }
      case "wordnet20k": {
        Path dir = TestData.wordnet20k();
        VecsFiles.Floats base = VecsFiles.readFvecs(dir.resolve("base.fvecs"));
        VecsFiles.Floats q = VecsFiles.readFvecs(dir.resolve("queries.fvecs"));
        return build(VectorSet.of("wordnet20k/base.fvecs", TestData.sequentialIds(base.count()),
            base.data, base.dim), SyntheticVectors.rows(q.data, q.dim), Metric.COSINE);
      }
      default:
        throw new IllegalArgumentException(name);
    }
  }

  private static float[] uniform(int n, int dim, long seed) {
    SplitMix64 rng = new SplitMix64(seed);
    float[] out = new float[n * dim];
    for (int i = 0; i < out.length; i++) {
      out[i] = rng.nextFloat();
    }
    return out;
  }

  private static Case build(VectorSet base, float[][] queries, Metric metric) {
    RabitqIndex index = RabitqIndex.build(base, IndexConfig.builder().metric(metric).build());
    List<Neighbors> truth = new ExactSearch(base, metric).searchAll(queries, K, null, 2);
    return new Case(index, queries, truth);
  }

  @ParameterizedTest(name = "{0} at recall {1}")
  @CsvSource({"clustered, 0.90", "clustered, 0.95", "clustered, 0.99",
      "gaussian, 0.90", "gaussian, 0.95", "gaussian, 0.99",
      "uniform, 0.90", "uniform, 0.95", "uniform, 0.99",
      "sift5k, 0.90", "sift5k, 0.95", "sift5k, 0.99",
      "wordnet20k, 0.90", "wordnet20k, 0.95", "wordnet20k, 0.99"})
  void searchAtARecallTargetReachesIt(String shape, double target) {
    Case c = shape(shape);
    Neighbors[] found = new Neighbors[c.queries().length];
    for (int q = 0; q < found.length; q++) {
      found[q] = c.index().search(c.queries()[q]).k(K).recall(target).run();
    }
    double recall = TestData.recall(List.of(found), c.truth(), K);
    assertTrue(recall >= target, shape + ": recall@10 " + recall + " below target " + target);
  }
}
