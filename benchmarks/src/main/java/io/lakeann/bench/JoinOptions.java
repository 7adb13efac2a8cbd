package io.lakeann.bench;

import io.lakeann.spark.cli.Flags;
import io.lakeann.spark.cli.UsageException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The flags of {@code benchmarks/run join}, parsed and checked once. Immutable. Only
 * {@code --synthetic} is required; the sizes of the peers' runs default to what fits a few
 * minutes on two cores and are capped at the data's own sizes.
 */
final class JoinOptions {
  static final int DEFAULT_FILES = 8;
  static final int DEFAULT_TRUTH_QUERIES = 1000;
  static final int DEFAULT_EXACT_BASE = 20_000;
  static final int DEFAULT_EXACT_QUERIES = 500;
  static final int DEFAULT_HNSW_BASE = 200_000;
  static final int DEFAULT_HNSW_EF = 100;
  static final String DEFAULT_NPROBES = "2,4,8,16";
  private static final Set<String> FLAGS = Set.of("synthetic", "master", "files", "target-rows",
      "nprobe", "nprobes", "truth-queries", "exact-base", "exact-queries", "hnsw-base", "hnsw-ef",
      "out");

  static final String USAGE = String.join("\n",
      "usage: benchmarks/run join --synthetic SPEC [flags]",
      "",
      "Writes an Iceberg table of generated rows and one of queries through a local Spark, then",
      "measures lakeann's build and ANN join (cold and warm) beside the exact cross join users",
      "write in Spark SQL and a per-partition HNSW join (hnswlib-core, rebuilt every job, as",
      "hnswlib-spark does), in one run.",
      "",
      "data",
      "  --synthetic SPEC      e.g. " + JoinSpec.EXAMPLE + " (optional keys: clusters, default "
          + JoinSpec.DEFAULT_CLUSTERS + "; seed, default " + JoinSpec.DEFAULT_SEED
          + "; spread, default " + SyntheticSpec.DEFAULT_SPREAD + ")",
      "  --files N             Parquet data files of the base table (default " + DEFAULT_FILES
          + ")",
      "spark",
      "  --master URL          Spark master (default local[2])",
      "lakeann",
      "  --target-rows N       target rows per shard (default: base rows / Spark's default"
          + " parallelism, so that every core builds one shard)",
      "  --nprobe N            IVF lists probed per shard by the cold and warm joins (default:"
          + " each shard's own default)",
      "  --nprobes LIST        then one more warm join at each of these nprobes, for the"
          + " recall/speed curve (default " + DEFAULT_NPROBES + "; none for no sweep)",
      "ground truth and peers",
      "  --truth-queries N     queries whose exact top-k is computed in this JVM to score recall"
          + " (default " + DEFAULT_TRUTH_QUERIES + ", at most all)",
      "  --exact-base N        base rows the Spark exact cross join runs on (default "
          + DEFAULT_EXACT_BASE + "); its time is extrapolated to the full base",
      "  --exact-queries N     queries it runs (default " + DEFAULT_EXACT_QUERIES
          + "); likewise extrapolated",
      "  --hnsw-base N         base rows the per-partition HNSW join runs on (default "
          + DEFAULT_HNSW_BASE + ", at most all); its build is extrapolated to the full base",
      "  --hnsw-ef N           HNSW search beam width per partition (default " + DEFAULT_HNSW_EF
          + ", at least k)",
      "output",
      "  --out FILE            markdown report (default <repo>/docs/benchmarks.md); the plot is"
          + " written beside it",
      "",
      "Each result is one JSON line on stdout; progress goes to stderr.");

  final JoinSpec spec;
  final String master;
  final int files;
  /** Target rows per shard, or 0 for base rows / default parallelism. */
  final long targetRows;
  final int nprobe;
  final List<Integer> nprobes;
  final int truthQueries;
  final int exactBase;
  final int exactQueries;
  final int hnswBase;
  final int hnswEf;
  final Path out;

  private JoinOptions(Flags f, Path repo) {
    this.spec = JoinSpec.parse(f.required("synthetic", "the generated data, e.g. --synthetic "
        + JoinSpec.EXAMPLE));
    this.master = Objects.requireNonNullElse(f.optional("master"), "local[2]");
    this.files = f.integer("files", DEFAULT_FILES, 1);
    if (files > spec.base()) {
      throw new UsageException("--files %d: more data files than the %d base rows of"
          + " --synthetic; use --files %d or less", files, spec.base(), spec.base());
    }
    this.targetRows = f.number("target-rows", 0, 1);
    this.nprobe = f.integer("nprobe", 0, 1);
    this.nprobes = "none".equals(f.optional("nprobes")) ? List.of()
        : List.copyOf(FlagValues.positiveInts(f, "nprobes", DEFAULT_NPROBES));
    int queries = spec.queries();
    this.truthQueries = Math.min(f.integer("truth-queries", DEFAULT_TRUTH_QUERIES, 1), queries);
    this.exactBase = Math.min(f.integer("exact-base", DEFAULT_EXACT_BASE, 1), spec.base());
    this.exactQueries = Math.min(f.integer("exact-queries", DEFAULT_EXACT_QUERIES, 1), queries);
    this.hnswBase = Math.min(f.integer("hnsw-base", DEFAULT_HNSW_BASE, 1), spec.base());
    this.hnswEf = Math.max(f.integer("hnsw-ef", DEFAULT_HNSW_EF, 1), spec.k());
    this.out = FlagValues.path(f, "out", repo.resolve("docs").resolve("benchmarks.md"));
  }

  /**
   * Parses the arguments after {@code join}. {@code repo} is the repository root, where the
   * default report goes.
   *
   * @throws UsageException naming the flag, the value and the fix
   */
  static JoinOptions parse(List<String> args, Path repo) {
    return new JoinOptions(FlagValues.parse("join", args, FLAGS), repo);
  }
}
