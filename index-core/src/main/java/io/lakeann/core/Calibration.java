package io.lakeann.core;

import static io.lakeann.core.InvalidRequestException.check;

import java.util.Arrays;

/**
 * A shard's own recall-versus-effort curve, measured when it is built (docs/index-core.md,
 * "Recall targets"): for each recall target of {@link #TARGETS}, the radius scale {@code beta} of
 * the adaptive stopping rule ({@link Probes}) whose mean recall@k over a sample of the shard's own
 * rows, each searched against the other rows, reached the target with a margin, and the mean
 * number of lists that probed. {@code beta = 1} is the exact-safe rule; smaller stops earlier
 * (down to -1, which stops as soon as k rows were seen).
 * Immutable.
 */
public final class Calibration {
  /** The recall targets measured, ascending. A target above the last one is met exactly. */
  static final float[] TARGETS = {0.80f, 0.85f, 0.90f, 0.92f, 0.94f, 0.95f, 0.96f, 0.97f, 0.98f,
      0.99f, 0.995f, 0.999f};
  /** Most targets a calibration may hold (a bound for readers of hostile files). */
  public static final int MAX_TARGETS = 64;
  /** Rounding slack when a requested target is compared with the stored float targets. */
  private static final double TARGET_SLACK = 1e-6;

  private final int sampleQueries;
  private final int k;
  private final float[] targets;
  private final float[] betas;
  private final float[] meanLists;
  private final float[] sampleRecall;

  private Calibration(int sampleQueries, int k, float[] targets, float[] betas,
      float[] meanLists, float[] sampleRecall) {
    this.sampleQueries = sampleQueries;
    this.k = k;
    this.targets = targets;
    this.betas = betas;
    this.meanLists = meanLists;
    this.sampleRecall = sampleRecall;
  }

  /**
   * A calibration from its values, checked: targets strictly ascending in (0, 1], betas in
   * [-1, 1], mean lists in [0, nlist], sample recalls in [0, 1].
   *
   * @throws InvalidRequestException naming the first value out of range
   */
  public static Calibration of(int sampleQueries, int k, float[] targets, float[] betas,
      float[] meanLists, float[] sampleRecall, int nlist) {
    int count = targets.length;
    check(sampleQueries >= 0 && k >= 0, "Invalid calibration: %s sample queries, k %s",
        sampleQueries, k);
    check(count >= 1 && count <= MAX_TARGETS && betas.length == count
        && meanLists.length == count && sampleRecall.length == count,
        "Invalid calibration: %s targets (must be 1..%s, one beta, mean and recall each)", count,
        MAX_TARGETS);
    for (int i = 0; i < count; i++) {
      check(targets[i] > 0 && targets[i] <= 1 && (i == 0 || targets[i] > targets[i - 1]),
          "Invalid calibration: target %s is %s (targets ascend within (0, 1])", i, targets[i]);
      check(betas[i] >= -1 && betas[i] <= 1, "Invalid calibration: beta %s for target %s",
          betas[i], targets[i]);
      check(meanLists[i] >= 0 && meanLists[i] <= nlist,
          "Invalid calibration: %s mean lists for target %s in an index of %s lists",
          meanLists[i], targets[i], nlist);
      check(sampleRecall[i] >= 0 && sampleRecall[i] <= 1,
          "Invalid calibration: sample recall %s for target %s", sampleRecall[i], targets[i]);
    }
    return new Calibration(sampleQueries, k, targets.clone(), betas.clone(), meanLists.clone(),
        sampleRecall.clone());
  }

  /** Rows of the shard searched as sample queries. */
  public int sampleQueries() {
    return sampleQueries;
  }

  /** Neighbours per sample query whose recall was measured. */
  public int k() {
    return k;
  }

  /** Number of targets. */
  public int size() {
    return targets.length;
  }

  public float target(int i) {
    return targets[i];
  }

  public float beta(int i) {
    return betas[i];
  }

  public float meanLists(int i) {
    return meanLists[i];
  }

  public float sampleRecall(int i) {
    return sampleRecall[i];
  }

  /**
   * The measured point for {@code target}: the first stored target at least as high, or -1 when
   * the target is above every stored one (then only the exact-safe rule meets it).
   */
  int pointFor(double target) {
    for (int i = 0; i < targets.length; i++) {
      if (targets[i] >= target - TARGET_SLACK) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Calibration c && sampleQueries == c.sampleQueries && k == c.k
        && Arrays.equals(targets, c.targets) && Arrays.equals(betas, c.betas)
        && Arrays.equals(meanLists, c.meanLists) && Arrays.equals(sampleRecall, c.sampleRecall);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(betas) + Arrays.hashCode(meanLists);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Calibration[" + sampleQueries + " queries, k " + k);
    for (int i = 0; i < targets.length; i++) {
      s.append(String.format(java.util.Locale.ROOT, "; %.3f: beta %.4f, %.1f lists", targets[i],
          betas[i], meanLists[i]));
    }
    return s.append(']').toString();
  }
}
