package io.lakeann.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How a SQL file is split into statements. */
class SqlScriptTest {

  @Test
  void semicolonsSeparateStatementsAndCommentsAreDropped() {
    assertEquals(List.of("SELECT 1", "SELECT 2", "SELECT \n  3"), SqlScript.split(
        "-- first\nSELECT 1;\n/* a block\n comment; with a semicolon */ SELECT 2 ; ;\n"
            + "SELECT -- trailing; comment\n  3"));
  }

  @Test
  void semicolonsAndCommentMarksInsideQuotesAreText() {
    assertEquals(List.of("SELECT 'a;b', \"c;--d\", `e;f`", "SELECT 'it''s; \\'ok\\'; /*x*/'"),
        SqlScript.split("SELECT 'a;b', \"c;--d\", `e;f`;\nSELECT 'it''s; \\'ok\\'; /*x*/';"));
  }

  @Test
  void onlyCommentsMakeNoStatement() {
    assertEquals(List.of(), SqlScript.split("-- nothing\n/* here */\n;\n"));
  }

  @Test
  void unclosedQuoteOrCommentIsAUsageErrorNamingItsLine() {
    UsageException quote = assertThrows(UsageException.class,
        () -> SqlScript.split("SELECT 1;\nSELECT 'open;\n"));
    assertTrue(quote.getMessage().contains("line 2"), quote.getMessage());
    UsageException comment = assertThrows(UsageException.class,
        () -> SqlScript.split("SELECT 1;\n\n/* open"));
    assertTrue(comment.getMessage().contains("line 3"), comment.getMessage());
  }
}
