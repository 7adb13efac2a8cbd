package io.lakeann.core;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lakeann.core.data.SyntheticVectors;
import io.lakeann.core.data.VecsFiles;
import io.lakeann.core.search.Neighbors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Data sets and recall arithmetic shared by the engine's tests. */
final class TestData {
  private TestData() {}

  /** The real SIFT sample beside the repository, or a skipped test saying where it was looked for. */
  static Path sift5k() {
    return sharedData("sift5k");
  }

  /** The wordnet20k sentence embeddings beside the repository, or a skipped test. */
  static Path wordnet20k() {
    return sharedData("wordnet20k");
  }

  private static Path sharedData(String name) {
    Path dir = Path.of(System.getProperty("lakeann.sharedData", "../../shared/data"))
        .resolve(name);
    assumeTrue(Files.isRegularFile(dir.resolve("base.fvecs")),
        name + " not found at " + dir.toAbsolutePath() + " (it lives in ../shared/data/"
            + name + " beside the repository); skipping the real-data recall gate");
    return dir;
  }

  static VectorSet siftBase(Path dir) {
    VecsFiles.Floats base = VecsFiles.readFvecs(dir.resolve("base.fvecs"));
    return VectorSet.of("sift5k/base.fvecs", sequentialIds(base.count()), base.data, base.dim);
  }

  static float[][] siftQueries(Path dir) {
    VecsFiles.Floats q = VecsFiles.readFvecs(dir.resolve("queries.fvecs"));
    return SyntheticVectors.rows(q.data, q.dim);
  }

  static long[] sequentialIds(int n) {
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i;
    }
    return ids;
  }

  /** Mean over queries of |found ∩ true top k| / k. */
  static double recall(List<Neighbors> found, List<Neighbors> truth, int k) {
    long hits = 0;
    for (int q = 0; q < found.size(); q++) {
      Set<Long> expected = new HashSet<>();
      for (int i = 0; i < Math.min(k, truth.get(q).size()); i++) {
        expected.add(truth.get(q).id(i));
      }
      for (int i = 0; i < found.get(q).size(); i++) {
        if (expected.contains(found.get(q).id(i))) {
          hits++;
        }
      }
    }
    return (double) hits / ((long) found.size() * k);
  }

  /** Recall against ground-truth row numbers (ids are row numbers). */
  static double recallAgainstRows(List<Neighbors> found, int[][] truthRows, int k) {
    long hits = 0;
    for (int q = 0; q < found.size(); q++) {
      Set<Long> expected = new HashSet<>();
      for (int i = 0; i < k; i++) {
        expected.add((long) truthRows[q][i]);
      }
      for (int i = 0; i < found.get(q).size(); i++) {
        if (expected.contains(found.get(q).id(i))) {
          hits++;
        }
      }
    }
    return (double) hits / ((long) found.size() * k);
  }

  /** Runs every query alone through {@link RabitqIndex#search}. */
  static List<Neighbors> searchEach(RabitqIndex index, float[][] queries, int k) {
    Neighbors[] out = new Neighbors[queries.length];
    for (int q = 0; q < queries.length; q++) {
      out[q] = index.search(queries[q]).k(k).run();
    }
    return List.of(out);
  }
}
