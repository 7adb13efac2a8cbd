package io.lakeann.bench;

import io.lakeann.spark.cli.UsageException;
import java.util.List;
import java.util.Map;

/**
 * The value of {@code --synthetic} for {@code benchmarks/run join}:
 * {@code base=...,dim=...,queries=...,k=...} and optionally {@code clusters=...} (default
 * {@value #DEFAULT_CLUSTERS}), {@code seed=...} (default {@value #DEFAULT_SEED}) and
 * {@code spread=...}. Immutable; {@link #parse} checks every key and value.
 *
 * @param data the base rows and queries as a synthetic dataset ({@code n} = base rows)
 * @param k neighbours per query
 */
record JoinSpec(SyntheticSpec data, int k) {
  static final int DEFAULT_CLUSTERS = 1000;
  static final long DEFAULT_SEED = 7;
  static final String EXAMPLE = "base=1000000,dim=128,queries=10000,k=10";

  static JoinSpec parse(String spec) {
    Map<String, String> values = SyntheticSpec.keyValues(spec,
        List.of("base", "dim", "queries", "k"), List.of("clusters", "seed", "spread"), EXAMPLE);
    int base = SyntheticSpec.positiveInt(spec, "base", values.get("base"));
    int dim = SyntheticSpec.positiveInt(spec, "dim", values.get("dim"));
    // The oracle holds the base in one array.
    SyntheticSpec.checkFitsOneArray(spec, base, dim);
    int clusters = values.containsKey("clusters")
        ? SyntheticSpec.positiveInt(spec, "clusters", values.get("clusters")) : DEFAULT_CLUSTERS;
    long seed = values.containsKey("seed") ? SyntheticSpec.seed(spec, values.get("seed"))
        : DEFAULT_SEED;
    float spread = values.containsKey("spread")
        ? SyntheticSpec.spread(spec, values.get("spread")) : SyntheticSpec.DEFAULT_SPREAD;
    int queries = SyntheticSpec.positiveInt(spec, "queries", values.get("queries"));
    int k = SyntheticSpec.positiveInt(spec, "k", values.get("k"));
    if (k > base) {
      throw new UsageException("--synthetic %s: k=%d is more than the %d base rows; use k <= base",
          spec, k, base);
    }
    return new JoinSpec(new SyntheticSpec(base, dim, clusters, queries, seed, spread), k);
  }

  int base() {
    return data.n();
  }

  int queries() {
    return data.queries();
  }

  /** Name of the doc section and plot: the dataset, the query count and k. */
  String sectionName() {
    return "join-" + data.datasetName() + "-q" + data.queries() + "-k" + k;
  }
}
