package io.lakeann.bench;

import io.lakeann.core.data.SyntheticVectors;
import io.lakeann.spark.cli.UsageException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The value of {@code --synthetic}: {@code n=...,dim=...,clusters=...,queries=...,seed=...} and
 * optionally {@code spread=...} (noise per dimension around each cluster centre; default
 * {@value #DEFAULT_SPREAD}). {@code benchmarks/run core} also takes {@code shape=gaussian} (every
 * coordinate standard normal) and {@code shape=uniform} (every coordinate uniform in [0, 1)): data
 * without cluster structure, where {@code clusters} and {@code spread} do not apply. Immutable
 * (serializable, so Spark tasks can generate rows from it); {@link #parse} and {@link #parseShaped}
 * check every key and value.
 */
record SyntheticSpec(Shape shape, int n, int dim, int clusters, int queries, long seed,
    float spread) implements java.io.Serializable {
  static final float DEFAULT_SPREAD = 1.0f;
  /** Queries of a {@link #parseShaped} spec that names none: one batch of the core benchmark. */
  static final int DEFAULT_QUERIES = 10_000;
  static final long DEFAULT_SEED = 7;
  private static final String EXAMPLE = "n=1000000,dim=128,clusters=1000,queries=1000,seed=7";
  private static final String SHAPED_EXAMPLE = "n=100000,dim=128,shape=gaussian";

  /** How the rows are drawn. */
  enum Shape {
    /** Gaussian clusters around random centres ({@link SyntheticVectors}). */
    CLUSTERED,
    /** Every coordinate standard normal, independently: no structure at all. */
    GAUSSIAN,
    /** Every coordinate uniform in [0, 1), independently. */
    UNIFORM;

    String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A clustered spec. */
  SyntheticSpec(int n, int dim, int clusters, int queries, long seed, float spread) {
    this(Shape.CLUSTERED, n, dim, clusters, queries, seed, spread);
  }

  /**
   * A spec of {@code benchmarks/run core}: {@code n} and {@code dim} required; {@code shape}
   * (clustered, gaussian or uniform; default clustered), {@code queries} (default
   * {@value #DEFAULT_QUERIES}) and {@code seed} (default {@value #DEFAULT_SEED}) optional;
   * {@code clusters} required and {@code spread} allowed for clustered data only.
   */
  static SyntheticSpec parseShaped(String spec) {
    Map<String, String> values = keyValues(spec, List.of("n", "dim"),
        List.of("shape", "clusters", "queries", "seed", "spread"), SHAPED_EXAMPLE);
    Shape shape = values.containsKey("shape") ? shape(spec, values.get("shape")) : Shape.CLUSTERED;
    if (shape == Shape.CLUSTERED && !values.containsKey("clusters")) {
      throw new UsageException("--synthetic %s: clustered data needs clusters=N (or give"
          + " shape=gaussian or shape=uniform for data without clusters), e.g. %s", spec, EXAMPLE);
    }
    if (shape != Shape.CLUSTERED && (values.containsKey("clusters")
        || values.containsKey("spread"))) {
      throw new UsageException("--synthetic %s: shape=%s has no clusters; drop clusters= and"
          + " spread=", spec, shape.key());
    }
    int n = positiveInt(spec, "n", values.get("n"));
    int dim = positiveInt(spec, "dim", values.get("dim"));
    checkFitsOneArray(spec, n, dim);
    return new SyntheticSpec(shape, n, dim,
        shape == Shape.CLUSTERED ? positiveInt(spec, "clusters", values.get("clusters")) : 0,
        values.containsKey("queries") ? positiveInt(spec, "queries", values.get("queries"))
            : DEFAULT_QUERIES,
        values.containsKey("seed") ? seed(spec, values.get("seed")) : DEFAULT_SEED,
        values.containsKey("spread") ? spread(spec, values.get("spread")) : DEFAULT_SPREAD);
  }

  /** A clustered spec with every key but {@code spread} required (the iceberg benchmark's). */
  static SyntheticSpec parse(String spec) {
    Map<String, String> values = keyValues(spec,
        List.of("n", "dim", "clusters", "queries", "seed"), List.of("spread"), EXAMPLE);
    int n = positiveInt(spec, "n", values.get("n"));
    int dim = positiveInt(spec, "dim", values.get("dim"));
    checkFitsOneArray(spec, n, dim);
    return new SyntheticSpec(n, dim, positiveInt(spec, "clusters", values.get("clusters")),
        positiveInt(spec, "queries", values.get("queries")), seed(spec, values.get("seed")),
        values.containsKey("spread") ? spread(spec, values.get("spread")) : DEFAULT_SPREAD);
  }

  /**
   * The values of {@code spec} ({@code key=value,...}) by lower-case key: every key of
   * {@code required} present, others only from {@code optional}, none twice.
   *
   * @param example a good spec, for the messages
   * @throws UsageException naming the bad part and the fix
   */
  static Map<String, String> keyValues(String spec, List<String> required, List<String> optional,
      String example) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String part : spec.split(",", -1)) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new UsageException("--synthetic %s: '%s' is not key=value; write it like %s",
            spec, part, example);
      }
      String key = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      if (!required.contains(key) && !optional.contains(key)) {
        throw new UsageException("--synthetic %s: unknown key '%s' (use %s and optionally %s)",
            spec, key, String.join(", ", required), String.join(", ", optional));
      }
      if (values.put(key, part.substring(eq + 1).trim()) != null) {
        throw new UsageException("--synthetic %s: key '%s' appears twice; give it once", spec, key);
      }
    }
    for (String key : required) {
      if (!values.containsKey(key)) {
        throw new UsageException("--synthetic %s: missing key '%s'; write it like %s",
            spec, key, example);
      }
    }
    return values;
  }

  /** Refuses {@code n} rows of {@code dim} floats that one Java array cannot hold. */
  static void checkFitsOneArray(String spec, int n, int dim) {
    if ((long) n * dim > Integer.MAX_VALUE - 16) {
      throw new UsageException("--synthetic %s: n * dim = %d floats do not fit one Java array; "
          + "use n * dim < 2^31", spec, (long) n * dim);
    }
  }

  /** The generator of this spec's clusters; streams drawn from it are named by their own seeds. */
  SyntheticVectors generator() {
    return new SyntheticVectors(dim, clusters, spread, seed);
  }

  /** A file-name-safe name that identifies the data (queries do not change the base rows). */
  String datasetName() {
    if (shape != Shape.CLUSTERED) {
      return String.format(Locale.ROOT, "synthetic-%s-n%d-dim%d-seed%d", shape.key(), n, dim,
          seed);
    }
    String base = String.format(Locale.ROOT, "synthetic-n%d-dim%d-clusters%d-seed%d",
        n, dim, clusters, seed);
    return spread == DEFAULT_SPREAD ? base
        : base + "-spread" + Float.toString(spread).replace('.', '_');
  }

  private static Shape shape(String spec, String value) {
    for (Shape shape : Shape.values()) {
      if (shape.key().equals(value.toLowerCase(Locale.ROOT))) {
        return shape;
      }
    }
    throw new UsageException("--synthetic %s: shape=%s is not clustered, gaussian or uniform",
        spec, value);
  }

  static int positiveInt(String spec, String key, String value) {
    return (int) FlagValues.wholeNumber(value, 1, Integer.MAX_VALUE,
        "--synthetic %s: %s=%s is not a whole number >= 1", spec, key, value);
  }

  static long seed(String spec, String value) {
    return FlagValues.wholeNumber(value, Long.MIN_VALUE, Long.MAX_VALUE,
        "--synthetic %s: seed=%s is not a whole number", spec, value);
  }

  static float spread(String spec, String value) {
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
