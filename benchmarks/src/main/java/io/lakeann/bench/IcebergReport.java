package io.lakeann.bench;

import io.lakeann.bench.IcebergResults.Encoding;
import io.lakeann.bench.IcebergResults.Search;
import io.lakeann.iceberg.BuildResult;
import io.lakeann.iceberg.Coverage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The doc section of {@code benchmarks/run iceberg}: the run, the data and the change, then one
 * table per step (write and read, build and open, search, change) with a row per encoding, and a
 * recall/QPS plot in which each encoding's lakeann curve runs through the snapshots in the order
 * they were searched. Merged into the benchmark doc by {@link MarkdownReport}. Stateless.
 */
final class IcebergReport {
  private IcebergReport() {}

  /** Everything the section shows. */
  record Run(MachineInfo machine, String command, IcebergOptions options, Dataset data,
      GroundTruth truth, GroundTruth changedTruth, List<Encoding> encodings) {}

  static void write(Path doc, Run run) throws IOException {
    MarkdownReport.write(doc, run.options().sectionName(), run.options().k, series(run),
        plotName -> section(run, plotName));
  }

  /** One series per engine and encoding, its points in search order. */
  static List<RecallQpsPlot.Series> series(Run run) {
    List<RecallQpsPlot.Labeled> points = new ArrayList<>();
    for (Encoding e : run.encodings()) {
      for (Search s : e.searches()) {
        String label = s.engine().equals(Search.LAKEANN)
            ? "lakeann, " + e.where().encoding().label() + ": built, changed, refreshed"
            : "exact scan, " + e.where().encoding().label();
        points.add(new RecallQpsPlot.Labeled(label, new RecallQpsPlot.Point(
            s.measured().recall(), s.measured().qps(), false)));
      }
    }
    return RecallQpsPlot.group(points);
  }

