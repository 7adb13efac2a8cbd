package io.lakeann.spark.cli;

import io.lakeann.core.InvalidRequestException;
import io.lakeann.iceberg.Consistency;
import io.lakeann.iceberg.SearchParams;
import io.lakeann.spark.AnnJoin;
import io.lakeann.spark.JoinStats;
import io.lakeann.spark.TableJoin;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.SparkSession;

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
      "  \"masked_rows\":...,\"damaged_shards\":...,\"repeated_ids\":...,\"search_seconds\":...,",
      "  \"output_rows\":...,\"seconds\":...}",
      "",
      "example",
      "  lakeann --warehouse wh join --queries lake.db.questions --query-column qvec "
          + "--query-id qid \\",
      "    --table lake.db.docs --column embedding --k 10 --output lake.db.answers");

  /** A request's component names as this command's flags: query_id as --query-id. */
  static final UnaryOperator<String> FLAG_NAMES = name -> "--" + name.replace('_', '-');

  private final TableJoin request;

  JoinCommand(TableJoin request) {
    this.request = request;
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
    TableJoin request = new TableJoin(queries, queryColumn, queryId, table, column, kValue,
        recall, nprobe, epsilon, consistency, flags.optional("filter"), output);
    try {
      request.check(FLAG_NAMES);
    } catch (InvalidRequestException e) {
      throw new UsageException("%s", e.getMessage());
    }
    return new JoinCommand(request);
  }

  private static double recall(String text) {
    try {
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("--recall '%s' is not a number; give a fraction in (0, 1], e.g. "
          + "--recall 0.95", text);
    }
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
    CliTables.checkCatalog(spark, request.table(), "--table");
    CliTables.checkCatalog(spark, request.output(), "--output");
    CliTables.checkCatalog(spark, request.queries(), "--queries");
    TableJoin.Result result = request.run(spark, FLAG_NAMES);
    return summary(result.stats(), result.outputRows());
  }

  private Map<String, Object> summary(JoinStats s, long written) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", NAME);
    m.put("query_table", request.queries());
    m.put("table", request.table());
    m.put("column", request.column());
    m.put("output", request.output());
    m.put("k", request.k());
    m.put("consistency", request.consistency().toString());
    if (request.filter() != null) {
      m.put("filter", request.filter());
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
    m.put("view_loads", s.viewLoads());
    m.put("view_hits", s.viewHits());
    m.put("delta_loads", s.deltaLoads());
    m.put("delta_hits", s.deltaHits());
    m.put("indexed_rows", s.indexedRows());
    m.put("delta_rows", s.deltaRows());
    m.put("masked_rows", s.maskedRows());
    m.put("damaged_shards", s.damagedShards());
    m.put("repeated_ids", s.repeatedIds());
    m.put("search_seconds", Main.rounded(s.seconds()));
    m.put("output_rows", written);
    return m;
  }
}
