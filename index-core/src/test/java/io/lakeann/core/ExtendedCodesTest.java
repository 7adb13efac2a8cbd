package io.lakeann.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.data.SyntheticVectors;
import io.lakeann.core.search.Neighbors;
import io.lakeann.core.util.SplitMix64;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Extended codes (more bits per dimension) rescue data where 1-bit codes alone rank poorly: low
 * dimensions, non-negative integer features, skewed norms under inner product. Measured without
 * stored originals, so the codes alone decide the ranking.
 */
class ExtendedCodesTest {
  private static final int N = 8_000;
  private static final int K = 10;

  /** A data set: base rows, queries and metric. */
  private static final class Case {
    final VectorSet base;
    final float[][] queries;
    final Metric metric;

    Case(VectorSet base, float[][] queries, Metric metric) {
      this.base = base;
      this.queries = queries;
      this.metric = metric;
    }
  }

  static Stream<Arguments> weakForOneBit() {
    return Stream.of(
        Arguments.of("25 dimensions", (Supplier<Case>) () -> clustered(25)),
        Arguments.of("64 dimensions", (Supplier<Case>) () -> clustered(64)),
        Arguments.of("784 non-negative integers", (Supplier<Case>) ExtendedCodesTest::mnistLike),
        Arguments.of("skewed norms, inner product",
            (Supplier<Case>) ExtendedCodesTest::skewedNorms));
  }

  private static Case clustered(int dim) {
    SyntheticVectors gen = new SyntheticVectors(dim, 50, 0.5f, 31);
    return new Case(gen.vectorSet("clustered" + dim, N, 1),
        SyntheticVectors.rows(gen.points(100, 2), dim), Metric.L2);
  }

  /** Pixel-like rows: 784 integers in [0, 255], mostly zero, drawn around a few templates. */
  private static Case mnistLike() {
    int dim = 784;
    SplitMix64 rng = new SplitMix64(77);
    float[] templates = new float[10 * dim];
    for (int i = 0; i < templates.length; i++) {
      templates[i] = rng.nextInt(4) == 0 ? 128 + rng.nextInt(128) : 0;
    }
    float[] all = new float[(N + 100) * dim];
    for (int r = 0; r < N + 100; r++) {
      int t = rng.nextInt(10);
      for (int d = 0; d < dim; d++) {
        float v = templates[t * dim + d] + (rng.nextInt(3) == 0 ? rng.nextInt(160) - 80 : 0);
        all[r * dim + d] = Math.max(0, Math.min(255, Math.round(v)));
      }
    }
    VectorSet base = VectorSet.of("mnist-like", TestData.sequentialIds(N),
        java.util.Arrays.copyOf(all, N * dim), dim);
    float[][] queries = SyntheticVectors.rows(
        java.util.Arrays.copyOfRange(all, N * dim, (N + 100) * dim), dim);
    return new Case(base, queries, Metric.L2);
  }

  /** Clustered rows scaled by log-normal factors, searched by inner product. */
  private static Case skewedNorms() {
    int dim = 96;
    SyntheticVectors gen = new SyntheticVectors(dim, 50, 0.5f, 41);
    float[] data = gen.points(N, 1);
    SplitMix64 rng = new SplitMix64(5);
    for (int r = 0; r < N; r++) {
      float scale = (float) Math.exp(0.75 * rng.nextGaussian());
      for (int d = 0; d < dim; d++) {
        data[r * dim + d] *= scale;
      }
    }
    return new Case(VectorSet.of("skewed", TestData.sequentialIds(N), data, dim),
        SyntheticVectors.rows(gen.points(100, 2), dim), Metric.INNER_PRODUCT);
  }

  private static double recall(Case c, int exBits, List<Neighbors> truth) {
    RabitqIndex index = RabitqIndex.build(c.base, IndexConfig.builder().metric(c.metric)
        .exBits(exBits).storeOriginals(false).build());
    return TestData.recall(TestData.searchEach(index, c.queries, K), truth, K);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("weakForOneBit")
  void fiveBitCodesMissAtMostHalfAsManyNeighboursAsOneBit(String name, Supplier<Case> data) {
    Case c = data.get();
    List<Neighbors> truth = new ExactSearch(c.base, c.metric).searchAll(c.queries, K, null, 2);

    double oneBit = recall(c, 0, truth);
    double fiveBits = recall(c, 4, truth);

    assertTrue(fiveBits >= 0.85, name + ": recall@10 with 1+4 bits: " + fiveBits);
    assertTrue(1 - fiveBits <= (1 - oneBit) / 2,
        name + ": 1+4 bits (recall " + fiveBits + ") must miss at most half as many neighbours "
            + "as 1 bit (recall " + oneBit + ")");
  }
}
