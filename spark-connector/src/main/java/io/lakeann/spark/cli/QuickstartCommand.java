package io.lakeann.spark.cli;

import io.lakeann.spark.LocalSpark;
import io.lakeann.core.Metric;
import io.lakeann.core.util.Json;
import io.lakeann.iceberg.Consistency;
import io.lakeann.iceberg.SnapshotRef;
import io.lakeann.spark.TableJoin;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code quickstart}: the whole path on generated data, in the embedded catalog by default. It
 * (re)creates {@code lake.demo.docs} with clustered vectors written by Spark SQL, builds its
 * index, creates {@code lake.demo.queries}, joins them into {@code lake.demo.neighbors} through
 * the same code as {@code build} and {@code join}, prints a few neighbours as JSON lines, checks
 * recall against an exact search of a sample of the queries, and prints one summary line.
 * Deterministic: the same rows every run. Immutable.
 */
final class QuickstartCommand implements Command {
  static final String NAME = "quickstart";
  static final Set<String> FLAGS = Set.of("rows");
  static final long DEFAULT_ROWS = 20_000;
  static final String DEFAULT_WAREHOUSE = "lakeann-warehouse";
  static final String NAMESPACE = LocalSpark.CATALOG + ".demo";
  static final String DOCS = NAMESPACE + ".docs";
  static final String QUERIES = NAMESPACE + ".queries";
  static final String NEIGHBORS = NAMESPACE + ".neighbors";
  static final int DIM = 64;
  static final int TOPICS = 50;
  static final int QUERY_ROWS = 100;
  static final int K = 10;
  /** Queries whose recall is checked against an exact search (a full scan each). */
  static final int RECALL_QUERIES = 10;
  /** Above this many rows the exact check is left out: it scans every row per query. */
  static final long MAX_RECALL_ROWS = 1_000_000;
  private static final int DOC_SALT = 31;
  private static final int QUERY_SALT = 37;
  static final String USAGE = String.join("\n",
      "usage: lakeann quickstart [--warehouse DIR] [--rows N]",
      "",
      "Runs the main path on generated data: creates the Iceberg table " + DOCS + " (N rows of",
      DIM + "-dimensional vectors in " + TOPICS + " clusters, default N = " + DEFAULT_ROWS
          + "), builds its index, creates",
      QUERIES + " (" + QUERY_ROWS + " vectors), joins them (k = " + K + ") into " + NEIGHBORS
          + ", prints",
      "a few neighbours, then a summary with the build, the join and recall@" + K
          + " against an exact",
      "search of " + RECALL_QUERIES + " queries. The three tables are replaced on every run.",
      "",
      "  --warehouse DIR   the embedded catalog's directory (default ./" + DEFAULT_WAREHOUSE
          + ",",
      "                    unless a catalog 'lake' is configured); it stays for you to explore",
      "  --rows N          rows of " + DOCS + " (default " + DEFAULT_ROWS + ")");

  private final long rows;

  QuickstartCommand(long rows) {
    this.rows = rows;
  }

  static QuickstartCommand parse(Flags flags) {
    if (!flags.positional().isEmpty()) {
      throw new UsageException("unexpected argument '%s'; quickstart takes --rows N",
          flags.positional().get(0));
    }
    return new QuickstartCommand(flags.number("rows", DEFAULT_ROWS, K));
  }

  @Override
  public String defaultWarehouse() {
    return DEFAULT_WAREHOUSE;
  }

  @Override
  public Map<String, Object> run(SparkSession spark, PrintStream out, PrintStream err) {
    CliTables.checkCatalog(spark, DOCS, "quickstart");
    step(err, 1, "creating %s: %d rows of %d-dimensional vectors in %d clusters", DOCS, rows,
        DIM, TOPICS);
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + NAMESPACE);
    for (String table : List.of(NEIGHBORS, QUERIES, DOCS)) {
      spark.sql("DROP TABLE IF EXISTS " + table + " PURGE");
    }
    spark.sql("CREATE TABLE " + DOCS + " (doc_id BIGINT NOT NULL, topic INT, "
        + "embedding ARRAY<FLOAT>) USING iceberg TBLPROPERTIES ('format-version'='2', "
        + "'write.delete.mode'='merge-on-read', 'write.update.mode'='merge-on-read')");
    int files = (int) Math.min(4, rows / K);
    spark.sql("INSERT INTO " + DOCS + " " + clusteredVectors("doc_id", 0, rows, files,
        DOC_SALT));

    step(err, 2, "building the index of %s.embedding (one Spark task per shard)", DOCS);
    long perShard = (rows + files - 1) / files;
    Map<String, Object> build = new BuildCommand(DOCS, "embedding", "doc_id", Metric.L2,
        perShard, SnapshotRef.current(), false).run(spark, out, err);

    step(err, 3, "creating %s: %d query vectors", QUERIES, QUERY_ROWS);
    spark.sql("CREATE TABLE " + QUERIES + " USING iceberg AS "
        + clusteredVectors("query_id", 0, QUERY_ROWS, 1, QUERY_SALT));

