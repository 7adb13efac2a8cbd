package io.lakeann.spark.cli;

import io.lakeann.core.LakeAnnException;
import io.lakeann.core.util.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code sql "STATEMENT"} or {@code sql -f FILE.sql}: runs one Spark SQL statement, or every
 * statement of a file in order (see {@link SqlScript}), and prints each statement's rows as JSON
 * lines, one object per row with the column names as keys, streamed partition by partition (the
 * driver never holds a whole result). A statement that fails stops the file. Immutable.
 */
final class SqlCommand implements Command {
  static final String NAME = "sql";
  static final Set<String> FLAGS = Set.of("f");
  static final String USAGE = String.join("\n",
      "usage: lakeann [OPTIONS] sql \"STATEMENT\"",
      "       lakeann [OPTIONS] sql -f FILE.sql",
      "",
      "Runs one Spark SQL statement (DDL, INSERT, SELECT, CALL, ...), or each statement of",
      "FILE.sql in order (separated by ';'; -- and /* */ comments allowed; a ';' inside quotes",
      "is text), and prints each result row as one JSON object, column names as keys, then the",
      "summary line:",
      "  {\"command\":\"sql\",\"rows\":N,\"seconds\":S}",
      "  {\"command\":\"sql\",\"file\":...,\"statements\":N,\"rows\":N,\"seconds\":S}   (-f)",
      "Arrays are JSON lists, structs and maps objects, binary base64, dates and timestamps",
      "ISO-8601 text. Quote the statement as one argument. The first statement that fails",
      "stops a file: its error names the statement's number and first line.",
      "The sessions bin/lakeann starts have the lakeann catalog, so CALL lakeann.system.NAME(...)",
      "works (see docs/sql.md).",
      "",
      "example",
      "  lakeann --warehouse wh sql \"CREATE TABLE lake.db.docs (doc_id BIGINT, embedding "
          + "ARRAY<FLOAT>) USING iceberg\"",
      "  lakeann --warehouse wh sql \"SELECT doc_id, size(embedding) AS dim FROM lake.db.docs "
          + "LIMIT 5\"",
      "  lakeann --warehouse wh sql -f index.sql");

  private final String file;
  private final List<String> statements;

  SqlCommand(String file, List<String> statements) {
    this.file = file;
    this.statements = List.copyOf(statements);
  }

  static SqlCommand parse(Flags flags) {
    String file = flags.optional("f");
    if (file != null) {
      if (!flags.positional().isEmpty()) {
        throw new UsageException("give a statement or -f FILE, not both (got -f %s and '%s')",
            file, flags.positional().get(0));
      }
      List<String> statements = SqlScript.split(read(file));
      if (statements.isEmpty()) {
        throw new UsageException("-f %s holds no statement; write statements separated by ';'",
            file);
      }
      return new SqlCommand(file, statements);
    }
    if (flags.positional().isEmpty()) {
      throw new UsageException("no statement given; quote it as one argument: sql \"SELECT 1\", "
          + "or run a file: sql -f FILE.sql");
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
    return new SqlCommand(null, List.of(statement));
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UsageException("-f %s cannot be read (%s); give a readable SQL file", file,
          e.getMessage());
    }
  }

  @Override
  public Map<String, Object> run(SparkSession spark, PrintStream out, PrintStream err) {
    long rows = 0;
    for (int s = 0; s < statements.size(); s++) {
      try {
        rows += run(spark, statements.get(s), out);
      } catch (Exception e) {
        if (file == null) {
          throw e;
        }
        throw new StatementException(String.format(Locale.ROOT, "%s statement %d of %d (%s): %s",
            file, s + 1, statements.size(), Main.firstLine(statements.get(s)),
            Main.describe(e, false)), e);
      }
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("command", NAME);
    if (file != null) {
      summary.put("file", file);
      summary.put("statements", statements.size());
    }
    summary.put("rows", rows);
    return summary;
  }

  private static long run(SparkSession spark, String statement, PrintStream out) {
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
    return rows;
  }

  /** A statement of a file failed: the message names the file, the statement and the error. */
  static final class StatementException extends LakeAnnException {
    private static final long serialVersionUID = 1L;

    StatementException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
