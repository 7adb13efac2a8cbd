package io.lakeann.bench;

import io.lakeann.core.ExactSearch;
import java.util.function.Consumer;

/**
 * The exact SIMD scan ({@link ExactSearch}) as a baseline. A scan of a large base is slow, so only
 * the first {@code --exact-queries} queries are timed; the params say how many.
 */
final class ExactEngine implements Engine {
  static final String NAME = "exact";

  @Override
  public void run(RunContext context, Consumer<ResultLine> sink) {
    Dataset data = context.dataset();
    long start = System.nanoTime();
    ExactSearch exact = new ExactSearch(data.base(), context.info().metric());
    double seconds = Clock.secondsSince(start);
    int count = Math.min(context.options().exactQueries, data.queries().length);
    Log.info("%s: timing the first %d of %d queries", NAME, count, data.queries().length);
    Measured measured = Measured.of((q, k) -> exact.search(q, k, null).ids(), data.queries(),
        count, context.info().k(), context.truth());
    // The scan holds the float32 rows and their long ids, nothing more.
    BuildStats build = new BuildStats(seconds, (double) data.dim() * Float.BYTES + Long.BYTES,
        Double.NaN, Double.NaN);
    sink.accept(new ResultLine(context.info(), NAME, NAME,
        Params.of().with("first_queries", count), build, measured));
  }
}
