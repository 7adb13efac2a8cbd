package io.lakeann.bench;

import io.lakeann.core.kernel.Kernels;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code benchmarks/run core}: loads the data, gets the ground truth, measures the exact scan,
 * lakeann and HNSW on the same queries, prints every result as a JSON line and writes the doc
 * section with its plot. One instance runs once.
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
    Log.info("%s", machine.summary());
    long start = System.nanoTime();
    Dataset data = Dataset.load(options);
    Log.info("dataset %s: %d rows x %d dims, %d queries, loaded in %.1f s", data.name(),
        data.size(), data.dim(), data.queries().length, Clock.secondsSince(start));

    GroundTruth truth = options.groundTruth != null
        ? GroundTruth.fromIvecs(options.groundTruth, data, options.k)
        : GroundTruth.exact(data, options.metric, options.k, machine.cores());
    print(truth.fields(data.name(), options.k));

    RunInfo info = new RunInfo(data.name(), data.isSynthetic(), data.size(), data.dim(),
        options.metric, options.k, data.queries().length, options.buildThreads,
        Kernels.get().name());
    List<ResultLine> lines = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    RunContext context = new RunContext(options, data, truth, info, this::print, notes);
    Consumer<ResultLine> sink = line -> {
      print(line.fields());
      lines.add(line);
    };
    new ExactEngine().run(context, sink);
    new LakeannEngine().run(context, sink);
    if (data.size() > options.maxHnswN) {
      String reason = String.format(Locale.ROOT, "%s skipped: the base has %,d rows,"
          + " more than --max-hnsw-n %,d", HnswEngine.NAME, data.size(), options.maxHnswN);
      Map<String, Object> skipped = new LinkedHashMap<>();
      skipped.put("type", "skipped");
      skipped.put("engine", HnswEngine.NAME);
      skipped.put("dataset", data.name());
      skipped.put("reason", reason);
      print(skipped);
      notes.add(reason + ".");
    } else {
      new HnswEngine().run(context, sink);
    }

    MarkdownReport.write(options.out,
        new MarkdownReport.Run(machine, command, info, truth, lines, notes));
    Log.info("wrote %s and its plot benchmarks-%s.png", options.out, data.name());
  }

  private void print(Map<String, Object> line) {
    Json.println(stdout, line);
  }
}
