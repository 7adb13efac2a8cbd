package io.lakeann.spark.cli;

import io.lakeann.core.util.Json;
import java.io.PrintStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code sql "STATEMENT"}: runs one Spark SQL statement and prints its rows as JSON lines, one
 * object per row with the column names as keys, streamed partition by partition (the driver never
 * holds the whole result). Immutable.
 */
final class SqlCommand implements Command {
  static final String NAME = "sql";
  static final Set<String> FLAGS = Set.of();
  static final String USAGE = String.join("\n",
      "usage: lakeann [OPTIONS] sql \"STATEMENT\"",
      "",
      "Runs one Spark SQL statement (DDL, INSERT, SELECT, CALL, ...) and prints each result row",
      "as one JSON object, column names as keys, then the summary line:",
      "  {\"command\":\"sql\",\"rows\":N,\"seconds\":S}",
      "Arrays are JSON lists, structs and maps objects, binary base64, dates and timestamps",
      "ISO-8601 text. Quote the statement as one argument.",
      "",
      "example",
      "  lakeann --warehouse wh sql \"CREATE TABLE lake.db.docs (doc_id BIGINT, embedding "
          + "ARRAY<FLOAT>) USING iceberg\"",
      "  lakeann --warehouse wh sql \"SELECT doc_id, size(embedding) AS dim FROM lake.db.docs "
          + "LIMIT 5\"");

  private final String statement;

  SqlCommand(String statement) {
    this.statement = statement;
  }

  static SqlCommand parse(Flags flags) {
    if (flags.positional().isEmpty()) {
      throw new UsageException("no statement given; quote it as one argument: sql \"SELECT 1\"");
    }
    if (flags.positional().size() > 1) {
      throw new UsageException("takes one statement, got %d arguments (%s ...); quote the whole "
          + "statement as one argument: sql \"SELECT ...\"", flags.positional().size(),
          flags.positional().get(0));
    }
    String statement = flags.positional().get(0);
    if (statement.isBlank()) {
      throw new UsageException("the statement is empty; give one, e.g. sql \"SELECT 1\"");
    }
    return new SqlCommand(statement);
  }

  @Override
  public Map<String, Object> run(SparkSession spark, PrintStream out, PrintStream err) {
    Dataset<Row> result = spark.sql(statement);
    String[] names = JsonValues.uniqueNames(result.columns());
    long rows = 0;
    if (names.length > 0) {
      Iterator<Row> it = result.toLocalIterator();
      while (it.hasNext()) {
        out.println(Json.write(JsonValues.row(it.next(), names)));
        rows++;
      }
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("command", NAME);
    summary.put("rows", rows);
    return summary;
  }
}
