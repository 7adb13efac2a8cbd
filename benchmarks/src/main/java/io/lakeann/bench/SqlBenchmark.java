package io.lakeann.bench;

import io.lakeann.spark.AnnJoin;
import io.lakeann.spark.JoinResult;
import io.lakeann.spark.LakeAnn;
import io.lakeann.spark.cli.Flags;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code benchmarks/run sql}: lakeann from SQL beside the same work through the Java API and
 * through plain Spark SQL, on tables it writes. Measures the {@code ann_join} table function
 * against {@link AnnJoin} on the same data and snapshot (both warm, the median of a few runs),
 * the vector functions against the same L2 distance written with {@code aggregate(zip_with(...))},
 * and the per-partition {@code lakeann_index} / {@code lakeann_search} / {@code lakeann_top_k}
 * flow's build and search. Prints one JSON line per result. One instance runs once.
 */
final class SqlBenchmark {
  static final String EXTENSIONS =
      "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions,"
          + "io.lakeann.sql.LakeAnnSparkSessionExtensions";
  private static final Set<String> FLAGS = Set.of("synthetic", "files", "master", "repeat",
      "pairs-queries", "partitions");
  static final String USAGE = String.join("\n",
      "usage: benchmarks/run sql --synthetic SPEC [flags]",
      "",
      "Writes an Iceberg table of generated rows and one of queries through a local Spark with",
      "lakeann's SQL extensions, builds the index, then times: ann_join in SQL vs the Java",
      "AnnJoin (same data, same snapshot, warm, median of --repeat runs); vector_l2_distance vs",
      "aggregate(zip_with(...)) over --pairs-queries queries x the base; the per-partition",
      "lakeann_index build (--partitions groups) and its lakeann_search + lakeann_top_k search.",
      "",
      "  --synthetic SPEC      e.g. base=20000,dim=64,queries=200,k=10 (optional: clusters, seed,"
          + " spread)",
      "  --files N             Parquet data files of the base table (default 4)",
      "  --master URL          Spark master (default local[2])",
      "  --repeat N            timed runs of each join (default 3; the median is reported)",
      "  --pairs-queries N     queries crossed with the whole base for the vector functions"
          + " (default 20)",
      "  --partitions N        groups of the per-partition index flow (default 4)",
      "",
      "Each result is one JSON line on stdout; progress goes to stderr.");

  private final JoinSpec spec;
  private final String master;
  private final int files;
  private final int repeat;
  private final int pairsQueries;
  private final int partitions;
  private final String command;
  private final PrintStream stdout;

  SqlBenchmark(List<String> flags, String command, PrintStream stdout) {
    Flags values = FlagValues.parse("sql", flags, FLAGS);
    this.spec = JoinSpec.parse(values.required("synthetic", "the generated data, e.g."
        + " --synthetic base=20000,dim=64,queries=200,k=10"));
    this.master = Objects.requireNonNullElse(values.optional("master"), "local[2]");
    this.files = values.integer("files", 4, 1);
    this.repeat = values.integer("repeat", 3, 1);
    this.pairsQueries = values.integer("pairs-queries", 20, 1);
    this.partitions = values.integer("partitions", 4, 1);
    this.command = command;
    this.stdout = stdout;
  }

  void run() throws IOException {
    Log.info("%s, load average %s", MachineInfo.detect().summary(), MachineInfo.loadAverage());
    // spark.sql.extensions is a static setting read from the JVM's spark.* properties when the
    // session starts; JoinTables starts it.
    System.setProperty("spark.sql.extensions", EXTENSIONS);
    BlockVectors baseRows = new BlockVectors(spec.data(), spec.data().seed());
    BlockVectors queryRows = new BlockVectors(spec.data(), ~spec.data().seed());
    try (JoinTables tables = JoinTables.start(master)) {
      SparkSession spark = tables.spark();
      tables.write(JoinTables.DOCS, baseRows, spec.data().n(), files);
      tables.write(JoinTables.QUERIES, queryRows, spec.data().queries(),
          tables.parallelism());
      long start = System.nanoTime();
      LakeAnn.build(spark, JoinTables.DOCS).column(JoinTables.VECTOR).id(JoinTables.ID).run();
      print(line("build", Map.of("seconds", Json.round(Clock.secondsSince(start), 3))));

      joins(spark);
      vectorFunctions(spark);
      partitionFlow(spark);
    }
  }

  /** ann_join in SQL against the Java join, both warm, on the same snapshot. */
  private void joins(SparkSession spark) {
    int k = spec.k();
    Supplier<Long> java = () -> {
      AnnJoin join = LakeAnn.annJoin(spark.table(JoinTables.QUERIES), JoinTables.VECTOR)
          .against(JoinTables.DOCS, JoinTables.VECTOR).k(k);
      JoinResult result = join.run();
      long rows = result.rows().count();
      result.unpersist();
      return rows;
    };
    String sql = "SELECT * FROM ann_join(queries => TABLE(" + JoinTables.QUERIES + "), "
        + "query_column => '" + JoinTables.VECTOR + "', table => '" + JoinTables.DOCS + "', "
        + "column => '" + JoinTables.VECTOR + "', k => " + k + ")";
    Supplier<Long> annJoin = () -> spark.sql(sql).count();
    java.get();
    annJoin.get();
    double javaSeconds = median(java);
    double sqlSeconds = median(annJoin);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("java_seconds", Json.round(javaSeconds, 3));
    fields.put("sql_seconds", Json.round(sqlSeconds, 3));
    fields.put("sql_over_java", Json.round(sqlSeconds / javaSeconds, 3));
    fields.put("rows", java.get());
    fields.put("runs", repeat);
    print(line("ann_join", fields));
  }

