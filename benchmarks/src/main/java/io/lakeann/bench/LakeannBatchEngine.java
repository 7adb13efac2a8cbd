package io.lakeann.bench;

import io.lakeann.core.IndexConfig;
import io.lakeann.core.RabitqIndex;
import java.util.function.Consumer;

/**
 * lakeann over a batch of queries on one thread: a loop of single searches, which is how the
 * join searches a shard (index-core has no list-major batch search: it lost to the loop, see
 * docs/index-core.md). The default index configuration, built again here (the single-query
 * engine keeps its own), measured over the nprobe sweep and at the index's own defaults (a
 * request without nprobe: the recall target), which is marked {@code "default": true}.
 */
final class LakeannBatchEngine implements Engine {
  @Override
  public void run(RunContext context, Consumer<ResultLine> sink) {
    RunInfo info = context.info();
    IndexConfig config = IndexConfig.defaults().toBuilder()
        .metric(info.metric())
        .threads(info.buildThreads())
        .build();
    String series = "lakeann exBits=" + config.exBits()
        + (config.storeOriginals() ? ", originals" : ", no originals") + " (batch)";
    Log.info("%s: building %s on %d threads for the batch", LakeannEngine.NAME, series,
        config.threads());
    long heapBefore = HeapMeter.usedAfterGc();
    long start = System.nanoTime();
    RabitqIndex index = RabitqIndex.build(context.dataset().base(), config);
    double seconds = Clock.secondsSince(start);
    long heap = HeapMeter.usedAfterGc() - heapBefore;
    BuildStats build = new BuildStats(seconds, index.bytesPerVector(false),
        index.bytesPerVector(true), (double) heap / index.size());
    Params common = Params.of()
        .with("exBits", config.exBits())
        .with("storeOriginals", config.storeOriginals())
        .with("nlist", index.nlist());
    new EffortSweep(context, LakeannEngine.NAME, series, "nprobe", common, build, info.kernels())
        .runBatches(LakeannEngine.nprobes(context.options().nprobes, index.nlist()),
            nprobe -> BatchSearcher.looping((q, k) -> index.search(q).k(k).nprobe(nprobe).run()
                .ids()),
            BatchSearcher.looping((q, k) -> index.search(q).k(k).run().ids()), sink);
  }
}
