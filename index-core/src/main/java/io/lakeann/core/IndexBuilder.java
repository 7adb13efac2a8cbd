package io.lakeann.core;

import io.lakeann.core.ivf.KMeans;
import io.lakeann.core.quant.HadamardRotation;
import io.lakeann.core.quant.RabitqEncoder;
import io.lakeann.core.util.LongHashSet;
import io.lakeann.core.util.Parallel;
import io.lakeann.core.witness.ContentFingerprint;
import java.util.Arrays;
import java.util.Locale;

/**
 * Builds a {@link RabitqIndex}: checks ids, trains IVF centroids, assigns rows to lists, and
 * encodes every row in parallel. Every parallel step writes disjoint outputs over chunks whose
 * boundaries do not depend on the thread count, so the result is byte-identical for any number
 * of threads.
 */
final class IndexBuilder {
  /** Rows per parallel encoding chunk. */
  private static final int ENCODE_CHUNK = 2048;

  private IndexBuilder() {}

  static RabitqIndex build(VectorSet vectors, IndexConfig config) {
    int n = vectors.size();
    String source = vectors.source();
    if (n == 0) {
      throw new EmptyInputException(String.format(Locale.ROOT,
          "Cannot build an index over %s: it has no rows%s; add rows before building",
          source, vectors.skippedNulls() > 0
              ? " (" + vectors.skippedNulls() + " null vectors were skipped)" : ""));
    }
    requireUniqueIds(vectors);
    int dim = vectors.dim();
    float[] data = config.metric() == Metric.COSINE ? normalized(vectors) : vectors.data();
    int nlist = config.effectiveNlist(n);
    HadamardRotation rotation = new HadamardRotation(dim, config.seed());
    int paddedDim = rotation.paddedDim();
    int words = paddedDim / 64;
    int exBits = config.exBits();

    try (Parallel parallel = new Parallel(config.threads())) {
      long sampleSize = Math.min((long) n, (long) nlist * config.trainingPointsPerList());
      float[] centroids = KMeans.train(data, n, dim, nlist, config.kmeansIterations(),
          (int) sampleSize, config.seed(), parallel);
      int[] assignment = new int[n];
      KMeans.assign(data, n, dim, centroids, nlist, assignment, parallel);

      int[] listStart = new int[nlist + 1];
      for (int row = 0; row < n; row++) {
        listStart[assignment[row] + 1]++;
      }
      for (int l = 0; l < nlist; l++) {
        listStart[l + 1] += listStart[l];
      }
      int[] rows = new int[n];
      int[] fill = Arrays.copyOf(listStart, nlist);
      for (int row = 0; row < n; row++) {
        rows[fill[assignment[row]]++] = row;
      }

      float[] rotatedCentroids = new float[Math.multiplyExact(nlist, paddedDim)];
      float[] scratch = new float[paddedDim];
      for (int l = 0; l < nlist; l++) {
        rotation.rotate(centroids, l * dim, scratch);
        System.arraycopy(scratch, 0, rotatedCentroids, l * paddedDim, paddedDim);
      }

      long[] ids = new long[n];
      long[] signCodes = new long[Math.multiplyExact(n, words)];
      float[] factors = new float[Math.multiplyExact(n, RabitqEncoder.FACTORS)];
      long[] exPlanes = new long[Math.multiplyExact(n, exBits * words)];
      float[] exFactors = new float[exBits > 0 ? Math.multiplyExact(n, RabitqEncoder.EX_FACTORS)
          : 0];
      float[] originals = config.storeOriginals() ? new float[Math.multiplyExact(n, dim)] : null;
      parallel.forEachChunk(n, ENCODE_CHUNK, (from, to) -> {
        RabitqEncoder encoder = new RabitqEncoder(paddedDim, exBits);
        float[] rotated = new float[paddedDim];
        for (int slot = from; slot < to; slot++) {
          int row = rows[slot];
          int list = assignment[row];
          ids[slot] = vectors.id(row);
          rotation.rotate(data, row * dim, rotated);
          int c = list * paddedDim;
          for (int i = 0; i < paddedDim; i++) {
            rotated[i] -= rotatedCentroids[c + i];
          }
          encoder.encode(rotated, slot, signCodes, factors, exPlanes, exFactors);
          if (originals != null) {
            System.arraycopy(data, row * dim, originals, slot * dim, dim);
          }
        }
      });
      RabitqIndex index = RabitqIndex.fromParts(new IndexParts(config, source, dim,
          rotation.signs(), centroids, rotatedCentroids, listStart, ids, rows, signCodes, factors,
          exPlanes, exFactors, originals, ContentFingerprint.of(vectors), null));
      return index.withCalibration(Calibrator.measure(index, data, config.seed(), parallel));
    }
  }

  private static void requireUniqueIds(VectorSet vectors) {
    LongHashSet seen = new LongHashSet(vectors.size());
    for (int row = 0; row < vectors.size(); row++) {
      long id = vectors.id(row);
      if (!seen.add(id)) {
        int first = 0;
        while (vectors.id(first) != id) {
          first++;
        }
        throw new DuplicateIdException(String.format(Locale.ROOT,
            "%s: id %d appears at rows %d and %d; ids must be unique within an index "
                + "(deduplicate the input or choose another id column)",
            vectors.source(), id, first, row));
      }
    }
  }

  /** Unit-length copies of all vectors, for cosine; a zero vector cannot be normalized. */
  static float[] normalized(VectorSet vectors) {
    int dim = vectors.dim();
    float[] src = vectors.data();
    float[] out = new float[src.length];
    for (int row = 0; row < vectors.size(); row++) {
      if (!VectorChecks.normalizeInto(src, row * dim, out, row * dim, dim)) {
        throw new InvalidVectorException(VectorChecks.describeRow(vectors.source(), row,
            vectors.id(row)) + ": vector has zero length, which has no cosine with anything; "
            + "drop it or use the l2 or ip metric");
      }
    }
    return out;
  }

}
