package io.lakeann.bench;

import io.lakeann.core.kernel.Kernels;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code benchmarks/run core}: loads the data, gets the ground truth, measures the exact scan,
 * lakeann (single queries and batches) and the graph peers on the same queries in this JVM,
 * prints every result as a JSON line and writes the doc sections with their plots. An engine that
 * is not chosen, capped out or absent from this JVM gets a {@code "skipped"} line and a note. One
 * instance runs once.
 */
final class CoreBenchmark {
  private final CoreOptions options;
  private final String command;
  private final PrintStream stdout;

  CoreBenchmark(CoreOptions options, String command, PrintStream stdout) {
    this.options = options;
    this.command = command;
    this.stdout = stdout;
  }

  void run() throws IOException {
    MachineInfo machine = MachineInfo.detect();
    String loadBefore = MachineInfo.loadAverage();
    Log.info("%s", machine.summary());
    long start = System.nanoTime();
    Dataset data = Dataset.load(options);
    Log.info("dataset %s: %d rows x %d dims, %d queries single, %d in the batch, loaded in"
        + " %.1f s", data.name(), data.size(), data.dim(), data.queries().length,
        data.batchQueries().length, Clock.secondsSince(start));

    GroundTruth truth = options.groundTruth != null
        ? GroundTruth.fromIvecs(options.groundTruth, data, options.k)
        : GroundTruth.exact(data, options.metric, options.k, machine.cores());
    print(truth.fields(data.name(), options.k));

    RunInfo info = new RunInfo(data.name(), data.isSynthetic(), data.size(), data.dim(),
        options.metric, options.k, data.queries().length, data.batchQueries().length,
        options.buildThreads, Kernels.get().name(), RunInfo.jvmOfThisProcess());
    List<ResultLine> lines = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<PeerSummary.Skip> skips = new ArrayList<>();
    RunContext context = new RunContext(options, data, truth, info, this::print, notes);
    Consumer<ResultLine> sink = line -> {
      print(line.fields());
      lines.add(line);
    };
    CoreEngines.Lineup lineup = CoreEngines.lineup(options);
    if (lineup.peersAbsent() != null) {
      Log.info("Lucene 10 HNSW and jvector not run: %s", lineup.peersAbsent());
      skipped(data, "lucene-hnsw, jvector", lineup.peersAbsent(), notes, skips);
    }
    for (CoreEngines.Slot slot : lineup.slots()) {
      String capped = slot.capReason(data.size());
      if (!options.engines.contains(slot.name())) {
        skipped(data, slot.name(), "not in --engines", notes, skips);
      } else if (capped != null) {
        skipped(data, slot.name(), capped, notes, skips);
      } else {
        slot.engine().get().run(context, sink);
      }
    }
    notes.add("Batches: every engine loops single searches over the whole batch on one thread"
        + " (lakeann's join searches a shard that way; none of the graphs has a batch search);"
        + " the exact scan is timed for single queries only.");
    notes.add("Load averages (1, 5, 15 min, this run's own threads included): " + loadBefore
        + " at the start, " + MachineInfo.loadAverage() + " at the end; above the "
        + machine.cores() + " cores, other work shared them and the timings are that noisy.");

    MarkdownReport.write(options.out,
        new MarkdownReport.Run(machine, command, info, truth, lines, notes, skips));
    Log.info("wrote %s and its plots", options.out);
  }

  /** Prints the {@code "skipped"} line of {@code engine} and keeps it for the report. */
  private void skipped(Dataset data, String engine, String reason, List<String> notes,
      List<PeerSummary.Skip> skips) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("type", "skipped");
    line.put("engine", engine);
    line.put("dataset", data.name());
    line.put("reason", reason);
    print(line);
    notes.add(engine + " not run: " + reason + ".");
    skips.add(new PeerSummary.Skip(engine, reason));
  }

  private void print(Map<String, Object> line) {
    Json.println(stdout, line);
  }
}
