package io.lakeann.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.spark.cli.UsageException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The flags and data shapes of the core benchmark's peers, batches and unstructured data. */
class CoreOptionsPeersTest {
  private static CoreOptions parse(String... args) {
    return CoreOptions.parse(List.of(args), Path.of("/repo"));
  }

  private static final String DATA = "--synthetic=n=100,dim=8,shape=uniform";

  private static String error(String... args) {
    return assertThrows(UsageException.class, () -> parse(args)).getMessage();
  }

  @Test
  void unstructuredShapesNeedOnlyRowsAndDimensions() {
    CoreOptions o = parse("--synthetic", "n=100000,dim=128,shape=gaussian");
    assertEquals(SyntheticSpec.Shape.GAUSSIAN, o.synthetic.shape());
    assertEquals(SyntheticSpec.DEFAULT_QUERIES, o.synthetic.queries());
    assertEquals("synthetic-gaussian-n100000-dim128-seed7", o.datasetName);
    assertEquals("synthetic-uniform-n200000-dim32-seed3",
        parse("--synthetic", "shape=uniform,n=200000,dim=32,seed=3").datasetName);
    assertEquals("synthetic-n100-dim8-clusters2-seed7",
        parse("--synthetic", "n=100,dim=8,clusters=2").datasetName);
  }

  @Test
  void shapeKeysThatDoNotFitAreRefused() {
    assertEquals("--synthetic n=10,dim=4,shape=uniform,clusters=3: shape=uniform has no clusters;"
        + " drop clusters= and spread=", error("--synthetic", "n=10,dim=4,shape=uniform,clusters=3"));
    assertTrue(error("--synthetic", "n=10,dim=4").startsWith("--synthetic n=10,dim=4: clustered"
        + " data needs clusters=N"));
    assertEquals("--synthetic n=10,dim=4,shape=ring: shape=ring is not clustered, gaussian or"
        + " uniform", error("--synthetic", "n=10,dim=4,shape=ring"));
  }

  @Test
  void peerFlagsHaveTheDocumentedDefaults() {
    CoreOptions o = parse("--synthetic", "n=100,dim=8,shape=uniform");
    assertEquals(Set.copyOf(CoreOptions.ENGINES), o.engines);
    assertEquals(1000, o.singleQueries);
    assertEquals(10_000, o.batchQueries);
    assertEquals(0.98, o.batchStopRecall);
    assertEquals(Integer.MAX_VALUE, o.truthQueries);
    assertEquals(32, o.jvectorDegree);
    assertEquals(Long.MAX_VALUE, o.maxLuceneN);
    assertEquals(Long.MAX_VALUE, o.maxJvectorN);
  }

  @Test
  void peerFlagsAreParsedAndCheckedWithTheFix() {
    CoreOptions o = parse("--synthetic", "n=100,dim=8,shape=uniform", "--engines",
        "lakeann,lucene-int7", "--max-lucene-n", "250000", "--max-jvector-n=0",
        "--batch-stop-recall", "0.98", "--batch-queries", "500", "--single-queries", "50");
    assertEquals(Set.of("lakeann", "lucene-int7"), o.engines);
    assertEquals(250_000, o.maxLuceneN);
    assertEquals(0, o.maxJvectorN);
    assertEquals(0.98, o.batchStopRecall);
    assertEquals(500, o.batchQueries);
    assertEquals(50, o.singleQueries);
    assertEquals("--engines lakeann,faiss: unknown engine 'faiss'; choose from "
        + String.join(",", CoreOptions.ENGINES), error(DATA, "--engines", "lakeann,faiss"));
    assertEquals("--engines exact,exact: 'exact' is listed twice; name it once",
        error(DATA, "--engines", "exact,exact"));
    assertEquals("--batch-stop-recall 1.5: must be a number > 0 and <= 1.0, e.g."
        + " --batch-stop-recall 0.98", error(DATA, "--batch-stop-recall", "1.5"));
    assertEquals("--max-lucene-n -1 is out of range; give a number >= 0",
        error(DATA, "--max-lucene-n", "-1"));
  }

  @Test
  void capsSayWhyAnEngineIsSkipped() {
    CoreEngines.Slot slot = new CoreEngines.Slot("jvector", "--max-jvector-n", 1000, null);
    assertEquals(null, slot.capReason(1000));
    assertEquals("the base has 1,001 rows, more than --max-jvector-n 1,000",
        slot.capReason(1001));
  }

  @Test
  void onJava17ThePeersAreAbsentWithTheCommandThatRunsThem() {
    CoreEngines.Lineup lineup = CoreEngines.lineup(parse("--synthetic",
        "n=100,dim=8,shape=uniform"));
    List<String> names = lineup.slots().stream().map(CoreEngines.Slot::name).toList();
    assertEquals(List.of("exact", "lakeann", "lakeann-batch", "hnswlib"), names.subList(0, 4));
    if (Runtime.version().feature() < CoreEngines.PEERS_JAVA) {
      assertEquals(4, names.size());
      assertTrue(lineup.peersAbsent().contains("JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64"),
          lineup.peersAbsent());
    }
  }

  @Test
  void unstructuredRowsAreAFunctionOfSeedAndRowInTheirRange() {
    float[] uniform = Dataset.unstructured(SyntheticSpec.Shape.UNIFORM, 300, 4, 7);
    assertArrayEquals(uniform, Dataset.unstructured(SyntheticSpec.Shape.UNIFORM, 300, 4, 7));
    float[] firstRows = Dataset.unstructured(SyntheticSpec.Shape.UNIFORM, 2, 4, 7);
    for (int i = 0; i < firstRows.length; i++) {
      assertEquals(uniform[i], firstRows[i]);
    }
    double sum = 0;
    for (float v : uniform) {
      assertTrue(v >= 0 && v < 1, "uniform value " + v);
      sum += v;
    }
    assertEquals(0.5, sum / uniform.length, 0.05);
    float[] gaussian = Dataset.unstructured(SyntheticSpec.Shape.GAUSSIAN, 300, 4, 7);
    double sq = 0;
    for (float v : gaussian) {
      sq += v * v;
    }
    assertEquals(1.0, sq / gaussian.length, 0.15);
    assertNotEquals(gaussian[0], Dataset.unstructured(SyntheticSpec.Shape.GAUSSIAN, 1, 4, 8)[0]);
  }

  @Test
  void singleAndTruthQueriesArePrefixesOfTheBatch() {
    Dataset data = Dataset.load(parse("--synthetic", "n=50,dim=4,shape=gaussian,queries=30",
        "--batch-queries", "20", "--single-queries", "5"));
    assertEquals(30, data.sourceQueries());
    assertEquals(20, data.batchQueries().length);
    assertEquals(20, data.truthQueries().length);
    assertEquals(5, data.queries().length);
    assertArrayEquals(data.batchQueries()[4], data.queries()[4]);
    Dataset fewTruths = Dataset.load(parse("--synthetic", "n=50,dim=4,shape=gaussian,queries=30",
        "--truth-queries", "8", "--single-queries", "12"));
    assertEquals(30, fewTruths.batchQueries().length);
    assertEquals(8, fewTruths.truthQueries().length);
    assertEquals(8, fewTruths.queries().length);
  }
}
