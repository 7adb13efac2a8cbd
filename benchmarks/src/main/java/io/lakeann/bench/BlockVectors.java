package io.lakeann.bench;

import io.lakeann.core.data.SyntheticVectors;
import io.lakeann.core.util.SplitMix64;
import java.io.Serializable;

/**
 * Synthetic vectors as a pure function of their id: the ids are cut into blocks of
 * {@value #BLOCK}, and block {@code b} holds the points of the stream seeded from ({@code stream},
 * b) of one {@link SyntheticVectors} generator. So Spark tasks can generate any range of rows on
 * the executors, however the range is partitioned, and the benchmark's oracle can generate the
 * very same rows again in its own JVM. Immutable and serializable (the generator's centres are
 * recomputed from the spec where used).
 */
final class BlockVectors implements Serializable {
  private static final long serialVersionUID = 1L;
  static final int BLOCK = 4096;

  private final SyntheticSpec spec;
  private final long stream;

  /** The rows of stream {@code stream} of {@code spec}'s clusters. */
  BlockVectors(SyntheticSpec spec, long stream) {
    this.spec = spec;
    this.stream = stream;
  }

  int dim() {
    return spec.dim();
  }

  /** A generator of the spec's clusters; make one per thread or task (it computes the centres). */
  SyntheticVectors generator() {
    return spec.generator();
  }

  /** The {@value #BLOCK} rows of block {@code block}, row-major. */
  float[] block(SyntheticVectors generator, long block) {
    return generator.points(BLOCK, SplitMix64.forPurpose(stream, block).nextLong());
  }

  /** Rows {@code 0 .. count-1}, row-major, in one array. */
  float[] rows(int count) {
    SyntheticVectors generator = generator();
    int dim = spec.dim();
    float[] out = new float[Math.multiplyExact(count, dim)];
    for (long b = 0; b * BLOCK < count; b++) {
      float[] block = block(generator, b);
      int first = (int) (b * BLOCK);
      int rows = Math.min(BLOCK, count - first);
      System.arraycopy(block, 0, out, first * dim, rows * dim);
    }
    return out;
  }
}
