package io.lakeann.bench;

import java.nio.file.Path;
import java.util.List;

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

  private JoinOptions(Parser p) {
    this.spec = p.spec;
    this.master = p.master;
    this.files = p.files;
    this.targetRows = p.targetRows;
    this.nprobe = p.nprobe;
    this.nprobes = List.copyOf(p.nprobes);
    int queries = p.spec.queries();
    this.truthQueries = Math.min(p.truthQueries, queries);
    this.exactBase = Math.min(p.exactBase, p.spec.base());
    this.exactQueries = Math.min(p.exactQueries, queries);
    this.hnswBase = Math.min(p.hnswBase, p.spec.base());
    this.hnswEf = Math.max(p.hnswEf, p.spec.k());
    this.out = p.out;
  }

  /**
   * Parses the arguments after {@code join}. {@code repo} is the repository root, where the
   * default report goes.
   *
   * @throws UsageException naming the flag, the value and the fix
   */
  static JoinOptions parse(List<String> args, Path repo) {
    Parser p = new Parser(repo);
    Flags.parse(args, Parser::example, p::accept);
    return p.finish();
  }

  /** Mutable state of one parse; only {@link #parse} uses it. */
  private static final class Parser {
    private JoinSpec spec;
    private String master = "local[2]";
    private int files = DEFAULT_FILES;
    private long targetRows;
    private int nprobe;
    private List<Integer> nprobes = Flags.positiveInts("--nprobes", DEFAULT_NPROBES,
        DEFAULT_NPROBES);
    private int truthQueries = DEFAULT_TRUTH_QUERIES;
    private int exactBase = DEFAULT_EXACT_BASE;
    private int exactQueries = DEFAULT_EXACT_QUERIES;
    private int hnswBase = DEFAULT_HNSW_BASE;
    private int hnswEf = DEFAULT_HNSW_EF;
    private Path out;

    Parser(Path repo) {
      this.out = repo.resolve("docs").resolve("benchmarks.md");
    }

    void accept(String flag, String value) {
      switch (flag) {
        case "--synthetic" -> spec = JoinSpec.parse(value);
        case "--master" -> master = value;
        case "--files" -> files = positive(flag, value);
        case "--target-rows" -> targetRows = positive(flag, value);
        case "--nprobe" -> nprobe = positive(flag, value);
        case "--nprobes" -> nprobes = value.equals("none") ? List.of()
            : Flags.positiveInts(flag, value, example(flag));
        case "--truth-queries" -> truthQueries = positive(flag, value);
        case "--exact-base" -> exactBase = positive(flag, value);
        case "--exact-queries" -> exactQueries = positive(flag, value);
        case "--hnsw-base" -> hnswBase = positive(flag, value);
        case "--hnsw-ef" -> hnswEf = positive(flag, value);
        case "--out" -> out = Path.of(value).toAbsolutePath();
        default -> throw new UsageException("Unknown flag %s for 'join' (run with --help for the"
            + " flags)", flag);
      }
    }

    JoinOptions finish() {
      if (spec == null) {
        throw new UsageException("No data: give --synthetic SPEC (e.g. --synthetic %s)",
            JoinSpec.EXAMPLE);
      }
      if (files > spec.base()) {
        throw new UsageException("--files %d: more data files than the %d base rows of"
            + " --synthetic; use --files %d or less", files, spec.base(), spec.base());
      }
      return new JoinOptions(this);
    }

    private static int positive(String flag, String value) {
      return Flags.positiveInt(flag, value, example(flag));
    }

    private static String example(String flag) {
      return switch (flag) {
        case "--synthetic" -> "--synthetic " + JoinSpec.EXAMPLE;
        case "--master" -> "--master local[2]";
        case "--files" -> "--files " + DEFAULT_FILES;
        case "--target-rows" -> "--target-rows 500000";
        case "--nprobes" -> "--nprobes " + DEFAULT_NPROBES;
        case "--truth-queries" -> "--truth-queries " + DEFAULT_TRUTH_QUERIES;
        case "--exact-base" -> "--exact-base " + DEFAULT_EXACT_BASE;
        case "--exact-queries" -> "--exact-queries " + DEFAULT_EXACT_QUERIES;
        case "--hnsw-base" -> "--hnsw-base " + DEFAULT_HNSW_BASE;
        case "--hnsw-ef" -> "--hnsw-ef " + DEFAULT_HNSW_EF;
        case "--out" -> "--out docs/benchmarks.md";
        default -> flag + " 16";
      };
    }
  }
}