    step(err, 4, "joining %s against %s (k = %d) into %s", QUERIES, DOCS, K, NEIGHBORS);
    Map<String, Object> join = new JoinCommand(new TableJoin(QUERIES, "embedding", "query_id",
        DOCS, "embedding", K, Double.NaN, 0, Float.NaN, Consistency.fresh(), null, NEIGHBORS))
        .run(spark, out, err);

    step(err, 5, "the 3 nearest documents of queries 0-2, and recall against an exact search");
    List<Row> sample = spark.sql("SELECT n.query_id, q.topic AS query_topic, n.neighbor_id, "
        + "d.topic AS neighbor_topic, n.distance, n.rank FROM " + NEIGHBORS + " n JOIN "
        + QUERIES + " q ON q.query_id = n.query_id JOIN " + DOCS + " d ON d.doc_id = "
        + "n.neighbor_id WHERE n.query_id < 3 AND n.rank <= 3 ORDER BY n.query_id, n.rank")
        .collectAsList();
    String[] names = JsonValues.uniqueNames(new String[] {"query_id", "query_topic",
        "neighbor_id", "neighbor_topic", "distance", "rank"});
    for (Row row : sample) {
      out.println(Json.write(JsonValues.row(row, names)));
    }
    Double recall = rows <= MAX_RECALL_ROWS ? recall(spark) : null;

    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", NAME);
    m.put("warehouse", spark.conf().get("spark.sql.catalog." + LocalSpark.CATALOG
        + ".warehouse", null));
    m.put("table", DOCS);
    m.put("rows", rows);
    m.put("dimension", DIM);
    m.put("queries_table", QUERIES);
    m.put("queries", QUERY_ROWS);
    m.put("output", NEIGHBORS);
    m.put("k", K);
    m.put("recall_at_k", recall);
    m.put("recall_queries", recall == null ? 0 : RECALL_QUERIES);
    m.put("build", withoutCommand(build));
    m.put("join", withoutCommand(join));
    nextSteps(err, m.get("warehouse"));
    return m;
  }

  /**
   * SQL selecting {@code count} rows {@code (idColumn, topic, embedding)} from id {@code first}:
   * each vector is its topic's centre (uniform in [-4, 4) per dimension) plus noise (uniform in
   * [-1, 1)), both from Spark's hash of the ids, so every run writes the same rows.
   */
  static String clusteredVectors(String idColumn, long first, long count, int partitions,
      int salt) {
    return String.format(Locale.ROOT, "SELECT id AS %s, CAST(id %% %d AS INT) AS topic, "
        + "transform(sequence(0, %d), j -> CAST(hash(id %% %d, j, 17) / 2147483648D * 4 "
        + "+ hash(id, j, %d) / 2147483648D AS FLOAT)) AS embedding FROM range(%d, %d, 1, %d)",
        idColumn, TOPICS, DIM - 1, TOPICS, salt, first, first + count, partitions);
  }

  /** Share of the exact top-k of the first queries that the join found. */
  private static double recall(SparkSession spark) {
    long found = spark.sql("WITH q AS (SELECT query_id, embedding AS qv FROM " + QUERIES
        + " WHERE query_id < " + RECALL_QUERIES + "), pairs AS (SELECT q.query_id, d.doc_id, "
        + "aggregate(zip_with(q.qv, d.embedding, (a, b) -> (a - b) * (a - b)), 0D, "
        + "(s, x) -> s + x) AS dist FROM q CROSS JOIN " + DOCS + " d), exact AS ("
        + "SELECT query_id, doc_id FROM (SELECT query_id, doc_id, row_number() OVER "
        + "(PARTITION BY query_id ORDER BY dist, doc_id) AS r FROM pairs) WHERE r <= " + K
        + ") SELECT count(*) FROM exact e JOIN " + NEIGHBORS + " n ON n.query_id = e.query_id "
        + "AND n.neighbor_id = e.doc_id").first().getLong(0);
    return Main.rounded((double) found / (RECALL_QUERIES * K));
  }

  private static Map<String, Object> withoutCommand(Map<String, Object> summary) {
    Map<String, Object> m = new LinkedHashMap<>(summary);
    m.remove("command");
    return m;
  }

  private static void step(PrintStream err, int step, String format, Object... args) {
    err.printf(Locale.ROOT, "%s quickstart [%d/5]: %s%n", Main.name(), step,
        String.format(Locale.ROOT, format, args));
  }

  private static void nextSteps(PrintStream err, Object warehouse) {
    String cli = Main.name() + (warehouse == null ? "" : " --warehouse " + warehouse);
    err.println();
    err.println("Done. The tables stay in " + (warehouse == null ? "the catalog 'lake'"
        : warehouse) + "; try:");
    err.println("  " + cli + " status --table " + DOCS);
    err.println("  " + cli + " sql \"SELECT * FROM " + NEIGHBORS
        + " WHERE query_id = 7 ORDER BY rank\"");
    err.println("  " + cli + " sql \"DELETE FROM " + DOCS + " WHERE topic = 7\"   "
        + "# then status: masked, not rebuilt");
    err.println("  " + cli + " join --queries " + QUERIES + " --query-column embedding "
        + "--query-id query_id --table " + DOCS + " --column embedding --k 5 --output "
        + NAMESPACE + ".top5");
    err.println();
  }
}
