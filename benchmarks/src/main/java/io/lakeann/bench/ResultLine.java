package io.lakeann.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measured engine setting: what was run, what building it cost and how it searched. Printed as
 * one JSON line; the report and the plot read the same values. Immutable.
 *
 * @param engine engine name, e.g. {@code lakeann-rabitq}
 * @param series the curve this point belongs to: the engine and its build-time knobs
 * @param params every knob of this setting
 * @param mode {@link #SINGLE} (queries one at a time) or {@link #BATCH} (one batch, one thread)
 * @param kernels the SIMD code the engine ran with: lakeann's kernels, or the peer library's
 *     vectorization provider
 */
record ResultLine(RunInfo run, String engine, String series, Params params, BuildStats build,
    Measured measured, String mode, String kernels) {

  /** Key of {@code params} that marks the setting a user gets without tuning. */
  static final String DEFAULT_KEY = "default";
  static final String SINGLE = "single";
  static final String BATCH = "batch";

  /** A single-query line run with lakeann's kernels. */
  ResultLine(RunInfo run, String engine, String series, Params params, BuildStats build,
      Measured measured) {
    this(run, engine, series, params, build, measured, SINGLE, run.kernels());
  }

  boolean isDefault() {
    return Boolean.TRUE.equals(params.get(DEFAULT_KEY));
  }

  boolean isBatch() {
    return BATCH.equals(mode);
  }

  /** The fields of the JSON line, in print order; NaN values are left out. */
  Map<String, Object> fields() {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("type", "result");
    f.put("engine", engine);
    f.put("mode", mode);
    f.put("params", params.asMap());
    f.put("dataset", run.dataset());
    f.put("n", run.n());
    f.put("dim", run.dim());
    f.put("metric", run.metricName());
    f.put("k", run.k());
    measured.addTo(f);
    f.put("build_seconds", Json.round(build.seconds(), 3));
    f.put("build_threads", run.buildThreads());
    f.put("bytes_per_vector", Json.round(build.bytesPerVector(), 1));
    putIfKnown(f, "bytes_per_vector_with_originals", build.bytesPerVectorWithOriginals());
    putIfKnown(f, "heap_bytes_per_vector", build.heapBytesPerVector());
    f.put("kernels", kernels);
    f.put("jvm", run.jvm());
    return f;
  }

  private static void putIfKnown(Map<String, Object> f, String key, double value) {
    if (!Double.isNaN(value)) {
      f.put(key, Json.round(value, 1));
    }
  }
}
