package io.lakeann.sql.procedures;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.spark.SparkFixture;
import io.lakeann.sql.SqlSessions;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Wrong procedure calls fail with an AnalysisException whose message names the procedure, the
 * argument, the value given and the fix; the table they name is indexed, so only the named
 * mistake is wrong.
 */
class ProcedureErrorsTest {
  static final String TABLE = "lake.db.docs";
  static final String JOIN = "CALL lakeann.system.ann_join(queries => 'lake.db.questions', "
      + "query_column => 'qvec', query_id => 'qid', table => '" + TABLE + "', column => "
      + "'embedding', output => 'lake.db.answers', ";

  @org.junit.jupiter.api.io.TempDir
  static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void start() throws Exception {
    spark = SqlSessions.start(dir);
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.db");
    SparkFixture.createDocs(spark, TABLE, 2);
    SparkFixture.append(spark, TABLE, 0, SparkFixture.vectors(300, 1));
    SparkFixture.queries(spark, SparkFixture.vectors(3, 9)).writeTo("lake.db.questions")
        .using("iceberg").create();
    spark.sql("CALL lakeann.system.build_index('" + TABLE + "', 'embedding', 'doc_id')");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        Arguments.of("unknown procedure", "CALL lakeann.system.build_idx('" + TABLE + "')",
            List.of("lakeann.system.build_idx does not exist", "build_index", "cache_stats")),
        Arguments.of("unknown argument name", "CALL lakeann.system.build_index(table => '"
            + TABLE + "', colum => 'embedding', id => 'doc_id')",
            List.of("lakeann.system.build_index", "no argument named 'colum'", "column",
                "build_index(table, column, id, [metric]")),
        Arguments.of("missing required argument", "CALL lakeann.system.build_index(table => '"
            + TABLE + "', id => 'doc_id')",
            List.of("lakeann.system.build_index", "required argument column is missing",
                "column => 'embedding'")),
        Arguments.of("too many positional arguments", "CALL lakeann.system.drop_index('"
            + TABLE + "', 'embedding', 'doc_id')",
            List.of("lakeann.system.drop_index takes at most 2 arguments, got 3",
                "drop_index(table, column)")),
        Arguments.of("wrong type", JOIN + "k => 'ten')",
            List.of("lakeann.system.ann_join", "argument k must be INT", "STRING",
                "k => 10")),
        Arguments.of("wrong type of a text argument", "CALL lakeann.system.index_status("
            + "table => 42)", List.of("lakeann.system.index_status", "argument table must be "
            + "STRING", "INT", "table => 'lake.db.docs'")),
        Arguments.of("unknown table", "CALL lakeann.system.verify_index('lake.db.nope', "
            + "'embedding')", List.of("lakeann.system.verify_index", "table => 'lake.db.nope'",
            "does not exist", "check the name")),
        Arguments.of("unknown column", "CALL lakeann.system.refresh_index('" + TABLE + "', "
            + "'embeding')", List.of("lakeann.system.refresh_index", "column => 'embeding'",
            "its columns are: doc_id long, category int, embedding list<float>")),
        Arguments.of("non-vector column", "CALL lakeann.system.build_index('" + TABLE + "', "
            + "'category', 'doc_id')", List.of("lakeann.system.build_index",
            "column => 'category'", "list<float>")),
        Arguments.of("unknown id column", "CALL lakeann.system.build_index('" + TABLE + "', "
            + "'embedding', 'docid')", List.of("lakeann.system.build_index", "id => 'docid'",
            "doc_id")),
        Arguments.of("bad metric", "CALL lakeann.system.build_index('" + TABLE + "', "
            + "'embedding', 'doc_id', metric => 'manhattan')",
            List.of("lakeann.system.build_index", "metric => 'manhattan'", "l2, ip", "cosine")),
        Arguments.of("k of 0", JOIN + "k => 0)",
            List.of("lakeann.system.ann_join", "k => 0 is out of range", ">= 1")),
        Arguments.of("negative k", JOIN + "k => -3)",
            List.of("lakeann.system.ann_join", "k => -3 is out of range", ">= 1")),
        Arguments.of("bad consistency", JOIN + "k => 5, consistency => 'soon')",
            List.of("lakeann.system.ann_join", "consistency => 'soon'", "fresh",
                "eventual:", "frozen:")),
        Arguments.of("unknown query column", JOIN.replace("'qvec'", "'qvector'") + "k => 5)",
            List.of("lakeann.system.ann_join", "'qvector'", "query_column", "qid, tag, qvec")),
        Arguments.of("no index to refresh", "CALL lakeann.system.refresh_index("
            + "'lake.db.questions', 'qvec')", List.of("lakeann.system.refresh_index",
            "column => 'qvec'", "no lakeann index", "build_index(table => "
            + "'lake.db.questions', column => 'qvec'")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void mistakeIsRefusedWithAMessageNamingItAndTheFix(String what, String call,
      List<String> expected) {
    AnalysisException e = assertThrows(AnalysisException.class, () -> spark.sql(call));
    for (String part : expected) {
      assertTrue(e.getMessage().contains(part), what + ": the message names '" + part + "': "
          + e.getMessage());
    }
  }
}
