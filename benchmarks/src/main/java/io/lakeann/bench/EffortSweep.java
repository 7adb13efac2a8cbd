package io.lakeann.bench;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Measures one built index over a sweep of its search effort (ef, nprobe, rerank depth), in
 * ascending order: the single queries at every point and the batch at every point until one of
 * them reaches {@code --batch-stop-recall} (the points after it only cost more time for recall
 * the report no longer asks about; how many were left out is logged). Every measurement becomes
 * one result line for the sink. Immutable.
 *
 * @param context the run
 * @param engine engine name of the lines
 * @param series the curve the lines belong to
 * @param knob the name of the swept parameter in the params
 * @param common the params every point shares (build-time knobs)
 * @param build what building the index cost
 * @param kernels the SIMD code the engine runs with, for the lines
 */
record EffortSweep(RunContext context, String engine, String series, String knob, Params common,
    BuildStats build, String kernels) {
  /**
   * Timing of every point but the first single one: the search path is compiled by then, so a
   * short warm-up does (it keeps a run of the whole matrix within its time budget).
   */
  static final Measured.Timing WARM = new Measured.Timing(0.25, 0.5);

  /**
   * Single queries and the batch at each of {@code efforts}; {@code batchAt} gives the batch
   * search at an effort ({@code null}: the engine has none, so a batch loops single searches).
   */
  void run(List<Integer> efforts, IntFunction<Searcher> singleAt,
      IntFunction<BatchSearcher> batchAt, Consumer<ResultLine> sink) {
    RunInfo info = context.info();
    Dataset data = context.dataset();
    boolean batches = true;
    int skipped = 0;
    for (int effort : efforts) {
      Params params = common.with(knob, effort);
      Searcher single = singleAt.apply(effort);
      Measured measured = Measured.of(single, data.queries(), data.queries().length, info.k(),
          context.truth(), effort == efforts.get(0) ? Measured.Timing.DEFAULT : WARM);
      sink.accept(new ResultLine(info, engine, series, params, build, measured,
          ResultLine.SINGLE, kernels));
      if (!batches) {
        skipped++;
        continue;
      }
      BatchSearcher batch = batchAt == null ? BatchSearcher.looping(single)
          : batchAt.apply(effort);
      batches = batch(params, batch, sink) < context.options().batchStopRecall;
    }
    if (skipped > 0) {
      Log.info("%s: %s: batch not timed at the %d highest %s values (an earlier one reached"
          + " recall %.2f)", engine, series, skipped, knob, context.options().batchStopRecall);
    }
  }

  /**
   * The batch alone at each of {@code efforts}, stopping as {@link #run} does, then at
   * {@code defaults} (when not null) marked {@code "default": true}: for an engine whose single
   * queries are measured elsewhere (before, so its search path is compiled).
   */
  void runBatches(List<Integer> efforts, IntFunction<BatchSearcher> batchAt,
      BatchSearcher defaults, Consumer<ResultLine> sink) {
    for (int effort : efforts) {
      if (batch(common.with(knob, effort), batchAt.apply(effort), sink)
          >= context.options().batchStopRecall) {
        break;
      }
    }
    if (defaults != null) {
      batch(common.with(ResultLine.DEFAULT_KEY, true), defaults, sink);
    }
  }

  /** Times one batch of all batch queries; its recall. */
  private double batch(Params params, BatchSearcher batch, Consumer<ResultLine> sink) {
    RunInfo info = context.info();
    Measured measured = Measured.batch(batch, context.dataset().batchQueries(), info.k(),
        context.truth(), WARM);
    sink.accept(new ResultLine(info, engine, series, params, build, measured, ResultLine.BATCH,
        kernels));
    return measured.recall();
  }
}
