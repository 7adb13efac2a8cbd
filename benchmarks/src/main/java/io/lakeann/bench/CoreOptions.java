package io.lakeann.bench;

import io.lakeann.core.Metric;
import io.lakeann.spark.cli.Flags;
import io.lakeann.spark.cli.UsageException;
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

  private static final Set<String> FLAGS = Set.of("synthetic", "base", "queries", "gt", "dataset",
      "k", "metric", "build-threads", "nprobes", "single-queries", "batch-queries",
      "truth-queries", "batch-stop-recall", "exact-queries", "engines", "hnsw-m",
      "hnsw-ef-construction", "hnsw-efs", "jvector-degree", "jvector-beam-width", "max-hnsw-n",
      "max-lucene-n", "max-jvector-n", "out", "save");

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

  private CoreOptions(Flags f, Path repo) {
    this.synthetic = f.optional("synthetic") == null ? null
        : SyntheticSpec.parseShaped(f.optional("synthetic"));
    this.base = existingFile(f, "base", ".fvecs");
    this.queries = existingFile(f, "queries", ".fvecs");
    this.groundTruth = existingFile(f, "gt", ".ivecs");
    if (synthetic != null && (base != null || queries != null || groundTruth != null)) {
      throw new UsageException("--synthetic cannot be combined with --base, --queries or --gt;"
          + " give either generated data or files");
    }
    if (synthetic == null && (base == null || queries == null)) {
      throw new UsageException("No data: give --synthetic SPEC, or --base F.fvecs and --queries"
          + " F.fvecs (e.g. --synthetic n=20000,dim=128,clusters=100,queries=200,seed=7)");
    }
    this.datasetName = datasetName(f.optional("dataset"), synthetic, base);
    this.k = f.integer("k", 10, 1);
    this.metric = FlagValues.metric(f);
    this.buildThreads = f.integer("build-threads", Runtime.getRuntime().availableProcessors(), 1);
    this.nprobes = List.copyOf(FlagValues.positiveInts(f, "nprobes", DEFAULT_NPROBES));
    this.exactQueries = f.integer("exact-queries", 100, 1);
    this.singleQueries = f.integer("single-queries", DEFAULT_SINGLE_QUERIES, 1);
    this.batchQueries = f.integer("batch-queries", DEFAULT_BATCH_QUERIES, 1);
    this.truthQueries = f.integer("truth-queries", Integer.MAX_VALUE, 1);
    this.batchStopRecall = FlagValues.positive(f, "batch-stop-recall", DEFAULT_BATCH_STOP_RECALL,
        1);
    this.engines = engines(f.optional("engines"));
    this.hnswM = f.integer("hnsw-m", HnswEngine.DEFAULT_M, 1);
    this.hnswEfConstruction = f.integer("hnsw-ef-construction",
        HnswEngine.DEFAULT_EF_CONSTRUCTION, 1);
    this.hnswEfs = List.copyOf(FlagValues.positiveInts(f, "hnsw-efs", DEFAULT_HNSW_EFS));
    this.jvectorDegree = f.integer("jvector-degree", DEFAULT_JVECTOR_DEGREE, 1);
    this.jvectorBeamWidth = f.integer("jvector-beam-width", DEFAULT_JVECTOR_BEAM_WIDTH, 1);
    this.maxHnswN = f.number("max-hnsw-n", Long.MAX_VALUE, 0);
    this.maxLuceneN = f.number("max-lucene-n", Long.MAX_VALUE, 0);
    this.maxJvectorN = f.number("max-jvector-n", Long.MAX_VALUE, 0);
    this.out = FlagValues.path(f, "out", repo.resolve("docs").resolve("benchmarks.md"));
    this.save = FlagValues.path(f, "save", null);
  }

  /**
   * Parses the arguments after {@code core}. {@code repo} is the repository root, where the default
   * report goes.
   *
   * @throws UsageException naming the flag, the value and the fix
   */
  static CoreOptions parse(List<String> args, Path repo) {
    return new CoreOptions(FlagValues.parse("core", args, FLAGS), repo);
  }

  /** {@code --dataset}'s name; else the synthetic data's, else the name of the base's folder. */
  private static String datasetName(String given, SyntheticSpec synthetic, Path base) {
    if (given != null) {
      return FlagValues.datasetName(given);
    }
    if (synthetic != null) {
      return synthetic.datasetName();
    }
    Path folder = base.getParent().getFileName();
    return FlagValues.datasetName(folder == null ? "dataset" : folder.toString());
  }

  /** The engines named by {@code value}, in the order given; all of them if it is null. */
  private static Set<String> engines(String value) {
    if (value == null) {
      return Set.copyOf(ENGINES);
    }
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
    return Set.copyOf(chosen);
  }

  /** The readable file given as {@code --name}, absolute, or null if absent. */
  private static Path existingFile(Flags f, String name, String extension) {
    String value = f.optional(name);
    if (value == null) {
      return null;
    }
    Path file = Path.of(value).toAbsolutePath();
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new UsageException("--%s %s: no readable file there; pass the path of an existing %s"
          + " file", name, value, extension);
    }
    return file;
  }
}
