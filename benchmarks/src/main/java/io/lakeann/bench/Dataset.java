package io.lakeann.bench;

import io.lakeann.core.VectorSet;
import io.lakeann.core.data.SyntheticVectors;
import io.lakeann.core.data.VecsFiles;
import java.nio.file.Path;

/**
 * The rows and queries of one benchmark run, from a synthetic spec or from fvecs files. Base row
 * {@code r} has id {@code r}, so ids, row numbers and ivecs ground truth all agree. Immutable (the
 * arrays are shared and never modified).
 */
final class Dataset {
  private final String name;
  private final boolean synthetic;
  private final VectorSet base;
  private final float[][] queries;

  private Dataset(String name, boolean synthetic, VectorSet base, float[][] queries) {
    this.name = name;
    this.synthetic = synthetic;
    this.base = base;
    this.queries = queries;
  }

  static Dataset load(CoreOptions options) {
    return options.synthetic != null ? synthetic(options.datasetName, options.synthetic)
        : files(options.datasetName, options.base, options.queries);
  }

  /** Base rows from stream {@code seed}, queries from stream {@code ~seed} of the same clusters. */
  static Dataset synthetic(String name, SyntheticSpec spec) {
    SyntheticVectors gen = spec.generator();
    VectorSet base = gen.vectorSet(name, spec.n(), spec.seed());
    float[][] queries = SyntheticVectors.rows(gen.points(spec.queries(), ~spec.seed()),
        spec.dim());
    return new Dataset(name, true, base, queries);
  }

  static Dataset files(String name, Path baseFile, Path queryFile) {
    VecsFiles.Floats base = VecsFiles.readFvecs(baseFile);
    VecsFiles.Floats queries = VecsFiles.readFvecs(queryFile);
    if (queries.dim != base.dim) {
      throw new UsageException("--queries %s has dimension %d but --base %s has %d; pass query"
          + " and base files of the same dataset", queryFile, queries.dim, baseFile, base.dim);
    }
    long[] ids = new long[base.count()];
    for (int r = 0; r < ids.length; r++) {
      ids[r] = r;
    }
    return new Dataset(name, false, VectorSet.of(name, ids, base.data, base.dim),
        SyntheticVectors.rows(queries.data, queries.dim));
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

  /** The queries; shared, do not modify. */
  float[][] queries() {
    return queries;
  }
}
