package io.lakeann.core.util;

/**
 * A tiny seeded pseudo-random generator (SplitMix64) whose sequence is fixed by its definition, not
 * by a JDK version: every random choice of a build goes through it so that the same seed gives the
 * same index on every JVM. Not thread-safe; make one per use.
 */
public final class SplitMix64 {
  private long state;

  public SplitMix64(long seed) {
    this.state = seed;
  }

  /** Derives an independent stream for a named purpose, so streams never overlap by accident. */
  public static SplitMix64 forPurpose(long seed, long purpose) {
    return new SplitMix64(mix(seed ^ mix(purpose + 0x632BE59BD9B4E019L)));
  }

  public long nextLong() {
    state += 0x9E3779B97F4A7C15L;
    return mix(state);
  }

  /** Uniform in {@code [0, bound)} by rejection, so there is no modulo bias. */
  public int nextInt(int bound) {
    long limit = Long.remainderUnsigned(-1L, bound);
    while (true) {
      long r = nextLong();
      if (Long.compareUnsigned(r, -1L - limit) < 0 || limit == bound - 1) {
        return (int) Long.remainderUnsigned(r, bound);
      }
    }
  }

  /** Uniform in {@code [0, 1)} with 24 random bits. */
  public float nextFloat() {
    return (nextLong() >>> 40) * 0x1.0p-24f;
  }

  /** Standard normal sample (Box-Muller, with StrictMath so every JVM gives the same bits). */
  public double nextGaussian() {
    double u1 = ((nextLong() >>> 11) + 1) * 0x1.0p-53;
    double u2 = (nextLong() >>> 11) * 0x1.0p-53;
    return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
