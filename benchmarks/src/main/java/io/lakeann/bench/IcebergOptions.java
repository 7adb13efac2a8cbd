package io.lakeann.bench;

import io.lakeann.core.Metric;
import java.nio.file.Path;
import java.util.List;

/**
 * The flags of {@code benchmarks/run iceberg}, parsed and checked once. Immutable. Only
 * {@code --synthetic} is required: the change step appends rows drawn from the same clusters,
 * which only generated data can supply.
 */
final class IcebergOptions {
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

  private IcebergOptions(Parser p) {
    this.synthetic = p.synthetic;
    this.files = p.files;
    this.delta = p.delta;
    this.targetRows = p.targetRows;
    this.k = p.k;
    this.metric = p.metric;
    this.timing = p.timing;
    this.out = p.out;
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
    Parser p = new Parser(repo);
    Flags.parse(args, Parser::example, p::accept);
    return p.finish();
  }

  /** Mutable state of one parse; only {@link #parse} uses it. */
  private static final class Parser {
    private SyntheticSpec synthetic;
    private int files = 8;
    private double delta = 0.05;
    private int targetRows = 50_000;
    private int k = 10;
    private Metric metric = Metric.L2;
    private Measured.Timing timing = Measured.Timing.DEFAULT;
    private Path out;

    Parser(Path repo) {
      this.out = repo.resolve("docs").resolve("benchmarks.md");
    }

    void accept(String flag, String value) {
      switch (flag) {
        case "--synthetic" -> synthetic = SyntheticSpec.parse(value);
        case "--files" -> files = Flags.positiveInt(flag, value, example(flag));
        case "--delta" -> delta = number(flag, value, 1);
        case "--search-seconds" -> timing = Measured.Timing.timed(
            number(flag, value, Double.MAX_VALUE));
        case "--target-rows" -> targetRows = Flags.positiveInt(flag, value, example(flag));
        case "--k" -> k = Flags.positiveInt(flag, value, example(flag));
        case "--metric" -> metric = Flags.metric(value);
        case "--out" -> out = Path.of(value).toAbsolutePath();
        default -> throw new UsageException("Unknown flag %s for 'iceberg' (run with --help for"
            + " the flags)", flag);
      }
    }

    IcebergOptions finish() {
      if (synthetic == null) {
        throw new UsageException("No data: give --synthetic SPEC (e.g. --synthetic"
            + " n=200000,dim=128,clusters=200,queries=200,seed=7)");
      }
      if (files > synthetic.n()) {
        throw new UsageException("--files %d: more data files than the %d rows of --synthetic;"
            + " use --files %d or less", files, synthetic.n(), synthetic.n());
      }
      return new IcebergOptions(this);
    }

    private static String example(String flag) {
      return switch (flag) {
        case "--synthetic" -> "--synthetic n=200000,dim=128,clusters=200,queries=200,seed=7";
        case "--files" -> "--files 8";
        case "--delta" -> "--delta 0.05";
        case "--search-seconds" -> "--search-seconds 1";
        case "--target-rows" -> "--target-rows 50000";
        case "--metric" -> "--metric l2";
        case "--out" -> "--out docs/benchmarks.md";
        default -> flag + " 10";
      };
    }

    /** The number {@code value} when it lies in {@code (0, max]}. */
    private static double number(String flag, String value, double max) {
      double v;
      try {
        v = Double.parseDouble(value.trim());
      } catch (NumberFormatException e) {
        v = Double.NaN;
      }
      if (!(v > 0 && v <= max)) {
        throw new UsageException("%s %s: must be a number > 0%s, e.g. %s", flag, value,
            max == Double.MAX_VALUE ? "" : " and <= " + max, example(flag));
      }
      return v;
    }
  }
}
