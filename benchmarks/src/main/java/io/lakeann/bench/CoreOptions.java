package io.lakeann.bench;

import io.lakeann.core.Metric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The flags of {@code benchmarks/run core}, parsed and checked once. Immutable. Either
 * {@code --synthetic} or {@code --base} with {@code --queries} names the data; everything else has
 * a default (see {@link #USAGE}).
 */
final class CoreOptions {
  private static final String DEFAULT_NPROBES = "1,2,4,8,16,32,64,128";
  private static final String DEFAULT_HNSW_EFS = "10,20,40,80,160,320";
  static final int DEFAULT_SINGLE_QUERIES = 1000;
  static final int DEFAULT_BATCH_QUERIES = 10_000;
  static final double DEFAULT_BATCH_STOP_RECALL = 0.98;
  static final int DEFAULT_JVECTOR_DEGREE = 32;
  static final int DEFAULT_JVECTOR_BEAM_WIDTH = 100;
  /** The names {@code --engines} takes, in run order. */
  static final List<String> ENGINES = List.of(CoreEngines.EXACT, CoreEngines.LAKEANN,
      CoreEngines.LAKEANN_BATCH, CoreEngines.HNSWLIB, CoreEngines.LUCENE_FLOAT32,
      CoreEngines.LUCENE_INT7, CoreEngines.LUCENE_BBQ, CoreEngines.JVECTOR);

  static final String USAGE = String.join("\n",
      "usage: benchmarks/run core (--synthetic SPEC | --base F.fvecs --queries F.fvecs [--gt F.ivecs])"
          + " [flags]",
      "",
      "data",
      "  --synthetic SPEC          generated data: clustered, e.g."
          + " n=1000000,dim=128,clusters=1000,queries=10000,seed=7 (optional: spread, default "
          + SyntheticSpec.DEFAULT_SPREAD + "), or without structure, e.g."
          + " n=100000,dim=128,shape=gaussian or n=200000,dim=32,shape=uniform; queries default "
          + SyntheticSpec.DEFAULT_QUERIES + ", seed " + SyntheticSpec.DEFAULT_SEED,
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
      "  --single-queries N        queries timed one at a time: the first N (default "
          + DEFAULT_SINGLE_QUERIES + ")",
      "  --batch-queries N         queries of one batch, searched on one thread: the first N"
          + " (default " + DEFAULT_BATCH_QUERIES + "); the ground truth covers them",
      "  --truth-queries N         queries with ground truth, the first N of the batch (default:"
          + " all); recall is over them, single queries are at most these",
      "  --batch-stop-recall R     stop timing batches of a sweep after a point reaches recall R"
          + " (default " + DEFAULT_BATCH_STOP_RECALL + ")",
      "  --exact-queries N         queries timed for the exact scan (default 100)",
      "  --engines LIST            engines to run, of " + String.join(",", ENGINES)
          + " (default: all; the lucene and jvector ones need a JDK 21+ build and run)",
      "  --hnsw-m N                links per node of the HNSW graphs, hnswlib and Lucene (default"
          + " 16)",
      "  --hnsw-ef-construction N  build beam width of the HNSW graphs, hnswlib and Lucene"
          + " (default 100)",
      "  --hnsw-efs LIST           search effort sweep of every graph: hnswlib's ef, Lucene's"
          + " candidates per query (at least k; quantized ones rescored from float32), jvector's"
          + " rerankK (default " + DEFAULT_HNSW_EFS + ")",
      "  --jvector-degree N        jvector's maximum graph degree (default "
          + DEFAULT_JVECTOR_DEGREE + ")",
      "  --jvector-beam-width N    jvector's build beam width (default "
          + DEFAULT_JVECTOR_BEAM_WIDTH + ")",
      "  --max-hnsw-n N            skip hnswlib when the base has more rows (default: no limit)",
      "  --max-lucene-n N          skip the three Lucene HNSW formats when the base has more rows"
          + " (default: no limit)",
      "  --max-jvector-n N         skip jvector when the base has more rows (default: no limit)",
      "output",
      "  --out FILE                markdown report (default <repo>/docs/benchmarks.md); the plot is"
          + " written beside it",
      "  --save FILE               write lakeann's default index there as an rbpx file and time"
          + " loading it back",
      "",
      "Each result is one JSON line on stdout; progress goes to stderr.");


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
  final int singleQueries;
  final int batchQueries;
  final int truthQueries;
  final double batchStopRecall;
  final Set<String> engines;
  final int hnswM;
  final int hnswEfConstruction;
  final List<Integer> hnswEfs;
  final int jvectorDegree;
  final int jvectorBeamWidth;
  final long maxHnswN;
  final long maxLuceneN;
  final long maxJvectorN;
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
    this.singleQueries = p.singleQueries;
    this.batchQueries = p.batchQueries;
    this.truthQueries = p.truthQueries;
    this.batchStopRecall = p.batchStopRecall;
    this.engines = Set.copyOf(p.engines);
    this.hnswM = p.hnswM;
    this.hnswEfConstruction = p.hnswEfConstruction;
    this.hnswEfs = List.copyOf(p.hnswEfs);
    this.jvectorDegree = p.jvectorDegree;
    this.jvectorBeamWidth = p.jvectorBeamWidth;
    this.maxHnswN = p.maxHnswN;
    this.maxLuceneN = p.maxLuceneN;
    this.maxJvectorN = p.maxJvectorN;
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
    private int singleQueries = DEFAULT_SINGLE_QUERIES;
    private int batchQueries = DEFAULT_BATCH_QUERIES;
    private int truthQueries = Integer.MAX_VALUE;
    private double batchStopRecall = DEFAULT_BATCH_STOP_RECALL;
    private Set<String> engines = new LinkedHashSet<>(ENGINES);
    private int hnswM = HnswEngine.DEFAULT_M;
    private int hnswEfConstruction = HnswEngine.DEFAULT_EF_CONSTRUCTION;
    private List<Integer> hnswEfs = intList("--hnsw-efs", DEFAULT_HNSW_EFS);
    private int jvectorDegree = DEFAULT_JVECTOR_DEGREE;
    private int jvectorBeamWidth = DEFAULT_JVECTOR_BEAM_WIDTH;
    private long maxHnswN = Long.MAX_VALUE;
    private long maxLuceneN = Long.MAX_VALUE;
    private long maxJvectorN = Long.MAX_VALUE;
    private Path out;
    private Path save;

    Parser(Path repo) {
      this.out = repo.resolve("docs").resolve("benchmarks.md");
    }

    void accept(String flag, String value) {
      switch (flag) {
        case "--synthetic" -> synthetic = SyntheticSpec.parseShaped(value);
        case "--base" -> base = existingFile(flag, value, ".fvecs");
        case "--queries" -> queries = existingFile(flag, value, ".fvecs");
        case "--gt" -> groundTruth = existingFile(flag, value, ".ivecs");
        case "--dataset" -> datasetName = Flags.datasetName(value);
        case "--k" -> k = positiveInt(flag, value);
        case "--metric" -> metric = Flags.metric(value);
        case "--build-threads" -> buildThreads = positiveInt(flag, value);
        case "--nprobes" -> nprobes = intList(flag, value);
        case "--exact-queries" -> exactQueries = positiveInt(flag, value);
        case "--single-queries" -> singleQueries = positiveInt(flag, value);
        case "--batch-queries" -> batchQueries = positiveInt(flag, value);
        case "--truth-queries" -> truthQueries = positiveInt(flag, value);
        case "--batch-stop-recall" -> batchStopRecall = recall(flag, value);
        case "--engines" -> engines = engines(value);
        case "--hnsw-m" -> hnswM = positiveInt(flag, value);
        case "--hnsw-ef-construction" -> hnswEfConstruction = positiveInt(flag, value);
        case "--hnsw-efs" -> hnswEfs = intList(flag, value);
        case "--jvector-degree" -> jvectorDegree = positiveInt(flag, value);
        case "--jvector-beam-width" -> jvectorBeamWidth = positiveInt(flag, value);
        case "--max-hnsw-n" -> maxHnswN = maxRows(flag, value, "hnswlib");
        case "--max-lucene-n" -> maxLuceneN = maxRows(flag, value, "Lucene HNSW (all three formats)");
        case "--max-jvector-n" -> maxJvectorN = maxRows(flag, value, "jvector");
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
        case "--engines" -> "--engines lakeann,lakeann-batch,hnswlib";
        case "--batch-stop-recall" -> "--batch-stop-recall 0.99";
        case "--out" -> "--out docs/benchmarks.md";
        case "--save" -> "--save /tmp/index.rbpx";
        case "--dataset" -> "--dataset sift5k";
        default -> flag + " 10";
      };
    }

    private static long maxRows(String flag, String value, String engine) {
      return UsageException.wholeNumber(value, 0, Long.MAX_VALUE,
          "%s %s: must be a whole number >= 0 (rows above which %s is skipped)", flag, value,
          engine);
    }

    private static double recall(String flag, String value) {
      double v;
      try {
        v = Double.parseDouble(value.trim());
      } catch (NumberFormatException e) {
        v = Double.NaN;
      }
      if (!(v > 0 && v <= 1)) {
        throw new UsageException("%s %s: must be a recall in (0, 1], e.g. %s 0.99", flag, value,
            flag);
      }
      return v;
    }

    private static Set<String> engines(String value) {
      Set<String> chosen = new LinkedHashSet<>();
      for (String part : value.split(",", -1)) {
        String name = part.trim().toLowerCase(Locale.ROOT);
        if (!ENGINES.contains(name)) {
          throw new UsageException("--engines %s: unknown engine '%s'; choose from %s", value,
              part, String.join(",", ENGINES));
        }
        if (!chosen.add(name)) {
          throw new UsageException("--engines %s: '%s' is listed twice; name it once", value,
              name);
        }
      }
      return chosen;
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
