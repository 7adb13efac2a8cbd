package io.lakeann.bench;

import io.lakeann.core.IndexConfig;
import io.lakeann.core.RabitqIndex;
import io.lakeann.core.SearchRequest;
import io.lakeann.core.format.RbpxFile;
import io.lakeann.core.format.RbpxHeader;
import io.lakeann.core.format.RbpxReader;
import io.lakeann.core.format.RbpxWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * lakeann's IVF-RaBitQ index in two configurations, each built once and then measured over a
 * recall-target sweep (the user's knob: each shard's calibration sets the effort) and an nprobe
 * sweep (the expert override): the defaults (1-bit codes, float32 originals kept for exact
 * re-ranking) and a compact one (6 extra bits per dimension, no originals: 7-bit codes rank well
 * enough alone). The default config searched as a user would, with no recall target or nprobe
 * given (target 0.95), is marked {@code "default": true}.
 */
final class LakeannEngine implements Engine {
  static final String NAME = "lakeann-rabitq";
  private static final int COMPACT_EX_BITS = 6;
  /** Loads timed after a save; the best is reported. */
  private static final int LOAD_ATTEMPTS = 3;
  /** Recall targets swept beside the nprobes. */
  private static final double[] RECALL_TARGETS = {0.85, 0.90, 0.98, 0.99};

  @Override
  public void run(RunContext context, Consumer<ResultLine> sink) {
    IndexConfig defaults = IndexConfig.defaults().toBuilder()
        .metric(context.info().metric())
        .threads(context.info().buildThreads())
        .build();
    IndexConfig compact = defaults.toBuilder()
        .exBits(COMPACT_EX_BITS)
        .storeOriginals(false)
        .build();
    measure(context, defaults, true, sink);
    measure(context, compact, false, sink);
  }

  /** A legend label for the curve of {@code config}. */
  private static String series(IndexConfig config) {
    return "lakeann exBits=" + config.exBits()
        + (config.storeOriginals() ? ", originals (exact re-rank)" : ", no originals");
  }

  private static void measure(RunContext context, IndexConfig config, boolean isDefault,
      Consumer<ResultLine> sink) {
    Dataset data = context.dataset();
    Log.info("%s: building %s on %d threads", NAME, series(config), config.threads());
    long heapBefore = HeapMeter.usedAfterGc();
    long start = System.nanoTime();
    RabitqIndex index = RabitqIndex.build(data.base(), config);
    double seconds = Clock.secondsSince(start);
    long heap = HeapMeter.usedAfterGc() - heapBefore;
    Log.info("%s: built in %.2f s, nlist %d, %s", NAME, seconds, index.nlist(),
        index.calibration());
    BuildStats build = new BuildStats(seconds, index.bytesPerVector(false),
        index.bytesPerVector(true), (double) heap / data.size());
    if (isDefault && context.options().save != null) {
      saveAndLoad(context, index, seconds);
    }
    Params common = Params.of()
        .with("exBits", config.exBits())
        .with("storeOriginals", config.storeOriginals())
        .with("nlist", index.nlist());
    Params atDefaults = common.with("recall", SearchRequest.DEFAULT_RECALL);
    if (isDefault) {
      atDefaults = atDefaults.with(ResultLine.DEFAULT_KEY, true);
    }
    sink.accept(new ResultLine(context.info(), NAME, series(config), atDefaults, build,
        Measured.of((q, k) -> index.search(q).k(k).run().ids(), data.queries(),
            data.queries().length, context.info().k(), context.truth())));
    for (double target : RECALL_TARGETS) {
      Measured measured = Measured.of((q, k) -> index.search(q).k(k).recall(target).run().ids(),
          data.queries(), data.queries().length, context.info().k(), context.truth());
      sink.accept(new ResultLine(context.info(), NAME, series(config),
          common.with("recall", target), build, measured));
    }
    for (int nprobe : nprobes(context.options().nprobes, index.nlist())) {
      Params params = common.with("nprobe", nprobe);
      Measured measured = Measured.of((q, k) -> index.search(q).k(k).nprobe(nprobe).run().ids(),
          data.queries(), data.queries().length, context.info().k(), context.truth());
      sink.accept(new ResultLine(context.info(), NAME, series(config), params, build, measured));
    }
  }

  /**
   * Writes {@code index} to the {@code --save} file, reads it back (verifying every hash) and
   * reports both times beside the build time, with a check that the loaded index answers like
   * the built one. The file is read right after it was written, so from the page cache.
   */
  private static void saveAndLoad(RunContext context, RabitqIndex index, double buildSeconds) {
    Path file = context.options().save;
    byte[] identity = context.info().dataset().getBytes(StandardCharsets.UTF_8);
    long start = System.nanoTime();
    RbpxHeader written = RbpxWriter.write(file, index, identity, null, List.of());
    double writeSeconds = Clock.secondsSince(start);
    double loadSeconds = Double.POSITIVE_INFINITY;
    RbpxFile loaded = null;
    for (int attempt = 0; attempt < LOAD_ATTEMPTS; attempt++) {
      loaded = null; // let the previous copy go before timing the next load
      HeapMeter.usedAfterGc();
      start = System.nanoTime();
      loaded = RbpxReader.read(file, context.info().buildThreads());
      loadSeconds = Math.min(loadSeconds, Clock.secondsSince(start));
    }
    for (float[] q : context.dataset().queries()) {
      if (!index.search(q).k(context.info().k()).run()
          .equals(loaded.index().search(q).k(context.info().k()).run())) {
        throw new IllegalStateException("the index loaded from " + file
            + " answers differently from the one built; the rbpx round trip is broken");
      }
    }
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("type", "persistence");
    line.put("engine", NAME);
    line.put("dataset", context.info().dataset());
    line.put("file", file.toString());
    line.put("file_bytes", fileSize(file));
    line.put("witness", written.witness().toString());
    line.put("build_seconds", Json.round(buildSeconds, 3));
    line.put("write_seconds", Json.round(writeSeconds, 3));
    line.put("load_seconds", Json.round(loadSeconds, 3));
    line.put("load_threads", context.info().buildThreads());
    line.put("build_over_load", Json.round(buildSeconds / loadSeconds, 1));
    context.print().accept(line);
    context.notes().add(String.format(Locale.ROOT, "Persistence (`--save`): the default index"
        + " written as rbpx (%s bytes) in %.2f s; loaded back with every hash verified in %.2f s"
        + " (best of %d, file in the page cache, %d threads) = %.1f× faster than building it"
        + " (%.2f s). Target for 1M × 128: ≥ 10×.", fileSize(file), writeSeconds, loadSeconds,
        LOAD_ATTEMPTS, context.info().buildThreads(), buildSeconds / loadSeconds,
        buildSeconds));
  }

  private static long fileSize(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The requested nprobes capped at nlist, ascending, each once. */
  static List<Integer> nprobes(List<Integer> requested, int nlist) {
    TreeSet<Integer> values = new TreeSet<>();
    for (int nprobe : requested) {
      values.add(Math.min(nprobe, nlist));
    }
    return List.copyOf(values);
  }
}
