package io.lakeann.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.spark.SparkTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The subcommands run in-process on a real local[2] Spark with the embedded Iceberg catalog
 * {@code lake} on a temporary warehouse, in one session the CLI's own builder started: what each
 * prints, what it writes, and how it refuses bad input.
 */
class CliTest {
  /** A table with vectors, an int and a string column, and no index; never modified. */
  static final String BASE = "lake.fixed.docs";
  /** Queries (qid int, tag string, qvec array<float>) for the refusals. */
  static final String QUERIES = "lake.fixed.queries";

  @TempDir
  static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void start() {
    System.setProperty("lakeann.shard.dir", dir.resolve("shards").toString());
    CommandLine line = CommandLine.parse(new String[] {"--master", "local[2]", "--conf",
        "spark.sql.shuffle.partitions=4"});
    spark = CliSession.start(line, dir.resolve("wh").toString(), Map.of(), "lakeann-cli-test");
    createDocs(BASE, 0, 600);
    sql("CREATE TABLE " + QUERIES + " USING iceberg AS SELECT CAST(doc_id AS INT) AS qid, "
        + "CAST(topic AS STRING) AS tag, embedding AS qvec FROM " + BASE + " WHERE doc_id < 20");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static Ran run(String... args) {
    return Ran.main(spark, args);
  }

  /** Runs a statement through the {@code sql} subcommand, which must succeed. */
  static Ran sql(String statement) {
    Ran ran = run("sql", statement);
    assertEquals(0, ran.code(), ran.toString());
    return ran;
  }

  /** An Iceberg table {@code (doc_id bigint, topic int, embedding array<float>)}, clustered. */
  static void createDocs(String table, long first, long rows) {
    sql("CREATE NAMESPACE IF NOT EXISTS " + table.substring(0, table.lastIndexOf('.')));
    sql("CREATE TABLE " + table + " (doc_id BIGINT NOT NULL, topic INT, embedding ARRAY<FLOAT>) "
        + "USING iceberg TBLPROPERTIES ('format-version'='2', "
        + "'write.delete.mode'='merge-on-read')");
    append(table, first, rows);
  }

  static void append(String table, long first, long rows) {
    sql("INSERT INTO " + table + " "
        + QuickstartCommand.clusteredVectors("doc_id", first, rows, 2, 31));
  }

  static Map<String, Object> build(String table) {
    Ran ran = run("build", "--table", table, "--column", "embedding", "--id", "doc_id",
        "--target-rows", "500");
    assertEquals(0, ran.code(), ran.toString());
    assertEquals(1, ran.lines().size(), "only the summary: " + ran);
    return ran.summary();
  }

  @Test
  void sqlPrintsEachRowAsAJsonObjectThenOneSummaryLine() {
    Ran created = sql("CREATE TABLE lake.fixed.things (id BIGINT, name STRING, v ARRAY<FLOAT>, "
        + "m MAP<STRING, INT>, s STRUCT<a: INT, b: STRING>, d DECIMAL(10, 2), raw BINARY, "
        + "day DATE) USING iceberg");
    assertEquals(1, created.lines().size(), created.toString());
    assertEquals("sql", created.summary().get("command"));
    assertEquals(0L, created.summary().get("rows"));
    assertTrue(created.summary().get("seconds") instanceof Double);

    sql("INSERT INTO lake.fixed.things VALUES (1, 'one', array(0.5, 1.5), map('x', 1), "
        + "named_struct('a', 7, 'b', 'q'), 12.50, X'CAFE', DATE'2024-01-02'), "
        + "(2, NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
    Ran selected = sql("SELECT * FROM lake.fixed.things ORDER BY id");
    List<Map<String, Object>> rows = selected.json();
    assertEquals(3, rows.size(), selected.toString());
    Map<String, Object> first = rows.get(0);
    assertEquals(List.of("id", "name", "v", "m", "s", "d", "raw", "day"),
        List.copyOf(first.keySet()));
    assertEquals(1L, first.get("id"));
    assertEquals("one", first.get("name"));
    assertEquals(List.of(0.5, 1.5), first.get("v"));
    assertEquals(Map.of("x", 1L), first.get("m"));
    assertEquals(Map.of("a", 7L, "b", "q"), first.get("s"));
    assertEquals(12.5, first.get("d"));
    assertEquals("yv4=", first.get("raw"));
    assertEquals("2024-01-02", first.get("day"));
    Map<String, Object> second = rows.get(1);
    assertTrue(second.containsKey("name") && second.get("name") == null, "nulls are kept");
    assertEquals(Map.of("command", "sql", "rows", 2L), withoutSeconds(rows.get(2)));

    Ran repeated = sql("SELECT 1 AS x, 2 AS x");
    assertEquals(Map.of("x", 1L, "x_2", 2L), repeated.json().get(0));
  }

  @Test
  void sqlFileRunsEveryStatementInOrderAndStopsAtTheFirstThatFails() throws Exception {
    Path file = dir.resolve("script.sql");
    Files.writeString(file, String.join("\n",
        "-- a file of three statements",
        "CREATE TABLE lake.fixed.notes (id BIGINT, text STRING) USING iceberg;",
        "INSERT INTO lake.fixed.notes VALUES (1, 'a;b'), /* two rows */ (2, '--c');",
        "SELECT id, text FROM lake.fixed.notes ORDER BY id;"));
    Ran ran = run("sql", "-f", file.toString());
    assertEquals(0, ran.code(), ran.toString());
    List<Map<String, Object>> lines = ran.json();
    assertEquals(List.of(Map.of("id", 1L, "text", "a;b"), Map.of("id", 2L, "text", "--c")),
        lines.subList(0, 2));
    assertEquals(Map.of("command", "sql", "file", file.toString(), "statements", 3L, "rows", 2L),
        withoutSeconds(lines.get(2)));

    Path bad = dir.resolve("bad.sql");
    Files.writeString(bad, "SELECT 1;\nSELEC 2;\nSELECT 3");
    Ran failed = run("sql", "-f", bad.toString());
    assertEquals(1, failed.code(), failed.toString());
    assertTrue(failed.err().contains("statement 2 of 3 (SELEC 2)"), failed.toString());
    assertEquals(List.of(Map.of("1", 1L)), failed.json(), "the first statement's row only");

    Ran missing = run("sql", "-f", dir.resolve("nope.sql").toString());
    assertEquals(2, missing.code(), missing.toString());
    assertTrue(missing.err().contains("nope.sql cannot be read"), missing.toString());
  }

  @Test
  void buildPublishesABundleAndRebuildingTheSameSnapshotDoesNothing() {
    String table = "lake.build.docs";
    createDocs(table, 0, 1200);
    Map<String, Object> built = build(table);
    assertEquals("build", built.get("command"));
    assertEquals(table, built.get("table"));
    assertEquals("embedding", built.get("column"));
    assertEquals("doc_id", built.get("id_column"));
    assertEquals(false, built.get("already_registered"));
    assertEquals(1200L, built.get("rows"));
    assertEquals(1200L, built.get("rows_read"));
    assertEquals(0L, built.get("skipped_null_vectors"));
    assertEquals(2L, built.get("shards_built"), "two files of 600 rows, 500 per shard: " + built);
    assertEquals(0L, built.get("shards_reused"));
    assertEquals("l2", built.get("metric"));
    assertEquals((long) QuickstartCommand.DIM, built.get("dimension"));
    assertTrue(((String) built.get("witness")).matches("[0-9a-f]{64}"), built.toString());
    assertTrue(Files.exists(Path.of((String) built.get("statistics_file"))), built.toString());
    assertEquals(currentSnapshot(table), built.get("snapshot_id"));

    Map<String, Object> again = build(table);
    assertEquals(true, again.get("already_registered"));
    assertEquals(0L, again.get("shards_built"));
    assertEquals(built.get("witness"), again.get("witness"));
    assertEquals(built.get("snapshot_id"), again.get("snapshot_id"));
  }

  @Test
  void joinWritesKNeighboursPerQueryWithOnlyTheQueryIdColumn() {
    String table = "lake.join.docs";
    createDocs(table, 0, 1000);
    Map<String, Object> built = build(table);
    sql("CREATE TABLE lake.join.questions USING iceberg AS "
        + QuickstartCommand.clusteredVectors("question", 0, 30, 1, 37));

    Ran joined = run("join", "--queries", "lake.join.questions", "--query-column", "embedding",
        "--query-id", "question", "--table", table, "--column", "embedding", "--k", "5",
        "--nprobe", "4", "--output", "lake.join.answers");
    assertEquals(0, joined.code(), joined.toString());
    assertEquals(1, joined.lines().size(), joined.toString());
    Map<String, Object> summary = joined.summary();
    assertEquals("join", summary.get("command"));
    assertEquals(150L, summary.get("output_rows"));
    assertEquals(built.get("snapshot_id"), summary.get("snapshot_id"));
    assertEquals(built.get("snapshot_id"), summary.get("bundle_snapshot_id"));
    assertEquals(2L, summary.get("shards"));
    assertEquals(1000L, summary.get("indexed_rows"));
    assertEquals(0L, summary.get("delta_rows"));
    for (String field : List.of("delta_groups", "queries", "skipped_null_queries",
        "query_blocks", "tasks", "loads", "cache_hits", "masked_rows", "search_seconds")) {
      assertTrue(summary.containsKey(field), field + " in " + summary);
    }

    assertEquals(List.of("question", "neighbor_id", "distance", "rank", "snapshot_id"),
        List.of(spark.table("lake.join.answers").columns()));
    Map<Long, List<Integer>> ranks = new HashMap<>();
    for (Row row : spark.sql("SELECT question, rank FROM lake.join.answers ORDER BY question, "
        + "rank").collectAsList()) {
      ranks.computeIfAbsent(row.getLong(0), q -> new ArrayList<>()).add(row.getInt(1));
    }
    assertEquals(30, ranks.size());
    ranks.values().forEach(r -> assertEquals(List.of(1, 2, 3, 4, 5), r));
    Row nearest = spark.sql("SELECT count(*) FROM lake.join.answers a JOIN " + table + " d ON "
        + "d.doc_id = a.neighbor_id WHERE a.rank = 1 AND d.topic = a.question % "
        + QuickstartCommand.TOPICS).first();
    assertEquals(30L, nearest.getLong(0), "every query's nearest document is in its cluster");

    Ran replaced = run("join", "--queries", "lake.join.questions", "--query-column",
        "embedding", "--query-id", "question", "--table", table, "--column", "embedding", "--k",
        "2", "--output", "lake.join.answers");
    assertEquals(0, replaced.code(), replaced.toString());
    assertEquals(60L, spark.table("lake.join.answers").count(), "the output is replaced");

    Ran filtered = run("join", "--queries", "lake.join.questions", "--query-column",
        "embedding", "--query-id", "question", "--table", table, "--column", "embedding", "--k",
        "3", "--filter", "topic = 3", "--consistency", "frozen:" + built.get("snapshot_id"),
        "--output", "lake.join.topic3");
    assertEquals(0, filtered.code(), filtered.toString());
    assertEquals("topic = 3", filtered.summary().get("filter"));
    assertEquals(90L, spark.sql("SELECT count(*) FROM lake.join.topic3 a JOIN " + table
        + " d ON d.doc_id = a.neighbor_id WHERE d.topic = 3").first().getLong(0),
        "only rows matching the filter");

    Ran badFilter = run("join", "--queries", "lake.join.questions", "--query-column",
        "embedding", "--query-id", "question", "--table", table, "--column", "embedding", "--k",
        "3", "--filter", "colour = 'red'", "--output", "lake.join.red");
    assertEquals(1, badFilter.code(), badFilter.toString());
    assertTrue(badFilter.err().contains("colour"), badFilter.err());
    assertEquals(1, badFilter.err().strip().split("\n").length, badFilter.err());
  }

  @Test
  void statusShowsTheBundlesWhatServesTheCurrentSnapshotAndTheShardCache() {
    String table = "lake.status.docs";
    createDocs(table, 0, 800);
    Map<String, Object> built = build(table);
    append(table, 10_000, 50);
    sql("DELETE FROM " + table + " WHERE doc_id < 10");

    Ran ran = run("status", "--table", table);
    assertEquals(0, ran.code(), ran.toString());
    assertEquals(1, ran.lines().size(), ran.toString());
    Map<String, Object> status = ran.summary();
    assertEquals("status", status.get("command"));
    long current = currentSnapshot(table);
    assertEquals(current, status.get("current_snapshot_id"));
    List<Object> columns = Ran.list(status.get("columns"));
    assertEquals(1, columns.size(), status.toString());
    Map<String, Object> column = Ran.object(columns.get(0));
    assertEquals("embedding", column.get("column"));
    assertEquals("doc_id", column.get("id_column"));
    List<Object> bundles = Ran.list(column.get("bundles"));
    assertEquals(1, bundles.size());
    Map<String, Object> bundle = Ran.object(bundles.get(0));
    assertEquals(built.get("snapshot_id"), bundle.get("snapshot_id"));
    assertEquals(built.get("witness"), bundle.get("witness"));
    assertEquals(built.get("statistics_file"), bundle.get("statistics_file"));
    assertEquals(800L, bundle.get("rows"));
    assertEquals(built.get("shards"), bundle.get("shards"));

    Map<String, Object> serving = Ran.object(column.get("current"));
    assertEquals(current, serving.get("snapshot_id"));
    assertNotEquals(built.get("snapshot_id"), current);
    assertEquals(true, serving.get("served"));
    assertEquals(false, serving.get("own_bundle"));
    assertEquals(built.get("snapshot_id"), serving.get("bundle_snapshot_id"));
    assertEquals(50L, serving.get("delta_rows"), "rows appended since the build");
    assertEquals(10L, serving.get("masked_rows"), "rows deleted since the build");
    assertEquals(790L, serving.get("indexed_rows"));

    Map<String, Object> cache = Ran.object(status.get("shard_cache"));
    for (String field : List.of("budget_bytes", "bytes", "entries", "hits", "misses", "loads",
        "evictions")) {
      assertTrue(cache.containsKey(field), field + " in " + cache);
    }

    build(table);
    Map<String, Object> rebuilt = Ran.object(Ran.object(Ran.list(run("status", "--table", table,
        "--column", "embedding").summary().get("columns")).get(0)).get("current"));
    assertEquals(true, rebuilt.get("own_bundle"));
    assertEquals(0L, rebuilt.get("delta_rows"));
  }

  @Test
  void statusOfAColumnWithoutAnIndexSaysHowToBuildOne() {
    Ran ran = run("status", "--table", BASE, "--column", "embedding");
    assertEquals(0, ran.code(), ran.toString());
    Map<String, Object> column = Ran.object(Ran.list(ran.summary().get("columns")).get(0));
    assertEquals(List.of(), column.get("bundles"));
    Map<String, Object> current = Ran.object(column.get("current"));
    assertEquals(false, current.get("served"));
    assertTrue(((String) current.get("reason")).contains("build --table " + BASE), ran.out());

    Ran all = run("status", "--table", BASE);
    assertEquals(List.of(), all.summary().get("columns"), "no indexed column: " + all);
  }

  static Stream<Arguments> badInput() {
    String[] join = {"join", "--queries", QUERIES, "--query-column", "qvec", "--query-id", "qid",
        "--table", BASE, "--column", "embedding", "--output", "lake.fixed.out"};
    return Stream.of(
        Arguments.of(new String[] {"frobnicate"}, 2, List.of("frobnicate", "build", "join")),
        Arguments.of(new String[] {}, 2, List.of("no subcommand")),
        Arguments.of(new String[] {"build", "--table", BASE, "--column", "embedding"}, 2,
            List.of("--id is required")),
        Arguments.of(new String[] {"build", "--table", BASE, "--column", "embedding", "--id",
            "doc_id", "--colour", "red"}, 2, List.of("--colour", "--target-rows")),
        Arguments.of(new String[] {"build", "--table", BASE, "--column", "embedding", "--id",
            "doc_id", "--metric", "manhattan"}, 2, List.of("--metric", "manhattan", "cosine")),
        Arguments.of(new String[] {"build", "--table", BASE, "--column", "embedding", "--id",
            "doc_id", "--target-rows", "lots"}, 2, List.of("--target-rows", "lots")),
        Arguments.of(plus(join, "--k", "0"), 2, List.of("--k 0", ">= 1")),
        Arguments.of(plus(join, "--k", "-3"), 2, List.of("--k -3")),
        Arguments.of(plus(join, "--k", "5", "--consistency", "soon"), 2,
            List.of("--consistency", "soon", "eventual:SECONDS")),
        Arguments.of(new String[] {"sql"}, 2, List.of("no statement")),
        Arguments.of(new String[] {"--master", "local[1]", "sql", "SELECT 1"}, 2,
            List.of("--master")),
        Arguments.of(new String[] {"build", "--table", "lake.fixed.missing", "--column",
            "embedding", "--id", "doc_id"}, 1, List.of("lake.fixed.missing", "does not exist")),
        Arguments.of(new String[] {"build", "--table", "elsewhere.db.docs", "--column",
            "embedding", "--id", "doc_id"}, 1, List.of("elsewhere", "--warehouse")),
        Arguments.of(new String[] {"build", "--table", BASE, "--column", "vec", "--id",
            "doc_id"}, 1, List.of("'vec'", "embedding")),
        Arguments.of(new String[] {"build", "--table", BASE, "--column", "topic", "--id",
            "doc_id"}, 1, List.of("'topic'", "int", "list<float>")),
        Arguments.of(plus(join, "--k", "5"), 1, List.of("No lakeann index", BASE)),
        Arguments.of(new String[] {"join", "--queries", "lake.fixed.nothing", "--query-column",
            "qvec", "--query-id", "qid", "--table", BASE, "--column", "embedding", "--k", "5",
            "--output", "lake.fixed.out"}, 1, List.of("lake.fixed.nothing")),
        Arguments.of(new String[] {"join", "--queries", QUERIES, "--query-column", "tag",
            "--query-id", "qid", "--table", BASE, "--column", "embedding", "--k", "5",
            "--output", "lake.fixed.out"}, 1, List.of("'tag'", "string", "array<float>")),
        Arguments.of(new String[] {"join", "--queries", QUERIES, "--query-column", "qvec",
            "--query-id", "id", "--table", BASE, "--column", "embedding", "--k", "5",
            "--output", "lake.fixed.out"}, 1, List.of("'id'", "--query-id", "qid")),
        Arguments.of(new String[] {"status", "--table", BASE, "--column", "tag"}, 1,
            List.of("'tag'")),
        Arguments.of(new String[] {"sql", "SELEC 1"}, 1, List.of("SELEC")));
  }

  @ParameterizedTest
  @MethodSource("badInput")
  void badInputIsRefusedOnOneLineNamingTheThingWithoutAStackTrace(String[] args, int code,
      List<String> named) {
    Ran ran = run(args);
    assertEquals(code, ran.code(), ran.toString());
    assertEquals("", ran.out(), "nothing on stdout");
    assertEquals(1, ran.err().strip().split("\n").length, "one line: " + ran.err());
    for (String thing : named) {
      assertTrue(ran.err().contains(thing), "names " + thing + ": " + ran.err());
    }
    assertFalse(ran.err().contains("\tat "), "no stack trace: " + ran.err());
  }

  @Test
  void verboseAddsTheStackTrace() {
    Ran ran = run("--verbose", "build", "--table", "lake.fixed.missing", "--column", "embedding",
        "--id", "doc_id");
    assertEquals(1, ran.code(), ran.toString());
    assertTrue(ran.err().contains("lake.fixed.missing"), ran.err());
    assertTrue(ran.err().contains("\tat io.lakeann."), ran.err());
  }

  @Test
  void helpDescribesTheToolAndEverySubcommandWithoutSpark() {
    Ran help = Ran.main(null, "--help");
    assertEquals(0, help.code(), help.toString());
    for (String subcommand : Main.subcommands()) {
      assertTrue(help.out().contains(subcommand), subcommand + " in " + help.out());
      Ran own = Ran.main(null, subcommand, "--help");
      assertEquals(0, own.code(), own.toString());
      assertTrue(own.out().startsWith("usage: lakeann"), own.out());
      assertTrue(own.out().contains(subcommand), own.out());
    }
    assertTrue(Ran.main(null, "join", "--help").out().contains("--consistency"));
  }

  static long currentSnapshot(String table) {
    return SparkTables.load(spark, table).currentSnapshot().snapshotId();
  }

  private static Map<String, Object> withoutSeconds(Map<String, Object> summary) {
    Map<String, Object> m = new HashMap<>(summary);
    m.remove("seconds");
    return m;
  }

  private static String[] plus(String[] args, String... more) {
    String[] out = new String[args.length + more.length];
    System.arraycopy(args, 0, out, 0, args.length);
    System.arraycopy(more, 0, out, args.length, more.length);
    return out;
  }
}
