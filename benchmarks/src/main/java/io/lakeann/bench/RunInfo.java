package io.lakeann.bench;

import io.lakeann.core.Metric;

/**
 * The facts shared by every result line of one run: which data, which metric and k, how many
 * queries single and in a batch, how many build threads, which lakeann kernels and which JVM.
 * Immutable.
 *
 * @param queries queries timed one at a time
 * @param batchQueries queries of one batch
 * @param kernels lakeann's kernels in this JVM ({@code panama-512}, {@code scalar}, ...)
 * @param jvm the JVM's line, e.g. {@code Java 25} (see {@link #jvmOfThisProcess})
 */
record RunInfo(String dataset, boolean synthetic, int n, int dim, Metric metric, int k,
    int queries, int batchQueries, int buildThreads, String kernels, String jvm) {

  /** The metric as the {@code --metric} flag spells it. */
  String metricName() {
    return metric.shortName();
  }

  /** {@code Java N}, N the feature release of the running JVM. */
  static String jvmOfThisProcess() {
    return "Java " + Runtime.version().feature();
  }

  /**
   * The name of this run's doc section and plots: the dataset, the JVM and lakeann's kernels,
   * e.g. {@code sift5k-java25-panama-512}, so runs on other JVMs keep their own sections.
   */
  String sectionName() {
    return FlagValues.datasetName(dataset + "-java" + jvm.replaceAll("[^0-9]", "") + "-"
        + kernels.replaceAll("[^A-Za-z0-9._-]", "_"));
  }

  /** The run's JVM and lakeann kernels, e.g. {@code Java 25, panama-512}: what tells runs apart. */
  String runtime() {
    return jvm + ", " + kernels;
  }
}
