package io.lakeann.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lakeann.core.data.SyntheticVectors;
import io.lakeann.core.search.Neighbors;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One immutable index serves many threads at once with exactly the single-threaded answers. */
class ConcurrentSearchTest {

  @ParameterizedTest(name = "exBits {0}")
  @ValueSource(ints = {0, 2})
  void concurrentSearchesEqualSequentialOnes(int exBits) throws Exception {
    SyntheticVectors gen = new SyntheticVectors(48, 20, 0.5f, 8);
    RabitqIndex index = RabitqIndex.build(gen.vectorSet("synthetic", 5_000, 1),
        IndexConfig.builder().exBits(exBits).build());
    float[][] queries = SyntheticVectors.rows(gen.points(400, 2), 48);
    List<Neighbors> sequential = TestData.searchEach(index, queries, 10);

    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Neighbors>> futures = new ArrayList<>();
      for (int round = 0; round < 4; round++) {
        for (float[] query : queries) {
          futures.add(pool.submit(() -> index.search(query).k(10).run()));
        }
      }
      for (int i = 0; i < futures.size(); i++) {
        assertEquals(sequential.get(i % queries.length), futures.get(i).get(), "query " + i);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
