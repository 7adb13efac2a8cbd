package io.lakeann.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.util.Json;
import io.lakeann.spark.cli.LakeAnnProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/lakeann notebook} as a user runs it: a real process, from another directory. */
class NotebookProcessTest {
  @TempDir
  Path dir;

  @Test
  void theQuickstartNotebookRunsOnAGivenWarehouseAsAProcessAndPrintsOneSummaryLine() throws Exception {
    LakeAnnProcess.assumeRunnable();
    Path notebook = Path.of("01-quickstart.sql").toAbsolutePath();
    LakeAnnProcess.Result result = LakeAnnProcess.run(dir, "--master", "local[2]", "notebook",
        notebook.toString(), "--warehouse", "wh", "--output", "executed");
    assertEquals(0, result.code(), result.toString());
    List<String> out = result.out();
    Map<?, ?> summary = (Map<?, ?>) Json.parse(out.get(out.size() - 1));
    assertEquals("notebook", summary.get("command"), result.toString());
    assertEquals(summary.get("cells"), summary.get("cells_run"), result.toString());
    Path written = Path.of((String) summary.get("output"));
    assertEquals(dir.resolve("executed/01-quickstart.md").toRealPath(), written.toRealPath(),
        "a relative --output is relative to where bin/lakeann is called");
    assertTrue(Files.readString(written).contains("build_index"), "the cells are in the output");
    assertTrue(Files.isDirectory(dir.resolve("wh/demo/docs/metadata")),
        "the tables are in the --warehouse given after the notebook");
  }
}
