package io.lakeann.core;

import java.util.Objects;

import static io.lakeann.core.InvalidRequestException.check;

/**
 * Everything that decides what an index contains, as one immutable value with documented defaults.
 * Two builds with equal configs (apart from {@link #threads()}, which never changes the result)
 * over the same rows produce byte-identical indexes.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><td>metric</td><td>L2</td></tr>
 *   <tr><td>nlist</td><td>0 = automatic: round(sqrt(n)), at least 1</td></tr>
 *   <tr><td>nprobe</td><td>0 = automatic: {@link #defaultNprobe(int, int)}</td></tr>
 *   <tr><td>exBits</td><td>0: 1-bit codes only (0..8 extra bits per dimension)</td></tr>
 *   <tr><td>epsilon</td><td>1.9, the RaBitQ confidence parameter of the error bound</td></tr>
 *   <tr><td>storeOriginals</td><td>true: keep float32 vectors for exact re-ranking</td></tr>
 *   <tr><td>seed</td><td>42</td></tr>
 *   <tr><td>kmeansIterations</td><td>10</td></tr>
 *   <tr><td>trainingPointsPerList</td><td>64 (k-means sample = min(n, 64 * nlist))</td></tr>
 *   <tr><td>threads</td><td>available processors</td></tr>
 * </table>
 */
