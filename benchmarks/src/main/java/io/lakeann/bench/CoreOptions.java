package io.lakeann.bench;

import io.lakeann.core.Metric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The flags of {@code benchmarks/run core}, parsed and checked once. Immutable. Either
 * {@code --synthetic} or {@code --base} with {@code --queries} names the data; everything else has
 * a default (see {@link #USAGE}).
 */
final class CoreOptions {
  static final String USAGE = String.join("\n",
      "usage: benchmarks/run core (--synthetic SPEC | --base F.fvecs --queries F.fvecs [--gt F.ivecs])"
          + " [flags]",
      "",
      "data",
      "  --synthetic SPEC          generated clustered data, e.g."
          + " n=1000000,dim=128,clusters=1000,queries=1000,seed=7 (optional key: spread, default "
          + SyntheticSpec.DEFAULT_SPREAD + ")",
      "  --base FILE               base vectors (.fvecs); ids are row numbers 0..n-1",
      "  --queries FILE            query vectors (.fvecs)",
      "  --gt FILE                 ground truth (.ivecs, row numbers); default: exact search",
      "  --dataset NAME            name of the doc section and plot; default: synthetic spec, or the"
          + " folder of --base",
      "search",
      "  --k N                     neighbours per query (default 10)",
      "  --metric l2|ip|cosine     distance (default l2)",
      "  --build-threads N         threads for index builds (default: available processors)",
      "  --nprobes LIST            lakeann nprobe sweep, capped at nlist (default 1,2,4,8,16,32,64,128)",
      "  --exact-queries N         queries timed for the exact scan (default 100)",
      "  --hnsw-m N                HNSW links per node (default 16)",
      "  --hnsw-ef-construction N  HNSW build beam width (default 100)",
      "  --hnsw-efs LIST           HNSW ef sweep (default 10,20,40,80,160,320)",
      "  --max-hnsw-n N            skip HNSW when the base has more rows (default: no limit)",
      "output",
      "  --out FILE                markdown report (default <repo>/docs/benchmarks.md); the plot is"
          + " written beside it",
      "  --save FILE               write lakeann's default index there as an rbpx file and time"
          + " loading it back",
      "",
      "Each result is one JSON line on stdout; progress goes to stderr.");

  private static final String DEFAULT_NPROBES = "1,2,4,8,16,32,64,128";
  private static final String DEFAULT_HNSW_EFS = "10,20,40,80,160,320";

  final SyntheticSpec synthetic;
  final Path base;
  final Path queries;
  final Path groundTruth;
  final String datasetName;
  final int k;
  final Metric metric;
  final int buildThreads;
  final List<Integer> nprobes;
  final int exactQueries;
  final int hnswM;
  final int hnswEfConstruction;
  final List<Integer> hnswEfs;
  final long maxHnswN;
  final Path out;
  final Path save;

  private CoreOptions(Parser p) {
    this.synthetic = p.synthetic;
    this.base = p.base;
    this.queries = p.queries;
    this.groundTruth = p.groundTruth;
    this.datasetName = p.datasetName;
    this.k = p.k;
    this.metric = p.metric;
    this.buildThreads = p.buildThreads;
    this.nprobes = List.copyOf(p.nprobes);
    this.exactQueries = p.exactQueries;
    this.hnswM = p.hnswM;
    this.hnswEfConstruction = p.hnswEfConstruction;
    this.hnswEfs = List.copyOf(p.hnswEfs);
    this.maxHnswN = p.maxHnswN;
    this.out = p.out;
    this.save = p.save;
  }

  /**
   * Parses the arguments after {@code core}. {@code repo} is the repository root, where the default
   * report goes.
   *
   * @throws UsageException naming the flag, the value and the fix
   */
  static CoreOptions parse(List<String> args, Path repo) {
    Parser p = new Parser(repo);
    Flags.parse(args, Parser::example, p::accept);
    return p.finish();
  }

  /** Mutable state of one parse; only {@link #parse} uses it. */
  private static final class Parser {
    private SyntheticSpec synthetic;
    private Path base;
    private Path queries;
    private Path groundTruth;
    private String datasetName;
    private int k = 10;
    private Metric metric = Metric.L2;
    private int buildThreads = Runtime.getRuntime().availableProcessors();
    private List<Integer> nprobes = intList("--nprobes", DEFAULT_NPROBES);
    private int exactQueries = 100;
    private int hnswM = HnswEngine.DEFAULT_M;
    private int hnswEfConstruction = HnswEngine.DEFAULT_EF_CONSTRUCTION;
    private List<Integer> hnswEfs = intList("--hnsw-efs", DEFAULT_HNSW_EFS);
    private long maxHnswN = Long.MAX_VALUE;
    private Path out;
    private Path save;

    Parser(Path repo) {
      this.out = repo.resolve("docs").resolve("benchmarks.md");
    }

    void accept(String flag, String value) {
      switch (flag) {
        case "--synthetic" -> synthetic = SyntheticSpec.parse(value);
        case "--base" -> base = existingFile(flag, value, ".fvecs");
        case "--queries" -> queries = existingFile(flag, value, ".fvecs");
        case "--gt" -> groundTruth = existingFile(flag, value, ".ivecs");
        case "--dataset" -> datasetName = Flags.datasetName(value);
        case "--k" -> k = positiveInt(flag, value);
        case "--metric" -> metric = Flags.metric(value);
        case "--build-threads" -> buildThreads = positiveInt(flag, value);
        case "--nprobes" -> nprobes = intList(flag, value);
        case "--exact-queries" -> exactQueries = positiveInt(flag, value);
        case "--hnsw-m" -> hnswM = positiveInt(flag, value);
        case "--hnsw-ef-construction" -> hnswEfConstruction = positiveInt(flag, value);
        case "--hnsw-efs" -> hnswEfs = intList(flag, value);
        case "--max-hnsw-n" -> maxHnswN = UsageException.wholeNumber(value, 0, Long.MAX_VALUE,
            "--max-hnsw-n %s: must be a whole number >= 0 (rows above which HNSW is skipped)",
            value);
        case "--out" -> out = Path.of(value).toAbsolutePath();
        case "--save" -> save = Path.of(value).toAbsolutePath();
        default -> throw new UsageException("Unknown flag %s for 'core' (run with --help for the"
            + " flags)", flag);
      }
    }

    CoreOptions finish() {
      if (synthetic != null && (base != null || queries != null || groundTruth != null)) {
        throw new UsageException("--synthetic cannot be combined with --base, --queries or --gt;"
            + " give either generated data or files");
      }
      if (synthetic == null && (base == null || queries == null)) {
        throw new UsageException("No data: give --synthetic SPEC, or --base F.fvecs and --queries"
            + " F.fvecs (e.g. --synthetic n=20000,dim=128,clusters=100,queries=200,seed=7)");
      }
      if (datasetName == null && synthetic != null) {
        datasetName = synthetic.datasetName();
      } else if (datasetName == null) {
        Path folder = base.getParent().getFileName();
        datasetName = Flags.datasetName(folder == null ? "dataset" : folder.toString());
      }
      return new CoreOptions(this);
    }

    private static String example(String flag) {
      return switch (flag) {
        case "--synthetic" -> "--synthetic n=20000,dim=128,clusters=100,queries=200,seed=7";
        case "--base", "--queries" -> flag + " data/base.fvecs";
        case "--gt" -> "--gt data/groundtruth.ivecs";
        case "--metric" -> "--metric l2";
        case "--nprobes" -> "--nprobes " + DEFAULT_NPROBES;
        case "--hnsw-efs" -> "--hnsw-efs " + DEFAULT_HNSW_EFS;
        case "--out" -> "--out docs/benchmarks.md";
        case "--save" -> "--save /tmp/index.rbpx";
        case "--dataset" -> "--dataset sift5k";
        default -> flag + " 10";
      };
    }

    private static Path existingFile(String flag, String value, String extension) {
      Path file = Path.of(value).toAbsolutePath();
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw new UsageException("%s %s: no readable file there; pass the path of an existing %s"
            + " file", flag, value, extension);
      }
      return file;
    }

    private static int positiveInt(String flag, String value) {
      return Flags.positiveInt(flag, value, example(flag));
    }

    private static List<Integer> intList(String flag, String value) {
      return Flags.positiveInts(flag, value, example(flag));
    }
  }
}
