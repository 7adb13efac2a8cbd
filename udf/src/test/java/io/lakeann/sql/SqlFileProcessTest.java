package io.lakeann.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.util.Json;
import io.lakeann.spark.cli.LakeAnnProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/lakeann sql -f FILE.sql} as a real process on this module's classpath: the command
 * line configures the {@code lakeann} catalog by itself (no --conf), so a file of DDL, inserts
 * and {@code CALL lakeann.system...} statements runs from the shell, each statement's rows as
 * JSON lines, then one summary line.
 */
class SqlFileProcessTest {
  @TempDir
  Path dir;

  @BeforeAll
  static void scriptIsHere() {
    LakeAnnProcess.assumeRunnable();
  }

  @Test
  void aFileOfStatementsBuildsSearchesAndChecksAnIndex() throws Exception {
    Path file = dir.resolve("index.sql");
    Files.writeString(file, String.join("\n",
        "-- a table of 400 vectors, its index, a join, and the checks",
        "CREATE TABLE lake.db.docs (doc_id BIGINT, embedding ARRAY<FLOAT>) USING iceberg;",
        "INSERT INTO lake.db.docs SELECT id, transform(sequence(1, 8),",
        "  i -> CAST(sin(id * i) AS FLOAT)) FROM range(0, 400);",
        "/* build; the second call is a no-op; ';' in a comment is no separator */",
        "CALL lakeann.system.build_index(table => 'lake.db.docs', column => 'embedding',",
        "  id => 'doc_id', metric => 'l2');",
        "CALL lakeann.system.build_index('lake.db.docs', 'embedding', 'doc_id');",
        "CREATE TABLE lake.db.questions USING iceberg AS",
        "  SELECT doc_id AS qid, embedding AS qvec FROM lake.db.docs WHERE doc_id < 5;",
        "CALL lakeann.system.ann_join('lake.db.questions', 'qvec', 'qid', 'lake.db.docs',",
        "  'embedding', 3, 'lake.db.answers', consistency => 'fresh');",
        "SELECT qid, neighbor_id FROM lake.db.answers WHERE rank = 1 AND 'x;y' <> ''",
        "  ORDER BY qid;",
        "CALL lakeann.system.verify_index('lake.db.docs', 'embedding')"));

    LakeAnnProcess.Result run = LakeAnnProcess.run(dir, "--warehouse",
        dir.resolve("wh").toString(), "--master", "local[2]", "sql", "-f", file.toString());

    assertEquals(0, run.code(), run.toString());
    List<Map<String, Object>> lines = new ArrayList<>();
    for (String line : run.out()) {
      lines.add(object(Json.parse(line)));   // every stdout line is JSON
    }
    Map<String, Object> summary = lines.get(lines.size() - 1);
    assertEquals("sql", summary.get("command"), run.toString());
    assertEquals(8L, summary.get("statements"));
    List<Map<String, Object>> rows = lines.subList(0, lines.size() - 1);
    assertEquals(false, rows.get(0).get("already_registered"), run.toString());
    assertEquals(400L, rows.get(0).get("rows"));
    assertEquals(true, rows.get(1).get("already_registered"));
    assertEquals(15L, rows.get(2).get("output_rows"), run.toString());
    for (int q = 0; q < 5; q++) {
      assertEquals(Map.of("qid", (long) q, "neighbor_id", (long) q), rows.get(3 + q),
          "each query's nearest row is itself");
    }
    assertEquals("ok", rows.get(8).get("status"), run.toString());
    assertEquals(9, rows.size(), run.toString());
    assertTrue(String.join("\n", run.err()).contains("lakeann build"), run.toString());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object parsed) {
    assertTrue(parsed instanceof Map<?, ?>, "a JSON object: " + parsed);
    return (Map<String, Object>) parsed;
  }
}