public final class IndexConfig implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** Largest number of IVF lists an index may have. */
  public static final int MAX_NLIST = 1 << 20;
  /** Rows an automatic nprobe scans at least (when the index has that many). */
  public static final int MIN_AUTO_CANDIDATES = 4096;
  /** Largest number of extended bits per dimension. */
  public static final int MAX_EX_BITS = 8;

  private final Metric metric;
  private final int nlist;
  private final int nprobe;
  private final int exBits;
  private final float epsilon;
  private final boolean storeOriginals;
  private final long seed;
  private final int kmeansIterations;
  private final int trainingPointsPerList;
  private final int threads;

  private IndexConfig(Builder b) {
    this.metric = b.metric;
    this.nlist = b.nlist;
    this.nprobe = b.nprobe;
    this.exBits = b.exBits;
    this.epsilon = b.epsilon;
    this.storeOriginals = b.storeOriginals;
    this.seed = b.seed;
    this.kmeansIterations = b.kmeansIterations;
    this.trainingPointsPerList = b.trainingPointsPerList;
    this.threads = b.threads;
  }

  public static IndexConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this config's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.metric = metric;
    b.nlist = nlist;
    b.nprobe = nprobe;
    b.exBits = exBits;
    b.epsilon = epsilon;
    b.storeOriginals = storeOriginals;
    b.seed = seed;
    b.kmeansIterations = kmeansIterations;
    b.trainingPointsPerList = trainingPointsPerList;
    b.threads = threads;
    return b;
  }

  public Metric metric() {
    return metric;
  }

  /** Configured number of IVF lists; 0 means automatic. */
  public int nlist() {
    return nlist;
  }

  /** Number of IVF lists for {@code rows} rows: the configured value, capped at {@code rows}. */
  public int effectiveNlist(int rows) {
    int wanted = nlist > 0 ? nlist : (int) Math.round(Math.sqrt(rows));
    return Math.max(1, Math.min(wanted, rows));
  }

  /** Configured default number of lists probed per query; 0 means automatic. */
  public int nprobe() {
    return nprobe;
  }

  /**
   * Lists probed when a search does not say: the configured value, or automatically enough lists
   * to scan 1/16 of the rows and at least {@link #MIN_AUTO_CANDIDATES} rows ({@code max(ceil(nlist
   * / 16), ceil(4096 * nlist / rows))}); always capped at {@code nlist}. Small indexes are thus
   * scanned almost whole, where that costs little and IVF would lose recall.
   */
  public int defaultNprobe(int lists, int rows) {
    long wanted = nprobe > 0 ? nprobe
        : Math.max((lists + 15) / 16, ((long) MIN_AUTO_CANDIDATES * lists + rows - 1) / rows);
    return (int) Math.max(1, Math.min(wanted, lists));
  }

  public int exBits() {
    return exBits;
  }

  public float epsilon() {
    return epsilon;
  }

  public boolean storeOriginals() {
    return storeOriginals;
  }

  public long seed() {
    return seed;
  }

  public int kmeansIterations() {
    return kmeansIterations;
  }

  public int trainingPointsPerList() {
    return trainingPointsPerList;
  }

  /** Build threads; never changes the bytes of the result. */
  public int threads() {
    return threads;
  }

  /** Equal configs build equal indexes from equal rows; {@link #threads()} is not compared. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof IndexConfig)) {
      return false;
    }
    IndexConfig c = (IndexConfig) o;
    return metric == c.metric && nlist == c.nlist && nprobe == c.nprobe && exBits == c.exBits
        && Float.compare(epsilon, c.epsilon) == 0 && storeOriginals == c.storeOriginals
        && seed == c.seed && kmeansIterations == c.kmeansIterations
        && trainingPointsPerList == c.trainingPointsPerList;
  }

  @Override
  public int hashCode() {
    return Objects.hash(metric, nlist, nprobe, exBits, epsilon, storeOriginals, seed,
        kmeansIterations, trainingPointsPerList);
  }

  @Override
  public String toString() {
    return "IndexConfig{metric=" + metric + ", nlist=" + nlist + ", nprobe=" + nprobe
        + ", exBits=" + exBits + ", epsilon=" + epsilon + ", storeOriginals=" + storeOriginals
        + ", seed=" + seed + ", kmeansIterations=" + kmeansIterations
        + ", trainingPointsPerList=" + trainingPointsPerList + ", threads=" + threads + "}";
  }

  /** Mutable builder; {@link #build()} validates every value. */
  public static final class Builder {
    private Metric metric = Metric.L2;
    private int nlist = 0;
    private int nprobe = 0;
    private int exBits = 0;
    private float epsilon = 1.9f;
    private boolean storeOriginals = true;
    private long seed = 42;
    private int kmeansIterations = 10;
    private int trainingPointsPerList = 64;
    private int threads = Runtime.getRuntime().availableProcessors();

    private Builder() {}

    public Builder metric(Metric value) {
      this.metric = value;
      return this;
    }

    public Builder nlist(int value) {
      this.nlist = value;
      return this;
    }

    public Builder nprobe(int value) {
      this.nprobe = value;
      return this;
    }

    public Builder exBits(int value) {
      this.exBits = value;
      return this;
    }

    public Builder epsilon(float value) {
      this.epsilon = value;
      return this;
    }

    public Builder storeOriginals(boolean value) {
      this.storeOriginals = value;
      return this;
    }

    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    public Builder kmeansIterations(int value) {
      this.kmeansIterations = value;
      return this;
    }

    public Builder trainingPointsPerList(int value) {
      this.trainingPointsPerList = value;
      return this;
    }

    public Builder threads(int value) {
      this.threads = value;
      return this;
    }

    public IndexConfig build() {
      check(metric != null, "Invalid metric: null (use L2, INNER_PRODUCT or COSINE)");
      check(nlist >= 0 && nlist <= MAX_NLIST,
          "Invalid nlist: %s (must be 0 for automatic, or 1..%s)", nlist, MAX_NLIST);
      check(nprobe >= 0, "Invalid nprobe: %s (must be 0 for automatic, or > 0)", nprobe);
      check(exBits >= 0 && exBits <= MAX_EX_BITS,
          "Invalid exBits: %s (must be 0..%s extra bits per dimension)", exBits, MAX_EX_BITS);
      check(Float.isFinite(epsilon) && epsilon >= 0,
          "Invalid epsilon: %s (must be a finite number >= 0; default 1.9)", epsilon);
      check(kmeansIterations >= 1 && kmeansIterations <= 1000,
          "Invalid kmeansIterations: %s (must be 1..1000)", kmeansIterations);
      check(trainingPointsPerList >= 1,
          "Invalid trainingPointsPerList: %s (must be >= 1)", trainingPointsPerList);
      check(threads >= 1, "Invalid threads: %s (must be >= 1)", threads);
      return new IndexConfig(this);
    }
  }
}
