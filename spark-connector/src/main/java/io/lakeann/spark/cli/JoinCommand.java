package io.lakeann.spark.cli;

import static org.apache.spark.sql.functions.col;

import io.lakeann.iceberg.Consistency;
import io.lakeann.iceberg.SearchParams;
import io.lakeann.spark.AnnJoin;
import io.lakeann.spark.JoinStats;
import io.lakeann.spark.LakeAnn;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.TableAlreadyExistsException;

/**
 * {@code join}: the ANN join of a query table against an indexed Iceberg column with
 * {@link AnnJoin}, written to an Iceberg table (created or replaced) with one row per (query,
 * neighbour): the query id column, {@code neighbor_id}, {@code distance}, {@code rank} and
 * {@code snapshot_id}. The query vectors are not copied. Immutable.
 */
final class JoinCommand implements Command {
  static final String NAME = "join";
  static final Set<String> FLAGS = Set.of("queries", "query-column", "query-id", "table",
      "column", "k", "recall", "nprobe", "epsilon", "consistency", "filter", "output");
  /** The columns the join adds; a query id column must not have one of these names. */
  static final List<String> RESULT_COLUMNS = List.of("neighbor_id", "distance", "rank",
      "snapshot_id");
  static final String USAGE = String.join("\n",
      "usage: lakeann [OPTIONS] join --queries T --query-column C --query-id C",
      "                             --table T --column C --k K --output T",
      "                             [--recall R] [--nprobe N] [--epsilon E]",
      "                             [--consistency MODE]",
      "                             [--filter \"SQL predicate\"]",
      "",
      "For every row of the query table, the K nearest rows of the indexed vector column, written",
      "to the Iceberg table --output (created, or replaced) with the columns: the query id column,",
      "neighbor_id, distance, rank (1 = nearest) and snapshot_id. Rows added to the table since",
      "its index was built are searched exactly and deleted rows never appear.",
      "",
      "  --queries T         table or view holding the queries",
      "  --query-column C    its vector column (array<float> or array<double>)",
      "  --query-id C        its id column, copied to the output",
      "  --table T           the indexed Iceberg table (see build)",
      "  --column C          its indexed vector column",
      "  --k K               neighbours per query (> 0)",
      "  --output T          Iceberg table to write (replaced if it exists)",
      "  --recall R          recall@K to reach, in (0, 1] (default 0.95; each shard's own "
          + "calibration sets the effort)",
      "  --nprobe N          IVF lists probed per shard, overriding --recall (expert; more is "
          + "slower and more exact)",
      "  --epsilon E         RaBitQ error bound multiplier (default: the index's; larger "
          + "re-ranks more)",
      "  --consistency MODE  fresh (default: the current snapshot), eventual:SECONDS, or",
      "                      frozen:SNAPSHOT (an id, tag:NAME or branch:NAME: time travel)",
      "  --filter PREDICATE  only rows of --table matching this SQL predicate, e.g. "
          + "\"lang = 'en'\"",
      "",
      "prints {\"command\":\"join\",...,\"snapshot_id\":...,\"bundle_snapshot_id\":...,"
          + "\"shards\":...,",
      "  \"delta_groups\":...,\"queries\":...,\"skipped_null_queries\":...,\"query_blocks\":...,",
      "  \"tasks\":...,\"loads\":...,\"cache_hits\":...,\"indexed_rows\":...,\"delta_rows\":...,",
      "  \"masked_rows\":...,\"search_seconds\":...,\"output_rows\":...,\"seconds\":...}",
      "",
      "example",
      "  lakeann --warehouse wh join --queries lake.db.questions --query-column qvec "
          + "--query-id qid \\",
      "    --table lake.db.docs --column embedding --k 10 --output lake.db.answers");

  private final String queries;
  private final String queryColumn;
  private final String queryId;
  private final String table;
  private final String column;
  private final int k;
  private final double recall;
  private final int nprobe;
  private final float epsilon;
  private final Consistency consistency;
  private final String filter;
  private final String output;

  JoinCommand(String queries, String queryColumn, String queryId, String table, String column,
      int k, double recall, int nprobe, float epsilon, Consistency consistency, String filter,
      String output) {
    this.queries = queries;
    this.queryColumn = queryColumn;
    this.queryId = queryId;
    this.table = table;
    this.column = column;
    this.k = k;
    this.recall = recall;
    this.nprobe = nprobe;
    this.epsilon = epsilon;
    this.consistency = consistency;
    this.filter = filter;
    this.output = output;
  }