  /** vector_l2_distance against the same distance in plain Spark SQL over cached tables. */
  private void vectorFunctions(SparkSession spark) {
    spark.sql("CACHE TABLE bench_pairs_q AS SELECT id, " + JoinTables.VECTOR + " AS q FROM "
        + JoinTables.QUERIES + " ORDER BY id LIMIT " + pairsQueries);
    spark.sql("CACHE TABLE bench_pairs_d AS SELECT id, " + JoinTables.VECTOR + " AS d FROM "
        + JoinTables.DOCS);
    String pairs = " FROM bench_pairs_q CROSS JOIN bench_pairs_d";
    String function = "SELECT sum(vector_l2_distance(q, d))" + pairs;
    String zipWith = "SELECT sum(sqrt(aggregate(zip_with(q, d, (x, y) -> (x - y) * (x - y)), "
        + "0D, (acc, v) -> acc + v)))" + pairs;
    double[] sums = new double[2];
    Supplier<Long> functionRun = () -> {
      sums[0] = spark.sql(function).first().getDouble(0);
      return 1L;
    };
    Supplier<Long> zipRun = () -> {
      sums[1] = spark.sql(zipWith).first().getDouble(0);
      return 1L;
    };
    functionRun.get();
    zipRun.get();
    double functionSeconds = median(functionRun);
    double zipSeconds = median(zipRun);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("pairs", (long) pairsQueries * spec.data().n());
    fields.put("vector_l2_distance_seconds", Json.round(functionSeconds, 3));
    fields.put("zip_with_seconds", Json.round(zipSeconds, 3));
    fields.put("speedup", Json.round(zipSeconds / functionSeconds, 2));
    fields.put("relative_difference_of_sums", Math.abs(sums[0] - sums[1]) / sums[1]);
    print(line("vector_functions", fields));
  }

  /** The three-statement per-partition flow: build, search and merge, against the Java join. */
  private void partitionFlow(SparkSession spark) {
    int k = spec.k();
    long start = System.nanoTime();
    spark.sql("CACHE TABLE bench_indexes AS SELECT id % " + partitions + " AS part, "
        + "lakeann_index(id, " + JoinTables.VECTOR + ") AS idx FROM " + JoinTables.DOCS
        + " GROUP BY 1");
    double build = Clock.secondsSince(start);
    String search = "SELECT q.id, lakeann_top_k(lakeann_search(i.idx, q." + JoinTables.VECTOR
        + ", " + k + "), " + k + ") AS nn FROM " + JoinTables.QUERIES + " q CROSS JOIN "
        + "bench_indexes i GROUP BY q.id";
    start = System.nanoTime();
    List<Row> found = spark.sql(search).collectAsList();
    double firstSearch = Clock.secondsSince(start);
    double warmSearch = median(() -> spark.sql(search).count());
    AnnJoin join = LakeAnn.annJoin(spark.table(JoinTables.QUERIES), JoinTables.VECTOR)
        .against(JoinTables.DOCS, JoinTables.VECTOR).k(k);
    Map<Long, List<Long>> java = new HashMap<>();
    JoinResult result = join.run();
    for (Row r : result.rows().select(JoinTables.ID, "neighbor_id").collectAsList()) {
      java.computeIfAbsent(r.getLong(0), q -> new ArrayList<>()).add(r.getLong(1));
    }
    result.unpersist();
    long same = 0;
    long all = 0;
    for (Row r : found) {
      List<Long> expected = java.getOrDefault(r.getLong(0), List.of());
      for (Row pair : r.<Row>getList(1)) {
        same += expected.contains(pair.getLong(0)) ? 1 : 0;
      }
      all += expected.size();
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("partitions", partitions);
    fields.put("build_seconds", Json.round(build, 3));
    fields.put("first_search_seconds", Json.round(firstSearch, 3));
    fields.put("warm_search_seconds", Json.round(warmSearch, 3));
    fields.put("agreement_with_java_join", Json.round((double) same / Math.max(1, all), 4));
    print(line("partition_udfs", fields));
  }

  private double median(Supplier<Long> run) {
    double[] seconds = new double[repeat];
    for (int i = 0; i < repeat; i++) {
      long start = System.nanoTime();
      run.get();
      seconds[i] = Clock.secondsSince(start);
    }
    Arrays.sort(seconds);
    return seconds[repeat / 2];
  }

  private Map<String, Object> line(String step, Map<String, ?> values) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("benchmark", "sql");
    out.put("step", step);
    out.put("base", spec.data().n());
    out.put("dim", spec.data().dim());
    out.put("queries", spec.data().queries());
    out.put("k", spec.k());
    out.putAll(values);
    out.put("command", command);
    return out;
  }

  private void print(Map<String, Object> line) {
    Json.println(stdout, line);
  }
}
