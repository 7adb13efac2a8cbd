package io.lakeann.bench;

import io.lakeann.bench.IcebergResults.Search;
import io.lakeann.bench.IcebergResults.State;
import io.lakeann.core.ExactSearch;
import io.lakeann.core.IndexConfig;
import io.lakeann.core.VectorSet;
import io.lakeann.core.cache.IndexCache;
import io.lakeann.iceberg.BuildResult;
import io.lakeann.iceberg.ColumnBinding;
import io.lakeann.iceberg.ColumnBinding.VectorEncoding;
import io.lakeann.iceberg.Coverage;
import io.lakeann.iceberg.Hit;
import io.lakeann.iceberg.LakeAnnTable;
import io.lakeann.iceberg.SearchParams;
import io.lakeann.iceberg.ShardCache;
import io.lakeann.iceberg.ShardReader;
import io.lakeann.iceberg.ShardRows;
import io.lakeann.iceberg.SnapshotIndex;
import io.lakeann.iceberg.SnapshotRef;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * {@code benchmarks/run iceberg}: for each vector encoding, writes a table of the synthetic rows
 * into a temporary Hadoop warehouse and measures lakeann's Iceberg layer step by step beside its
 * peers (Iceberg's generic reader, an exact scan): read, build, open cold and warm, search, then a
 * change (append plus equality delete) searched through the old bundle, refreshed and rebuilt.
 * Prints every result as a JSON line and writes the doc section with its plot. One instance runs
 * once.
 */
final class IcebergBenchmark {
  /** Timed passes of each reader and of the warm open; the median is reported. */
  private static final int PASSES = 3;
  /** The change deletes every id divisible by this: 1% of the rows, in every data file. */
  static final int DELETE_EVERY = 100;
  /** Names the stream the appended rows are drawn from (base rows: seed, queries: ~seed). */
  private static final long APPEND_STREAM = 0x415050454E44L; // "APPEND"

  private final IcebergOptions options;
  private final String command;
  private final PrintStream stdout;

  IcebergBenchmark(IcebergOptions options, String command, PrintStream stdout) {
    this.options = options;
    this.command = command;
    this.stdout = stdout;
  }

  void run() throws IOException {
    MachineInfo machine = MachineInfo.detect();
    Log.info("%s", machine.summary());
    SyntheticSpec spec = options.synthetic;
    Dataset data = Dataset.synthetic(spec.datasetName(), spec);
    VectorSet appended = appendedRows(spec);
    long[] deleted = deletedIds(spec.n());
    VectorSet changed = changedRows(data.base(), deleted, appended);
    GroundTruth truth = GroundTruth.exact(data.base(), data.queries(), options.metric, options.k,
        machine.cores());
    GroundTruth changedTruth = GroundTruth.exact(changed, data.queries(), options.metric,
        options.k, machine.cores());
    printTruth(truth, "initial_snapshot", data);
    printTruth(changedTruth, "changed_snapshot", data);

    List<IcebergResults.Encoding> results = new ArrayList<>();
    try (IcebergTables tables = IcebergTables.create()) {
      for (VectorEncoding encoding : VectorEncoding.values()) {
        results.add(new EncodingRun(tables, encoding, data, machine.cores())
            .run(truth, changedTruth, appended, deleted));
      }
    }
    IcebergReport.write(options.out, new IcebergReport.Run(machine, command, options, data,
        truth, changedTruth, results));
    Log.info("wrote %s and its plot benchmarks-%s.png", options.out, options.sectionName());
  }

  /** {@code delta * n} new rows (at least one) with ids {@code n, n+1, ...}. */
  private VectorSet appendedRows(SyntheticSpec spec) {
    int rows = (int) Math.max(1, Math.round(options.delta * spec.n()));
    long[] ids = new long[rows];
    for (int r = 0; r < rows; r++) {
      ids[r] = spec.n() + (long) r;
    }
    return VectorSet.of("appended rows", ids,
        spec.generator().points(rows, spec.seed() ^ APPEND_STREAM), spec.dim());
  }

  /** The ids the change deletes, ascending: every {@value #DELETE_EVERY}th base row. */
  private static long[] deletedIds(int n) {
    long[] ids = new long[(n + DELETE_EVERY - 1) / DELETE_EVERY];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = (long) i * DELETE_EVERY;
    }
    return ids;
  }

  /**
   * The live rows after the change: the base without the {@code deleted} ids (ascending), then
   * the appended rows.
   */
  private static VectorSet changedRows(VectorSet base, long[] deleted, VectorSet appended) {
    int dim = base.dim();
    long[] ids = new long[base.size() - deleted.length + appended.size()];
    float[] vectors = new float[ids.length * dim];
    int out = 0;
    for (int r = 0; r < base.size(); r++) {
      if (Arrays.binarySearch(deleted, base.id(r)) < 0) {
        ids[out] = base.id(r);
        System.arraycopy(base.data(), r * dim, vectors, out * dim, dim);
        out++;
      }
    }
    System.arraycopy(appended.ids(), 0, ids, out, appended.size());
    System.arraycopy(appended.data(), 0, vectors, out * dim, appended.size() * dim);
    return VectorSet.of("changed rows", ids, vectors, dim);
  }

  private void printTruth(GroundTruth truth, String snapshot, Dataset data) {
    Map<String, Object> line = new IcebergResults.Where(null, data.size(), data.dim())
        .line("ground_truth", "step", snapshot);
    line.putAll(truth.fields(data.name(), options.k));
    print(line);
  }

  private void print(Map<String, Object> line) {
    Json.println(stdout, line);
  }

  /** The median of {@code values} (the mean of the middle two for an even count). */
  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  /** A value and the wall time its computation took. */
  private record Timed<T>(T value, double seconds) {
    static <T> Timed<T> of(Supplier<T> work) {
      long start = System.nanoTime();
      T value = work.get();
      return new Timed<>(value, Clock.secondsSince(start));
    }
  }

  private static long[] ids(List<Hit> hits) {
    long[] ids = new long[hits.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = (Long) hits.get(i).id();
    }
    return ids;
  }

  /** The steps for one encoding, in order, over one table; {@link #run} once. */
  private final class EncodingRun {
    private final IcebergTables tables;
    private final Dataset data;
    private final int threads;
    private final IcebergResults.Where where;
    private final Table table;
    private final List<Search> searches = new ArrayList<>();
    /** The table's live rows as lakeann's reader returned them: the exact scan's rows. */
    private ShardRows liveRows;

    EncodingRun(IcebergTables tables, VectorEncoding encoding, Dataset data, int threads) {
      this.tables = tables;
      this.data = data;
      this.threads = threads;
      this.where = new IcebergResults.Where(encoding, data.size(), data.dim());
      this.table = tables.createTable("docs_" + where.encodingName(), encoding);
    }

    IcebergResults.Encoding run(GroundTruth truth, GroundTruth changedTruth, VectorSet appended,
        long[] deleted) throws IOException {
      IcebergResults.Write write = write();
      print(write.fields(where));
      IcebergResults.Read read = read();
      read.lines(where).forEach(IcebergBenchmark.this::print);

      IndexConfig config = IndexConfig.defaults().toBuilder().metric(options.metric).build();
      ShardCache cache = new ShardCache(
          new IndexCache<>((long) (Runtime.getRuntime().maxMemory()
              * IndexCache.DEFAULT_HEAP_FRACTION)),
          tables.newDirectory("shards-"), threads);
      LakeAnnTable lake = LakeAnnTable.of(table).column(IcebergTables.VECTOR)
          .id(IcebergTables.ID).config(config).targetRowsPerShard(options.targetRows)
          .cache(cache);
      Log.info("%s: building the index of %d rows on %d threads", where.encodingName(),
          liveRows.size(), config.threads());
      BuildResult first = lake.build();
      BuildResult again = lake.build();
      IcebergResults.Build build = new IcebergResults.Build(first, again);
      build.lines(where).forEach(IcebergBenchmark.this::print);

      IcebergResults.Open open = open(lake);
      open.lines(where).forEach(IcebergBenchmark.this::print);
      try (SnapshotIndex index = lake.open(SnapshotRef.current())) {
        searchLakeann(index, State.BUILT, truth);
      }
      ExactSearch exact = new ExactSearch(liveRows.toVectorSet(), options.metric);
      Log.info("%s: timing the exact scan of %d rows", where.encodingName(), liveRows.size());
      searched(new Search(Search.EXACT, State.BUILT, liveRows.size(), options.k,
          Measured.of((q, k) -> exact.search(q, k, null).ids(), data.queries(),
              data.queries().length, options.k, truth, options.timing)));
      liveRows = null; // about n * dim floats: let them go before the change

      IcebergResults.Change change = change(lake, appended, deleted, changedTruth);
      change.lines(where).forEach(IcebergBenchmark.this::print);
      return new IcebergResults.Encoding(where, write, read, build, open, searches, change);
    }

    private IcebergResults.Write write() {
      Log.info("%s: writing %d rows in %d Parquet files", where.encodingName(), data.size(),
          options.files);
      VectorSet base = data.base();
      Timed<List<DataFile>> files = Timed.of(() -> {
        List<DataFile> written = new ArrayList<>();
        for (int f = 0; f < options.files; f++) {
          int from = (int) ((long) f * base.size() / options.files);
          int to = (int) ((long) (f + 1) * base.size() / options.files);
          written.add(tables.writeDataFile(table, base.ids(), base.data(), base.dim(), from, to));
        }
        IcebergTables.append(table, written);
        return written;
      });
      long bytes = files.value().stream().mapToLong(DataFile::fileSizeInBytes).sum();
      return new IcebergResults.Write(files.value().size(), bytes, files.seconds());
    }

    /**
     * Reads every live id and vector {@value #PASSES} times through lakeann's reader (keeping the
     * rows of the last pass) and as often through Iceberg's generic reader, which only
     * materializes the records. The two alternate, so that both see the same JIT and heap state,
     * after untimed alternating passes for the run's warm-up time (the first passes of a fresh
     * JVM run mostly interpreted, several times slower).
     */
    private IcebergResults.Read read() {
      ColumnBinding binding = ColumnBinding.resolve(table.name(), table.schema(),
          IcebergTables.VECTOR, IcebergTables.ID);
      ShardReader reader = new ShardReader(table.io(), table.schema(), binding);
      List<FileScanTask> tasks = liveTasks();
      double[] readerRates = new double[PASSES];
      double[] genericRates = new double[PASSES];
      long warmUp = System.nanoTime();
      do {
        reader.read(tasks, 0);
        countRecords(binding);
      } while (Clock.secondsSince(warmUp) < options.timing.warmUpSeconds());
      for (int p = 0; p < PASSES; p++) {
        Timed<ShardRows> rows = Timed.of(() -> reader.read(tasks, 0));
        liveRows = rows.value();
        readerRates[p] = liveRows.size() / rows.seconds();
        Timed<Long> count = Timed.of(() -> countRecords(binding));
        if (count.value() != liveRows.size()) {
          throw new IllegalStateException(String.format(Locale.ROOT, "Iceberg's generic reader"
              + " returned %d rows of %s, lakeann's reader %d; the readers disagree",
              count.value(), table.name(), liveRows.size()));
        }
        genericRates[p] = count.value() / count.seconds();
      }
      Log.info("%s: read %d rows; rows/s by pass: lakeann %s, Iceberg generics %s",
          where.encodingName(), liveRows.size(), Arrays.toString(readerRates),
          Arrays.toString(genericRates));
      return new IcebergResults.Read(liveRows.size(), PASSES, median(readerRates),
          median(genericRates));
    }

    private long countRecords(ColumnBinding binding) {
      long count = 0;
      try (CloseableIterable<Record> records = IcebergGenerics.read(table)
          .select(binding.idColumn(), binding.vectorColumn()).build()) {
        for (Record ignored : records) {
          count++;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + table.name(), e);
      }
      return count;
    }

    private List<FileScanTask> liveTasks() {
      List<FileScanTask> tasks = new ArrayList<>();
      try (CloseableIterable<FileScanTask> planned = table.newScan().planFiles()) {
        planned.forEach(tasks::add);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot plan the files of " + table.name(), e);
      }
      return tasks;
    }

    /**
     * Opens the current snapshot with the table's cache still empty (every shard fetched from its
     * Puffin blobs and verified), then {@value #PASSES} times more through the same cache.
     */
    private IcebergResults.Open open(LakeAnnTable lake) {
      double[] warmMs = new double[PASSES];
      Timed<SnapshotIndex> cold = Timed.of(() -> lake.open(SnapshotRef.current()));
      cold.value().close();
      for (int p = 0; p < PASSES; p++) {
        Timed<SnapshotIndex> warm = Timed.of(() -> lake.open(SnapshotRef.current()));
        warm.value().close();
        warmMs[p] = warm.seconds() * 1e3;
      }
      return new IcebergResults.Open(cold.seconds() * 1e3, median(warmMs), PASSES,
          cold.value().coverage().shards());
    }

    /**
     * Appends the new rows as one data file and deletes the ids by one equality delete file, then
     * searches the new snapshot through the old bundle, refreshes the bundle and searches again,
     * and finally rebuilds the snapshot from scratch with another seed, so nothing is reused.
     */
    private IcebergResults.Change change(LakeAnnTable lake, VectorSet appended, long[] deleted,
        GroundTruth truth) {
      Log.info("%s: appending %d rows and deleting %d ids", where.encodingName(),
          appended.size(), deleted.length);
      Timed<DeleteFile> commit = Timed.of(() -> {
        IcebergTables.append(table, List.of(tables.writeDataFile(table, appended.ids(),
            appended.data(), appended.dim(), 0, appended.size())));
        return tables.deleteIds(table, deleted);
      });
      Timed<SnapshotIndex> viaOld = Timed.of(() -> lake.open(SnapshotRef.current()));
      Coverage coverage;
      try (SnapshotIndex index = viaOld.value()) {
        coverage = index.coverage();
        Log.info("%s: opened the changed snapshot through the old bundle in %.1f ms: %s",
            where.encodingName(), viaOld.seconds() * 1e3, coverage);
        searchLakeann(index, State.CHANGED, truth);
      }
      BuildResult refresh = lake.build();
      try (SnapshotIndex index = lake.open(SnapshotRef.current())) {
        searchLakeann(index, State.REFRESHED, truth);
      }
      IndexConfig config = lake.config();
      BuildResult full = lake.config(config.toBuilder().seed(config.seed() + 1).build()).build();
      Log.info("%s: refresh %.2f s (%d reused, %d built, %d remasked), full rebuild %.2f s",
          where.encodingName(), refresh.seconds(), refresh.shardsReused(), refresh.shardsBuilt(),
          refresh.shardsRemasked(), full.seconds());
      return new IcebergResults.Change(appended.size(), deleted.length, commit.seconds(),
          viaOld.seconds() * 1e3, coverage, refresh, full);
    }

    private void searchLakeann(SnapshotIndex index, State state, GroundTruth truth) {
      Coverage c = index.coverage();
      Log.info("%s: timing lakeann search of the %s snapshot", where.encodingName(), state.key);
      searched(new Search(Search.LAKEANN, state, c.indexedRows() + c.deltaRows(), options.k,
          Measured.of((q, k) -> ids(index.search(q, SearchParams.topK(k))), data.queries(),
              data.queries().length, options.k, truth, options.timing)));
    }

    private void searched(Search search) {
      searches.add(search);
      print(search.fields(where));
    }
  }
}
