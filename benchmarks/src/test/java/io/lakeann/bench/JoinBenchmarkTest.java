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
 * {@code benchmarks/run join} end to end on tiny data (a real local[2] Spark, real Iceberg
 * tables in a temporary warehouse): every line it prints is a JSON object naming its step, every
 * step appears, recalls are recalls, the warm join loads nothing, and the doc gets its section
 * and plot while keeping the sections already there.
 */
class JoinBenchmarkTest {
  private static final String SPEC = "base=3000,dim=16,queries=50,k=10,clusters=10";
  private static final String SECTION = "join-synthetic-n3000-dim16-clusters10-seed7-q50-k10";
  private static final List<String> STEPS = List.of(
      "table/write_base", "table/write_queries", "ground_truth/full_base",
      "ground_truth/hnsw_subset", "ground_truth/exact_subset", "lakeann/build",
      "lakeann/cold_join", "lakeann/warm_join", "lakeann/warm_join_nprobe_2",
      "lakeann/filtered_join", "lakeann/engine_search", "lakeann/query_decode",
      "exact_join/cross_join",
      "hnsw_join/build_and_join", "summary/targets");
  private static final List<String> STAGED = List.of("build", "cold_join_search",
      "cold_join_result", "warm_join_search", "warm_join_result", "warm_join_nprobe_2_search",
      "warm_join_nprobe_2_result", "filtered_join_executors", "filtered_join_driver",
      "query_decode", "exact_join", "hnsw_join");

  @Test
  void tinyRunPrintsEveryStepAsJsonAndWritesItsSectionAndPlot(@TempDir Path dir)
      throws Exception {
    Path doc = dir.resolve("docs").resolve("benchmarks.md");
    Files.createDirectories(doc.getParent());
    String coreSection = "<!-- bench:core-run -->\n## core-run\n<!-- /bench:core-run -->";
    Files.writeString(doc, MarkdownReport.HEADER + "\n" + coreSection + "\n");
    String[] args = {"join", "--synthetic", SPEC, "--nprobes", "2", "--exact-base", "400",
        "--exact-queries", "20", "--hnsw-base", "2000", "--out", doc.toString()};
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    JoinOptions options = JoinOptions.parse(Arrays.asList(args).subList(1, args.length), dir);
    new JoinBenchmark(options, Main.commandLine(args),
        new PrintStream(stdout, true, StandardCharsets.UTF_8)).run();

    List<Map<?, ?>> lines = new ArrayList<>();
    Set<String> steps = new TreeSet<>();
    Set<String> staged = new TreeSet<>();
    for (String text : stdout.toString(StandardCharsets.UTF_8).split("\n")) {
      Object parsed = io.lakeann.core.util.Json.parse(text);
      assertTrue(parsed instanceof Map<?, ?>, "not a JSON object: " + text);
      Map<?, ?> line = (Map<?, ?>) parsed;
      assertTrue(line.containsKey("type") && line.containsKey("step"), "no type/step: " + text);
      assertEquals(3000L, line.get("base"), text);
      assertEquals(50L, line.get("queries"), text);
      if (line.get("type").equals("stage")) {
        staged.add((String) line.get("step"));
      } else {
        steps.add(line.get("type") + "/" + line.get("step"));
      }
      if (line.containsKey("recall_at_k")) {
        double recall = number(line, "recall_at_k");
        assertTrue(recall >= 0 && recall <= 1, text);
      }
      lines.add(line);
    }
    assertEquals(new TreeSet<>(STEPS), steps);
    assertEquals(new TreeSet<>(STAGED), staged, "every measured step logs its Spark stages");

    Map<?, ?> cold = line(lines, "cold_join");
    Map<?, ?> warm = line(lines, "warm_join");
    assertEquals(0L, cold.get("cache_entries_before"), "the cold join starts with no shard");
    assertEquals(cold.get("shards"), cold.get("loads"), "the cold join loads every shard");
    assertEquals(0L, warm.get("loads"), "the warm join loads nothing");
    assertEquals(0L, line(lines, "warm_join_nprobe_2").get("loads"), "nor does the sweep");
    assertEquals(2L, line(lines, "warm_join_nprobe_2").get("nprobe"));
    assertTrue(number(cold, "recall_at_k") >= 0.9, "lakeann recall " + cold);
    assertTrue(number(line(lines, "cross_join"), "recall_at_k") >= 0.99,
        "the exact join agrees with the oracle");
    assertEquals(true, line(lines, "build_and_join").get("extrapolated"));
    List<Map<?, ?>> filtered = lines.stream()
        .filter(l -> "filtered_join".equals(l.get("step"))).toList();
    assertEquals(List.of("executors", "driver"),
        filtered.stream().map(l -> l.get("evaluated_on")).toList());
    assertEquals(500L, filtered.get(0).get("result_rows"), "k neighbours for every query");
    assertEquals(500L, filtered.get(1).get("result_rows"));
    assertTrue(number(filtered.get(0), "driver_result_bytes")
        < number(filtered.get(1), "driver_result_bytes"),
        "positions collected to the driver cost it more: " + filtered);
    for (Map<?, ?> f : filtered) {
      assertTrue(number(f, "heap_peak_bytes") > 0, f.toString());
    }
    assertTrue(number(line(lines, "targets"), "end_to_end_over_hnsw") > 0);

    String text = Files.readString(doc);
    assertTrue(text.startsWith(MarkdownReport.HEADER), "header first");
    assertTrue(text.contains(coreSection), "the core section is kept");
    assertTrue(text.contains("<!-- bench:" + SECTION + " -->"), "the join section is written");
    assertTrue(text.contains("<!-- /bench:" + SECTION + " -->"));
    assertTrue(text.contains("### Against the targets"));
    assertTrue(text.contains("### Filters"));
    assertTrue(text.contains("](benchmarks-" + SECTION + ".png)"), "the section links its plot");
    assertNotNull(ImageIO.read(doc.resolveSibling("benchmarks-" + SECTION + ".png").toFile()),
        "the plot is a readable PNG");
  }

  private static Map<?, ?> line(List<Map<?, ?>> lines, String step) {
    return lines.stream().filter(l -> !l.get("type").equals("stage"))
        .filter(l -> l.get("step").equals(step)).findFirst().orElseThrow();
  }

  private static double number(Map<?, ?> line, String key) {
    return ((Number) line.get(key)).doubleValue();
  }
}
