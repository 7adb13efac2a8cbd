package io.lakeann.bench;

import io.lakeann.core.data.SyntheticVectors;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The value of {@code --synthetic}: {@code n=...,dim=...,clusters=...,queries=...,seed=...} and
 * optionally {@code spread=...} (noise per dimension around each cluster centre; default
 * {@value #DEFAULT_SPREAD}). Immutable; {@link #parse} checks every key and value.
 */
record SyntheticSpec(int n, int dim, int clusters, int queries, long seed, float spread) {
  static final float DEFAULT_SPREAD = 1.0f;
  private static final String EXAMPLE = "n=1000000,dim=128,clusters=1000,queries=1000,seed=7";

  static SyntheticSpec parse(String spec) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String part : spec.split(",", -1)) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new UsageException("--synthetic %s: '%s' is not key=value; write it like %s",
            spec, part, EXAMPLE);
      }
      String key = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      if (!key.matches("n|dim|clusters|queries|seed|spread")) {
        throw new UsageException("--synthetic %s: unknown key '%s' (use n, dim, clusters, queries,"
            + " seed and optionally spread)", spec, key);
      }
      if (values.put(key, part.substring(eq + 1).trim()) != null) {
        throw new UsageException("--synthetic %s: key '%s' appears twice; give it once", spec, key);
      }
    }
    for (String key : new String[] {"n", "dim", "clusters", "queries", "seed"}) {
      if (!values.containsKey(key)) {
        throw new UsageException("--synthetic %s: missing key '%s'; write it like %s",
            spec, key, EXAMPLE);
      }
    }
    int n = positiveInt(spec, "n", values.get("n"));
    int dim = positiveInt(spec, "dim", values.get("dim"));
    int clusters = positiveInt(spec, "clusters", values.get("clusters"));
    int queries = positiveInt(spec, "queries", values.get("queries"));
    long seed = seed(spec, values.get("seed"));
    float spread = values.containsKey("spread") ? spread(spec, values.get("spread"))
        : DEFAULT_SPREAD;
    if ((long) n * dim > Integer.MAX_VALUE - 16) {
      throw new UsageException("--synthetic %s: n * dim = %d floats do not fit one Java array; "
          + "use n * dim < 2^31", spec, (long) n * dim);
    }
    return new SyntheticSpec(n, dim, clusters, queries, seed, spread);
  }

  /** The generator of this spec's clusters; streams drawn from it are named by their own seeds. */
  SyntheticVectors generator() {
    return new SyntheticVectors(dim, clusters, spread, seed);
  }

  /** A file-name-safe name that identifies the data (queries do not change the base rows). */
  String datasetName() {
    String base = String.format(Locale.ROOT, "synthetic-n%d-dim%d-clusters%d-seed%d",
        n, dim, clusters, seed);
    return spread == DEFAULT_SPREAD ? base
        : base + "-spread" + Float.toString(spread).replace('.', '_');
  }

  private static int positiveInt(String spec, String key, String value) {
    return (int) UsageException.wholeNumber(value, 1, Integer.MAX_VALUE,
        "--synthetic %s: %s=%s is not a whole number >= 1", spec, key, value);
  }

  private static long seed(String spec, String value) {
    return UsageException.wholeNumber(value, Long.MIN_VALUE, Long.MAX_VALUE,
        "--synthetic %s: seed=%s is not a whole number", spec, value);
  }

  private static float spread(String spec, String value) {
    float v;
    try {
      v = Float.parseFloat(value);
    } catch (NumberFormatException e) {
      v = Float.NaN;
    }
    if (!Float.isFinite(v) || v <= 0) {
      throw new UsageException("--synthetic %s: spread=%s is not a number > 0 (default %s)",
          spec, value, DEFAULT_SPREAD);
    }
    return v;
  }
}
