package io.lakeann.bench;

import io.lakeann.core.Metric;

/**
 * The facts shared by every result line of one run: which data, which metric and k, how many build
 * threads, which kernels. Immutable.
 */
record RunInfo(String dataset, boolean synthetic, int n, int dim, Metric metric, int k,
    int queries, int buildThreads, String kernels) {

  /** The metric as the {@code --metric} flag spells it. */
  String metricName() {
    return Flags.metricName(metric);
  }
}
