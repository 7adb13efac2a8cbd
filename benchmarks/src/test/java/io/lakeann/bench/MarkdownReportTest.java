package io.lakeann.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MarkdownReportTest {

  private static String section(String name, String body) {
    return "<!-- bench:" + name + " -->\n" + body + "\n<!-- /bench:" + name + " -->";
  }

  @Test
  void rewritingADatasetReplacesOnlyItsSection() {
    String doc = MarkdownReport.merge("", "a", section("a", "old a"));
    doc = MarkdownReport.merge(doc, "b", section("b", "b"));
    doc = MarkdownReport.merge(doc, "a", section("a", "new a"));
    assertEquals(MarkdownReport.HEADER + "\n" + section("a", "new a") + "\n\n" + section("b", "b")
        + "\n", doc);
  }

  @Test
  void theHeaderIsRegeneratedAndTextOutsideSectionsDropped() {
    String doc = "# old title\nstray text\n" + section("x", "x");
    assertEquals(MarkdownReport.HEADER + "\n" + section("x", "x") + "\n\n" + section("y", "y")
        + "\n", MarkdownReport.merge(doc, "y", section("y", "y")));
  }
}
