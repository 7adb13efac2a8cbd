package io.lakeann.core.data;

import io.lakeann.core.VectorSet;
import io.lakeann.core.util.SplitMix64;
import java.util.Arrays;

/**
 * Seeded clustered data for tests, benchmarks and demos: {@code clusters} centres drawn from a
 * standard normal distribution, and each point a centre (chosen uniformly) plus normal noise of
 * standard deviation {@code spread} per dimension. Queries drawn with another seed follow the same
 * distribution. The same parameters always give the same floats.
 */
public final class SyntheticVectors {
  private final int dim;
  private final int clusters;
  private final float spread;
  private final float[] centres;

  public SyntheticVectors(int dim, int clusters, float spread, long seed) {
    this.dim = dim;
    this.clusters = clusters;
    this.spread = spread;
    this.centres = new float[Math.multiplyExact(clusters, dim)];
    SplitMix64 rng = SplitMix64.forPurpose(seed, 0x43454E54524553L); // "CENTRES"
    for (int i = 0; i < centres.length; i++) {
      centres[i] = (float) rng.nextGaussian();
    }
  }

  /** {@code n} points, row-major, from the stream named by {@code seed}. */
  public float[] points(int n, long seed) {
    float[] out = new float[Math.multiplyExact(n, dim)];
    SplitMix64 rng = SplitMix64.forPurpose(seed, 0x504F494E5453L); // "POINTS"
    for (int i = 0; i < n; i++) {
      int c = rng.nextInt(clusters);
      for (int d = 0; d < dim; d++) {
        out[i * dim + d] = centres[c * dim + d] + spread * (float) rng.nextGaussian();
      }
    }
    return out;
  }

  /** {@code n} points with ids {@code 0..n-1} as a vector set. */
  public VectorSet vectorSet(String source, int n, long seed) {
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i;
    }
    return VectorSet.of(source, ids, points(n, seed), dim);
  }

  /** Splits row-major {@code flat} into one array per vector. */
  public static float[][] rows(float[] flat, int dim) {
    float[][] out = new float[flat.length / dim][];
    for (int i = 0; i < out.length; i++) {
      out[i] = Arrays.copyOfRange(flat, i * dim, (i + 1) * dim);
    }
    return out;
  }
}
