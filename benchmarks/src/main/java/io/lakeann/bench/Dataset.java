package io.lakeann.bench;

import io.lakeann.core.VectorSet;
import io.lakeann.core.data.SyntheticVectors;
import io.lakeann.core.data.VecsFiles;
import io.lakeann.core.util.SplitMix64;
import io.lakeann.spark.cli.UsageException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The rows and queries of one benchmark run, from a synthetic spec or from fvecs files. Base row
 * {@code r} has id {@code r}, so ids, row numbers and ivecs ground truth all agree. The batch
 * queries are the first {@code --batch-queries} of the source; the first {@code --truth-queries}
 * of those have ground truth, and the single queries, timed one at a time, are the first
 * {@code --single-queries} of these, so query {@code q} is the same query everywhere. Immutable (the arrays are shared and never modified).
 */
final class Dataset {
  private final String name;
  private final boolean synthetic;
  private final VectorSet base;
  private final float[][] batchQueries;
  private final float[][] truthQueries;
  private final float[][] queries;
  private final int sourceQueries;

  /** How many of the source's queries each use takes (each capped by the one before). */
  record Counts(int batch, int truth, int single) {
    static final Counts ALL = new Counts(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);
  }

  private Dataset(String name, boolean synthetic, VectorSet base, float[][] allQueries,
      Counts counts) {
    this.name = name;
    this.synthetic = synthetic;
    this.base = base;
    this.sourceQueries = allQueries.length;
    this.batchQueries = Arrays.copyOf(allQueries, Math.min(counts.batch(), allQueries.length));
    this.truthQueries = Arrays.copyOf(batchQueries,
        Math.min(counts.truth(), batchQueries.length));
    this.queries = Arrays.copyOf(truthQueries, Math.min(counts.single(), truthQueries.length));
  }

  static Dataset load(CoreOptions options) {
    Counts counts = new Counts(options.batchQueries, options.truthQueries,
        options.singleQueries);
    return options.synthetic != null
        ? synthetic(options.datasetName, options.synthetic, counts)
        : files(options.datasetName, options.base, options.queries, counts);
  }

  /** {@code spec}'s rows and all its queries, each query single, in the batch and with truth. */
  static Dataset synthetic(String name, SyntheticSpec spec) {
    return synthetic(name, spec, Counts.ALL);
  }

  /**
   * Base rows from stream {@code seed}, queries from stream {@code ~seed} of the same
   * distribution (the same clusters, for clustered data).
   */
  static Dataset synthetic(String name, SyntheticSpec spec, Counts counts) {
    int dim = spec.dim();
    float[] base;
    float[] queries;
    if (spec.shape() == SyntheticSpec.Shape.CLUSTERED) {
      SyntheticVectors gen = spec.generator();
      base = gen.points(spec.n(), spec.seed());
      queries = gen.points(spec.queries(), ~spec.seed());
    } else {
      base = unstructured(spec.shape(), spec.n(), dim, spec.seed());
      queries = unstructured(spec.shape(), spec.queries(), dim, ~spec.seed());
    }
    long[] ids = rowIds(spec.n());
    return new Dataset(name, true, VectorSet.of(name, ids, base, dim),
        SyntheticVectors.rows(queries, dim), counts);
  }

  /**
   * {@code n} rows of {@code dim} independent coordinates, standard normal or uniform in [0, 1),
   * row-major; row {@code r} comes from its own stream of {@code seed}, so it is a function of
   * ({@code seed}, r) alone.
   */
  static float[] unstructured(SyntheticSpec.Shape shape, int n, int dim, long seed) {
    float[] out = new float[Math.multiplyExact(n, dim)];
    for (int r = 0; r < n; r++) {
      SplitMix64 random = SplitMix64.forPurpose(seed, r);
      for (int d = 0; d < dim; d++) {
        out[r * dim + d] = shape == SyntheticSpec.Shape.GAUSSIAN ? (float) random.nextGaussian()
            : random.nextFloat();
      }
    }
    return out;
  }

  static Dataset files(String name, Path baseFile, Path queryFile, Counts counts) {
    VecsFiles.Floats base = VecsFiles.readFvecs(baseFile);
    VecsFiles.Floats queries = VecsFiles.readFvecs(queryFile);
    if (queries.dim != base.dim) {
      throw new UsageException("--queries %s has dimension %d but --base %s has %d; pass query"
          + " and base files of the same dataset", queryFile, queries.dim, baseFile, base.dim);
    }
    return new Dataset(name, false, VectorSet.of(name, rowIds(base.count()), base.data, base.dim),
        SyntheticVectors.rows(queries.data, queries.dim), counts);
  }

  private static long[] rowIds(int n) {
    long[] ids = new long[n];
    for (int r = 0; r < n; r++) {
      ids[r] = r;
    }
    return ids;
  }

  /** Names the doc section and the plot file. */
  String name() {
    return name;
  }

  boolean isSynthetic() {
    return synthetic;
  }

  VectorSet base() {
    return base;
  }

  int size() {
    return base.size();
  }

  int dim() {
    return base.dim();
  }

  /** The queries timed one at a time: the first of {@link #truthQueries()}; do not modify. */
  float[][] queries() {
    return queries;
  }

  /** The queries with ground truth: the first of the batch; shared, do not modify. */
  float[][] truthQueries() {
    return truthQueries;
  }

  /** The queries of one batch; shared, do not modify. */
  float[][] batchQueries() {
    return batchQueries;
  }

  /** How many queries the source (spec or file) has, before any cap. */
  int sourceQueries() {
    return sourceQueries;
  }
}
