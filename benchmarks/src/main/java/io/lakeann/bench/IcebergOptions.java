package io.lakeann.bench;

import io.lakeann.core.Metric;
import io.lakeann.spark.cli.Flags;
import io.lakeann.spark.cli.UsageException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The flags of {@code benchmarks/run iceberg}, parsed and checked once. Immutable. Only
 * {@code --synthetic} is required: the change step appends rows drawn from the same clusters,
 * which only generated data can supply.
 */
final class IcebergOptions {
  private static final Set<String> FLAGS = Set.of("synthetic", "files", "delta", "search-seconds",
      "target-rows", "k", "metric", "out");

  static final String USAGE = String.join("\n",
      "usage: benchmarks/run iceberg --synthetic SPEC [flags]",
      "",
      "Writes one Iceberg table per vector encoding (list<float>, binary little-endian float32)",
      "in a temporary Hadoop warehouse and measures reading, building, opening, searching and a",
      "table change through lakeann's Iceberg layer, beside Iceberg's generic reader and an exact",
      "scan.",
      "",
      "data",
      "  --synthetic SPEC      generated clustered data, e.g."
          + " n=200000,dim=128,clusters=200,queries=200,seed=7 (optional key: spread, default "
          + SyntheticSpec.DEFAULT_SPREAD + ")",
      "  --files N             Parquet data files the rows are written in (default 8)",
      "  --delta F             rows appended by the change step, as a share of n, in (0, 1]"
          + " (default 0.05); the change also deletes 1% of the ids by an equality delete",
      "index and search",
      "  --target-rows N       target rows per shard (default 50000)",
      "  --k N                 neighbours per query (default 10)",
      "  --metric l2|ip|cosine distance (default l2)",
      "  --search-seconds S    minimum seconds timed per search measurement, after a warm-up"
          + " twice as long, which also warms up the readers (default " + Measured.MIN_TIMED_SECONDS
          + "; less gives noisy numbers)",
      "output",
      "  --out FILE            markdown report (default <repo>/docs/benchmarks.md); the plot is"
          + " written beside it",
      "",
      "Each result is one JSON line on stdout; progress goes to stderr.");

  final SyntheticSpec synthetic;
  final int files;
  final double delta;
  final int targetRows;
  final int k;
  final Metric metric;
  final Measured.Timing timing;
  final Path out;

  private IcebergOptions(Flags f, Path repo) {
    this.synthetic = SyntheticSpec.parse(f.required("synthetic", "the generated data, e.g."
        + " --synthetic n=200000,dim=128,clusters=200,queries=200,seed=7"));
    this.files = f.integer("files", 8, 1);
    if (files > synthetic.n()) {
      throw new UsageException("--files %d: more data files than the %d rows of --synthetic;"
          + " use --files %d or less", files, synthetic.n(), synthetic.n());
    }
    this.delta = FlagValues.positive(f, "delta", 0.05, 1);
    this.targetRows = f.integer("target-rows", 50_000, 1);
    this.k = f.integer("k", 10, 1);
    this.metric = FlagValues.metric(f);
    this.timing = f.optional("search-seconds") == null ? Measured.Timing.DEFAULT
        : Measured.Timing.timed(FlagValues.positive(f, "search-seconds",
            Measured.MIN_TIMED_SECONDS, Double.MAX_VALUE));
    this.out = FlagValues.path(f, "out", repo.resolve("docs").resolve("benchmarks.md"));
  }

  /** Name of the doc section and plot: {@code iceberg-} and the synthetic dataset's name. */
  String sectionName() {
    return "iceberg-" + synthetic.datasetName();
  }

  /**
   * Parses the arguments after {@code iceberg}. {@code repo} is the repository root, where the
   * default report goes.
   *
   * @throws UsageException naming the flag, the value and the fix
   */
  static IcebergOptions parse(List<String> args, Path repo) {
    return new IcebergOptions(FlagValues.parse("iceberg", args, FLAGS), repo);
  }
}
