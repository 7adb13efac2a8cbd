package io.lakeann.bench;

import java.util.function.Consumer;

/**
 * One engine under test: builds what it needs over the run's base rows, measures each of its
 * settings with {@link Measured#of} and hands every result line to the sink as soon as it is known.
 */
interface Engine {
  void run(RunContext context, Consumer<ResultLine> sink);
}