  static String section(Run run, String plotName) {
    IcebergOptions o = run.options();
    Dataset data = run.data();
    IcebergResults.Change change = run.encodings().get(0).change();
    String name = o.sectionName();
    List<String> out = new ArrayList<>(MarkdownReport.opening(name, run.machine(),
        run.command()));
    out.add(String.format(Locale.ROOT, "Data: %,d rows × %d dims (synthetic, %d clusters), %,d"
        + " queries, metric %s, k = %d. Each vector encoding gets its own table (Iceberg format"
        + " v2, unpartitioned, Hadoop catalog on local disk): `id long` and `vector` as"
        + " `list<float>`, as `binary` holding little-endian float32 or as `list<double>` (the same"
        + " values; lakeann reads them as float32), written with Iceberg's"
        + " generic Parquet writer in %d data files. lakeann builds with the default `IndexConfig`"
        + " apart from the metric (%d threads) and %,d target rows per shard. Ground truth: %s.",
        data.size(), data.dim(), o.synthetic.clusters(), data.queries().length,
        o.metric.shortName(), o.k, o.files, run.machine().cores(), o.targetRows,
        MarkdownReport.truth(run.truth())));
    out.add("");
    out.add(String.format(Locale.ROOT, "The change: %,d rows appended as one new data file and"
        + " %,d ids (those divisible by %d) deleted by one equality delete file, leaving %,d live"
        + " rows. Their ground truth: %s.", change.appendedRows(), change.deletedIds(),
        IcebergBenchmark.DELETE_EVERY, data.size() - change.deletedIds() + change.appendedRows(),
        MarkdownReport.truth(run.changedTruth())));
    out.add("");
    out.add(MarkdownReport.plotLink(name, o.k, plotName));
    out.add("");
    out.add("### Write and read");
    out.add("");
    out.add("Rows per second reading every live id and vector, median of "
        + run.encodings().get(0).read().passes() + " passes of each reader, the two alternating"
        + " after " + Fmt.seconds(o.timing.warmUpSeconds()) + " s of untimed passes. lakeann's"
        + " `ShardReader` decodes each vector to float32 and checks it (dimension, finite values,"
        + " unique ids); Iceberg's `IcebergGenerics` reader (the peer) only materializes the"
        + " records.");
    out.add("");
    out.add("| encoding | data files | data bytes/row | write s | lakeann reader rows/s"
        + " | Iceberg generic reader rows/s | lakeann ÷ generic |");
    out.add("|---|---:|---:|---:|---:|---:|---:|");
    for (Encoding e : run.encodings()) {
      IcebergResults.Read r = e.read();
      out.add(MarkdownReport.tableRow(label(e), e.write().files(),
          Fmt.bytes((double) e.write().dataBytes() / e.where().n()),
          Fmt.seconds(e.write().seconds()), rate(r.readerRowsPerSecond()),
          rate(r.genericRowsPerSecond()),
          Fmt.times(r.readerRowsPerSecond() / r.genericRowsPerSecond())));
    }
    out.add("");
    out.add("### Build and open");
    out.add("");
    out.add("Build: read, build every shard, publish the bundle as the snapshot's Puffin"
        + " statistics file; *bundle bytes/vector* is that file's size per indexed row. The"
        + " second build of the same snapshot finds the bundle registered and does nothing. Cold"
        + " open: an empty lakeann cache, so every shard is copied out of the Puffin file (just"
        + " written, so in the OS page cache), read and verified; warm: the same cache again"
        + " (median of "
        + run.encodings().get(0).open().warmPasses() + ").");
    out.add("");
    out.add("| encoding | build s | shards | bundle bytes/vector | no-op build s | cold open ms"
        + " | warm open ms |");
    out.add("|---|---:|---:|---:|---:|---:|---:|");
    for (Encoding e : run.encodings()) {
      IcebergResults.Build b = e.build();
      out.add(MarkdownReport.tableRow(label(e), Fmt.seconds(b.first().seconds()), b.shards(),
          Fmt.bytes(b.bundleBytesPerVector()), String.format(Locale.ROOT, "%.3f",
              b.again().seconds()), Fmt.ms(e.open().coldMs()), Fmt.ms(e.open().warmMs())));
    }
    out.add("");
    out.add("### Search");
    out.add("");
    out.add("One thread, `SnapshotIndex.search(q, SearchParams.topK(" + o.k + "))` (each shard's"
        + " default nprobe), timed for at least " + Fmt.seconds(o.timing.minTimedSeconds())
        + " s after a " + Fmt.seconds(o.timing.warmUpSeconds()) + " s warm-up over the same"
        + " queries; the exact scan runs over the rows lakeann's reader returned. *changed, old"
        + " bundle + exact delta* searches the changed snapshot through the bundle built before"
        + " the change, with deleted rows masked and appended rows scanned exactly.");
    out.add("");
    out.add("| encoding | snapshot and bundle | engine | live rows | recall@" + o.k
        + " | QPS | p50 ms | p99 ms |");
    out.add("|---|---|---|---:|---:|---:|---:|---:|");
    for (Encoding e : run.encodings()) {
      for (Search s : e.searches()) {
        Measured m = s.measured();
        out.add(MarkdownReport.tableRow(label(e), s.state().label, s.engine(),
            String.format(Locale.ROOT, "%,d", s.liveRows()), Fmt.recall(m.recall()),
            Fmt.qps(m.qps()), Fmt.ms(m.p50Ms()), Fmt.ms(m.p99Ms())));
      }
    }
    out.add("");
    out.add("### Change");
    out.add("");
    out.add("The changed snapshot opened through the old bundle (warm cache): rows still indexed,"
        + " rows added since (searched exactly) and indexed rows masked out. Then a refresh"
        + " (`build()` again: unchanged shards reused, shards with few new deletes re-masked, the"
        + " rest built) beside a full rebuild of the same snapshot with another seed, which can"
        + " reuse nothing.");
    out.add("");
    out.add("| encoding | commit s | open via old bundle ms | indexed rows | delta rows"
        + " | masked rows | refresh s | reused / built / remasked | full rebuild s"
        + " | full ÷ refresh |");
    out.add("|---|---:|---:|---:|---:|---:|---:|---|---:|---:|");
    for (Encoding e : run.encodings()) {
      IcebergResults.Change c = e.change();
      Coverage cov = c.coverage();
      BuildResult refresh = c.refresh();
      out.add(MarkdownReport.tableRow(label(e), Fmt.seconds(c.commitSeconds()), Fmt.ms(c.openMs()),
          String.format(Locale.ROOT, "%,d", cov.indexedRows()),
          String.format(Locale.ROOT, "%,d", cov.deltaRows()),
          String.format(Locale.ROOT, "%,d", cov.maskedRows()), Fmt.seconds(refresh.seconds()),
          refresh.shardsReused() + " / " + refresh.shardsBuilt() + " / "
              + refresh.shardsRemasked(),
          Fmt.seconds(c.fullRebuild().seconds()),
          Fmt.times(c.fullRebuild().seconds() / refresh.seconds())));
    }
    out.add(MarkdownReport.closing(name));
    return String.join("\n", out);
  }

  private static String label(Encoding e) {
    return "`" + e.where().encoding().label() + "`";
  }

  private static String rate(double rowsPerSecond) {
    return String.format(Locale.ROOT, "%,.0f", rowsPerSecond);
  }
}
