package io.lakeann.spark;

import static org.apache.spark.sql.functions.col;

import io.lakeann.core.InvalidRequestException;
import io.lakeann.iceberg.Consistency;
import io.lakeann.iceberg.UnknownColumnException;
import io.lakeann.iceberg.UnknownTableException;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.TableAlreadyExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link AnnJoin} of a query table against an indexed column, written to an Iceberg table
 * (created, or replaced) with one row per (query, neighbour): the query id column,
 * {@code neighbor_id}, {@code distance}, {@code rank} and {@code snapshot_id}; the query vectors
 * are not copied. What the command line's {@code join} and SQL's {@code ann_join} procedure both
 * run. Immutable; {@link #run} does the work.
 *
 * @param queries the table or view holding the queries
 * @param queryColumn its vector column
 * @param queryId its id column, copied to the output
 * @param table the indexed Iceberg table
 * @param column its indexed vector column
 * @param k neighbours per query
 * @param recall the recall@k to reach, in (0, 1]; NaN for the default
 *     ({@value io.lakeann.iceberg.SearchParams#DEFAULT_RECALL})
 * @param nprobe IVF lists probed per shard, overriding the recall target; 0 for none
 * @param epsilon the RaBitQ error-bound multiplier, NaN for the index's
 * @param consistency which snapshot to search
 * @param filter a SQL predicate on {@code table}, or null
 * @param output the Iceberg table to write
 */
public record TableJoin(String queries, String queryColumn, String queryId, String table,
    String column, int k, double recall, int nprobe, float epsilon, Consistency consistency,
    String filter, String output) {
  private static final Logger LOG = LoggerFactory.getLogger(TableJoin.class);
  /** The columns the join adds; a query id column must not have one of these names. */
  public static final List<String> RESULT_COLUMNS = List.of("neighbor_id", "distance", "rank",
      "snapshot_id");

  /**
   * What the join did and how many rows the output table holds.
   *
   * @param stats the join's statistics
   * @param outputRows rows in {@code output} after the write
   */
  public record Result(JoinStats stats, long outputRows) {}

  /**
   * Refuses requests that cannot work, before Spark does anything: {@code names} turns a
   * component name ({@code "query_id"}, {@code "output"}, ...) into what the caller calls it
   * ({@code --query-id} on the command line, {@code query_id} in SQL), for the messages.
   *
   * @throws InvalidRequestException naming the argument, the value and the fix
   */
  public void check(UnaryOperator<String> names) {
    InvalidRequestException.check(k > 0, "%s %s is out of range; give a number >= 1",
        names.apply("k"), k);
    InvalidRequestException.check(Double.isNaN(recall) || recall > 0 && recall <= 1, "%s %s is "
        + "out of range; give a fraction in (0, 1], e.g. 0.95", names.apply("recall"), recall);
    InvalidRequestException.check(nprobe >= 0, "%s %s is out of range; give a number >= 0 "
        + "(0: each shard's default)", names.apply("nprobe"), nprobe);
    InvalidRequestException.check(filter == null || !filter.isBlank(), "%s is empty; give a SQL "
        + "predicate, e.g. \"lang = 'en'\", or leave it out", names.apply("filter"));
    InvalidRequestException.check(!queryId.equalsIgnoreCase(queryColumn), "%s and %s both name "
        + "'%s'; the id column must be another column of %s", names.apply("query_id"),
        names.apply("query_column"), queryId, queries);
    for (String name : RESULT_COLUMNS) {
      InvalidRequestException.check(!queryId.equalsIgnoreCase(name), "%s '%s' clashes with a "
          + "column the join writes (%s); select it under another name in a view and join that",
          names.apply("query_id"), queryId, String.join(", ", RESULT_COLUMNS));
    }
    for (String input : List.of("queries", "table")) {
      InvalidRequestException.check(!output.equalsIgnoreCase(input.equals("queries") ? queries
          : table), "%s %s is also %s; write the neighbours to another table",
          names.apply("output"), output, names.apply(input));
    }
  }

  /** Runs the join and writes {@link #output}; {@code names} as in {@link #check}. */
  public Result run(SparkSession spark, UnaryOperator<String> names) {
    check(names);
    Dataset<Row> rows = readable(spark, queries, names.apply("queries"));
    String id = column(rows, queries, queryId, names.apply("query_id"));
    String vectors = column(rows, queries, queryColumn, names.apply("query_column"));
    AnnJoin join = LakeAnn.annJoin(rows.select(col(quoted(id)), col(quoted(vectors))), vectors)
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
    JoinResult result = join.run();
    LOG.info("lakeann join: writing {}", output);
    try {
      write(spark, result.rows().drop(vectors), output);
    } finally {
      result.unpersist();
    }
    return new Result(result.stats(), spark.table(output).count());
  }

  /** Any table or view Spark reads as {@code name}, given as {@code label}. */
  public static Dataset<Row> readable(SparkSession spark, String name, String label) {
    try {
      return spark.table(name);
    } catch (Exception e) {
      if (e instanceof AnalysisException) {
        throw new UnknownTableException(String.format(Locale.ROOT,
            "Table %s (%s) cannot be read: %s; check the name", name, label,
            firstLine(e.getMessage())), e);
      }
      throw e;
    }
  }

  /** The column of {@code data} named {@code name} (case-insensitively), given as {@code label}. */
  public static String column(Dataset<Row> data, String table, String name, String label) {
    for (String column : data.columns()) {
      if (column.equalsIgnoreCase(name)) {
        return column;
      }
    }
    throw new UnknownColumnException(String.format(Locale.ROOT,
        "Table %s has no column '%s' (%s); its columns are: %s", table, name, label,
        String.join(", ", data.columns())));
  }

  /** {@code name} quoted for Spark's column parser, so dots and spaces stay part of it. */
  public static String quoted(String name) {
    return "`" + name.replace("`", "``") + "`";
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

  private static String firstLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    String trimmed = message.strip();
    int end = trimmed.indexOf('\n');
    return (end < 0 ? trimmed : trimmed.substring(0, end)).strip();
  }
}
