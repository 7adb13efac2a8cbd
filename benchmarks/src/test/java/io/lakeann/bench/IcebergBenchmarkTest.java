package io.lakeann.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code benchmarks/run iceberg} end to end on tiny data (real Iceberg tables in a temporary
 * warehouse, short search timing): every line it prints is a JSON object naming its step, every
 * step appears for both encodings, the numbers are sane, and the doc gets its section and plot
 * while keeping the sections already there.
 */
class IcebergBenchmarkTest {
  private static final String SPEC = "n=2000,dim=16,clusters=10,queries=20,seed=7";
  private static final String SECTION = "iceberg-synthetic-n2000-dim16-clusters10-seed7";
  private static final List<String> STEPS = List.of(
      "table/write", "read/lakeann-shard-reader", "read/iceberg-generics", "build/build",
      "build/noop_build", "open/cold", "open/warm", "search/lakeann-iceberg/built",
      "search/exact/built", "search/lakeann-iceberg/changed_via_old_bundle",
      "search/lakeann-iceberg/refreshed", "change/apply", "change/open_via_old_bundle",
      "change/refresh", "change/full_rebuild");

  @Test
  void tinyRunPrintsEveryStepAsJsonAndWritesItsSectionAndPlot(@TempDir Path dir)
      throws Exception {
    Path doc = dir.resolve("docs").resolve("benchmarks.md");
    Files.createDirectories(doc.getParent());
    String coreSection = "<!-- bench:core-run -->\n## core-run\n<!-- /bench:core-run -->";
    Files.writeString(doc, MarkdownReport.HEADER + "\n" + coreSection + "\n");
    String[] args = {"iceberg", "--synthetic", SPEC, "--target-rows", "500",
        "--search-seconds", "0.05", "--out", doc.toString()};
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    IcebergOptions options = IcebergOptions.parse(Arrays.asList(args).subList(1, args.length),
        dir);
    new IcebergBenchmark(options, Main.commandLine(args),
        new PrintStream(stdout, true, StandardCharsets.UTF_8)).run();

    List<Map<?, ?>> lines = new ArrayList<>();
    for (String text : stdout.toString(StandardCharsets.UTF_8).split("\n")) {
      Object parsed = io.lakeann.core.util.Json.parse(text);
      assertTrue(parsed instanceof Map<?, ?>, "not a JSON object: " + text);
      Map<?, ?> line = (Map<?, ?>) parsed;
      for (String field : List.of("type", "encoding", "n", "dim")) {
        assertTrue(line.containsKey(field), "no " + field + " in " + text);
      }
      assertTrue(line.containsKey("engine") || line.containsKey("step"),
          "no engine or step in " + text);
      assertEquals(2000L, line.get("n"));
      assertEquals(16L, line.get("dim"));
      lines.add(line);
    }

    for (String encoding : List.of("list_float", "binary_f32")) {
      Set<String> steps = new TreeSet<>();
      for (Map<?, ?> line : lines) {
        if (line.get("encoding").equals(encoding)) {
          steps.add(step(line));
        }
      }
      assertEquals(new TreeSet<>(STEPS), steps, encoding + " steps");
    }
    assertEquals(2, lines.stream().filter(l -> l.get("type").equals("ground_truth")).count(),
        "truth of the initial and of the changed snapshot");

    for (Map<?, ?> line : lines) {
      String step = step(line);
      if (line.containsKey("recall_at_k")) {
        double recall = number(line, "recall_at_k");
        assertTrue(recall >= 0 && recall <= 1, step + " recall " + recall);
      }
      if (step.equals("search/exact/built")) {
        assertEquals(1.0, number(line, "recall_at_k"), "the exact scan of the rows read");
      }
      if (step.equals("build/noop_build")) {
        assertEquals(true, line.get("already_registered"));
      }
      if (step.equals("change/open_via_old_bundle")) {
        assertEquals(100L, line.get("delta_rows"), "5% of 2000 rows appended");
        assertEquals(20L, line.get("masked_rows"), "every 100th id deleted");
        assertEquals(2000L - 20, line.get("indexed_rows"));
      }
      if (step.equals("change/full_rebuild")) {
        assertEquals(0.0, number(line, "shards_reused") + number(line, "shards_remasked"));
      }
    }

    String text = Files.readString(doc);
    assertTrue(text.startsWith(MarkdownReport.HEADER), "header first");
    assertTrue(text.contains(coreSection), "the core section is kept");
    assertTrue(text.contains("<!-- bench:" + SECTION + " -->"), "the iceberg section is written");
    assertTrue(text.contains("<!-- /bench:" + SECTION + " -->"));
    assertTrue(text.contains("](benchmarks-" + SECTION + ".png)"), "the section links its plot");
    assertNotNull(ImageIO.read(doc.resolveSibling("benchmarks-" + SECTION + ".png").toFile()),
        "the plot is a readable PNG");
  }

  /** {@code type/engine-or-step}, and the state for searches. */
  private static String step(Map<?, ?> line) {
    String name = line.get("type") + "/"
        + (line.containsKey("engine") ? line.get("engine") : line.get("step"));
    return line.containsKey("state") ? name + "/" + line.get("state") : name;
  }

  private static double number(Map<?, ?> line, String key) {
    return ((Number) line.get(key)).doubleValue();
  }
}
