package io.lakeann.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeann.spark.cli.UsageException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class JoinOptionsTest {
  private static final Path REPO = Path.of("/repo");

  @Test
  void theIssueCommandGetsTheDocumentedDefaults() {
    JoinOptions o = parse("--synthetic", "base=1000000,dim=128,queries=10000,k=10");
    assertEquals(new SyntheticSpec(1_000_000, 128, JoinSpec.DEFAULT_CLUSTERS, 10_000,
        JoinSpec.DEFAULT_SEED, SyntheticSpec.DEFAULT_SPREAD), o.spec.data());
    assertEquals(10, o.spec.k());
    assertEquals("local[2]", o.master);
    assertEquals(JoinOptions.DEFAULT_TRUTH_QUERIES, o.truthQueries);
    assertEquals(JoinOptions.DEFAULT_EXACT_BASE, o.exactBase);
    assertEquals(JoinOptions.DEFAULT_HNSW_BASE, o.hnswBase);
    assertEquals(REPO.resolve("docs").resolve("benchmarks.md"), o.out);
    assertEquals("join-synthetic-n1000000-dim128-clusters1000-seed7-q10000-k10",
        o.spec.sectionName());
  }

  @Test
  void peerSizesAreCappedAtTheData() {
    JoinOptions o = parse("--synthetic", "base=500,dim=8,queries=20,k=10,clusters=3,seed=1",
        "--exact-base", "100000", "--hnsw-base", "100000", "--hnsw-ef", "2");
    assertEquals(500, o.exactBase);
    assertEquals(500, o.hnswBase);
    assertEquals(20, o.truthQueries);
    assertEquals(20, o.exactQueries);
    assertEquals(10, o.hnswEf, "ef is at least k");
  }

  @Test
  void badInputIsNamedWithTheFix() {
    assertEquals("--synthetic is required: the generated data, e.g. --synthetic " + JoinSpec.EXAMPLE,
        assertThrows(UsageException.class, () -> parse("--exact-base", "10")).getMessage());
    assertEquals("--synthetic base=10,dim=4,queries=2: missing key 'k'; write it like "
        + JoinSpec.EXAMPLE, assertThrows(UsageException.class,
            () -> parse("--synthetic", "base=10,dim=4,queries=2")).getMessage());
    assertEquals("--synthetic n=10: unknown key 'n' (use base, dim, queries, k and optionally"
        + " clusters, seed, spread)", assertThrows(UsageException.class,
            () -> parse("--synthetic", "n=10")).getMessage());
    assertEquals("unknown flag '--nlist'; join takes --exact-base, --exact-queries, --files, --hnsw-base,"
        + " --hnsw-ef, --master, --nprobe, --nprobes, --out, --synthetic, --target-rows,"
        + " --truth-queries",
        assertThrows(UsageException.class, () -> parse("--synthetic",
            "base=10,dim=4,queries=2,k=1", "--nlist", "4")).getMessage());
  }

  private static JoinOptions parse(String... args) {
    return JoinOptions.parse(List.of(args), REPO);
  }
}
