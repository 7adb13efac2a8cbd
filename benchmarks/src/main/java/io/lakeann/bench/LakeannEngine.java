package io.lakeann.bench;

import io.lakeann.core.IndexConfig;
import io.lakeann.core.RabitqIndex;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * lakeann's IVF-RaBitQ index in two configurations, each built once and then measured over an
 * nprobe sweep: the defaults (1-bit codes, float32 originals kept for exact re-ranking) and a
 * compact one (6 extra bits per dimension, no originals: 7-bit codes rank well enough alone).
 * The default config at the index's own default nprobe is marked {@code "default": true}.
 */
final class LakeannEngine implements Engine {
  static final String NAME = "lakeann-rabitq";
  private static final int COMPACT_EX_BITS = 6;

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
    Log.info("%s: built in %.2f s, nlist %d, default nprobe %d", NAME, seconds, index.nlist(),
        index.defaultNprobe());
    BuildStats build = new BuildStats(seconds, index.bytesPerVector(false),
        index.bytesPerVector(true), (double) heap / data.size());
    Params common = Params.of()
        .with("exBits", config.exBits())
        .with("storeOriginals", config.storeOriginals())
        .with("nlist", index.nlist());
    for (int nprobe : nprobes(context.options().nprobes, index)) {
      Params params = common.with("nprobe", nprobe);
      if (isDefault && nprobe == index.defaultNprobe()) {
        params = params.with(ResultLine.DEFAULT_KEY, true);
      }
      Measured measured = Measured.of((q, k) -> index.search(q).k(k).nprobe(nprobe).run().ids(),
          data.queries(), data.queries().length, context.info().k(), context.truth());
      sink.accept(new ResultLine(context.info(), NAME, series(config), params, build, measured));
    }
  }

  /** The requested nprobes capped at nlist, plus the index's default, ascending, each once. */
  private static List<Integer> nprobes(List<Integer> requested, RabitqIndex index) {
    TreeSet<Integer> values = new TreeSet<>();
    for (int nprobe : requested) {
      values.add(Math.min(nprobe, index.nlist()));
    }
    values.add(index.defaultNprobe());
    return List.copyOf(values);
  }
}