  static JoinCommand parse(Flags flags) {
    String queries = flags.required("queries", "the table or view holding the query vectors");
    String queryColumn = flags.required("query-column", "the queries' vector column");
    String queryId = flags.required("query-id", "the queries' id column, copied to the output");
    String table = flags.required("table", "the indexed Iceberg table, e.g. lake.db.docs");
    String column = flags.required("column", "the indexed vector column of --table");
    flags.required("k", "the number of neighbours per query, e.g. --k 10");
    String output = flags.required("output", "the Iceberg table to write the neighbours to");
    int kValue = flags.integer("k", SearchParams.DEFAULT_K, 1);
    int nprobe = flags.integer("nprobe", 0, 0);
    double recall = flags.optional("recall") == null ? Double.NaN
        : recall(flags.optional("recall"));
    float epsilon = flags.optional("epsilon") == null ? Float.NaN
        : epsilon(flags.optional("epsilon"));
    Consistency consistency = flags.optional("consistency") == null ? Consistency.fresh()
        : BuildCommand.valueOf("--consistency",
            () -> Consistency.parse(flags.optional("consistency")));
    String filter = flags.optional("filter");
    if (filter != null && filter.isBlank()) {
      throw new UsageException("--filter is empty; give a SQL predicate, e.g. --filter "
          + "\"lang = 'en'\", or leave it out");
    }
    if (queryId.equalsIgnoreCase(queryColumn)) {
      throw new UsageException("--query-id and --query-column both name '%s'; the id column "
          + "must be another column of %s", queryId, queries);
    }
    for (String name : RESULT_COLUMNS) {
      if (queryId.equalsIgnoreCase(name)) {
        throw new UsageException("--query-id '%s' clashes with a column the join writes (%s); "
            + "select it under another name in a view and join that", queryId,
            String.join(", ", RESULT_COLUMNS));
      }
    }
    for (String[] input : new String[][] {{"--queries", queries}, {"--table", table}}) {
      if (output.equalsIgnoreCase(input[1])) {
        throw new UsageException("--output %s is also %s; write the neighbours to another table",
            output, input[0]);
      }
    }
    return new JoinCommand(queries, queryColumn, queryId, table, column, kValue, recall, nprobe,
        epsilon, consistency, filter, output);
  }

  private static double recall(String text) {
    try {
      double value = Double.parseDouble(text.trim());
      if (value > 0 && value <= 1) {
        return value;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new UsageException("--recall '%s' is not a fraction in (0, 1]; e.g. --recall 0.95",
        text);
  }

  private static float epsilon(String text) {
    try {
      float value = Float.parseFloat(text.trim());
      if (value >= 0 && Float.isFinite(value)) {
        return value;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new UsageException("--epsilon '%s' is not a finite number >= 0", text);
  }

  @Override
  public Map<String, Object> run(SparkSession spark, PrintStream out, PrintStream err) {
    CliTables.checkCatalog(spark, table, "--table");
    CliTables.checkCatalog(spark, output, "--output");
    Dataset<Row> rows = CliTables.any(spark, queries, "--queries");
    String id = CliTables.column(rows, queries, queryId, "--query-id");
    String vectors = CliTables.column(rows, queries, queryColumn, "--query-column");
    AnnJoin join = LakeAnn.annJoin(rows.select(col(CliTables.quoted(id)),
            col(CliTables.quoted(vectors))), vectors)
        .against(table, column).k(k).consistency(consistency);
    if (!Double.isNaN(recall)) {
      join = join.recall(recall);
    }
    if (nprobe > 0) {
      join = join.nprobe(nprobe);
    }
    if (!Float.isNaN(epsilon)) {
      join = join.epsilon(epsilon);
    }
    if (filter != null) {
      join = join.filter(filter);
    }
    Dataset<Row> neighbours = join.run().drop(vectors);
    err.printf(Locale.ROOT, "%s join: writing %s%n", Main.name(), output);
    write(spark, neighbours, output);
    join.unpersist();
    long written = spark.table(output).count();
    return summary(join.stats(), written);
  }

  /** Writes {@code rows} to the Iceberg table {@code name}: created, or replaced if it exists. */
  private static void write(SparkSession spark, Dataset<Row> rows, String name) {
    try {
      if (!spark.catalog().tableExists(name)) {
        // A plain create spares a new table the replace path's version-hint warnings.
        rows.writeTo(name).using("iceberg").create();
        return;
      }
    } catch (TableAlreadyExistsException e) {
      // created meanwhile: replace it below
    }
    rows.writeTo(name).using("iceberg").createOrReplace();
  }

  private Map<String, Object> summary(JoinStats s, long written) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", NAME);
    m.put("query_table", queries);
    m.put("table", table);
    m.put("column", column);
    m.put("output", output);
    m.put("k", k);
    m.put("consistency", consistency.toString());
    if (filter != null) {
      m.put("filter", filter);
    }
    m.put("snapshot_id", s.snapshotId());
    m.put("bundle_snapshot_id", s.bundleSnapshotId());
    m.put("shards", s.shards());
    m.put("delta_groups", s.deltaGroups());
    m.put("queries", s.queries());
    m.put("skipped_null_queries", s.skippedNullQueries());
    m.put("query_blocks", s.queryBlocks());
    m.put("tasks", s.tasks());
    m.put("loads", s.loads());
    m.put("cache_hits", s.cacheHits());
    m.put("indexed_rows", s.indexedRows());
    m.put("delta_rows", s.deltaRows());
    m.put("masked_rows", s.maskedRows());
    m.put("search_seconds", Main.rounded(s.seconds()));
    m.put("output_rows", written);
    return m;
  }
}
