package io.lakeann.core;

import io.lakeann.core.ivf.KMeans;
import io.lakeann.core.kernel.VectorKernels;
import io.lakeann.core.quant.HadamardRotation;
import io.lakeann.core.quant.RabitqEncoder;
import io.lakeann.core.witness.Witness;
import java.util.BitSet;

/**
 * An IVF-RaBitQ index over one shard of rows: IVF lists from k-means, each vector encoded as its
 * rotated residual to the list centroid in 1-bit RaBitQ codes (optionally with extended bits), and
 * optionally the original float32 vectors for exact re-ranking.
 *
 * <p>All state lives in flat primitive arrays in slot order (the rows of list 0, then list 1, ...;
 * within a list in row order). Immutable after build; safe to share across threads. Searches start
 * with {@link #search(float[])}, which returns an immutable request value; {@code run()} does the
 * work.
 */
public final class RabitqIndex {
  private final IndexConfig config;
  private final String source;
  private final int dim;
  private final HadamardRotation rotation;
  private final int nlist;
  /** nlist * dim centroids in the input space (normalized space for cosine). */
  final float[] centroids;
  /** Centroids laid out for {@link VectorKernels#dotPanels}; derived from {@link #centroids}. */
  final float[] centroidPanels;
  /** Half squared norm of each centroid; derived. */
  final float[] centroidHalfNormSq;
  /** nlist * paddedDim rotated centroids. */
  final float[] rotatedCentroids;
  /** nlist + 1 slot offsets: list l holds slots [listStart[l], listStart[l+1]). */
  final int[] listStart;
  final long[] ids;
  /** Row number (position in the build input) of each slot. */
  final int[] rows;
  /** words 64-bit words of 1-bit code per slot. */
  final long[] signCodes;
  /** {@link RabitqEncoder#FACTORS} floats per slot. */
  final float[] factors;
  /** exBits planes of words longs per slot, or empty. */
  final long[] exPlanes;
  /** {@link RabitqEncoder#EX_FACTORS} floats per slot, or empty. */
  final float[] exFactors;
  /** dim floats per slot, or null when originals are not stored. */
  final float[] originals;
  private final Witness contentFingerprint;
  /** Largest residual norm of each list; derived from {@link #factors}. */
  final float[] listRadius;
  private final Calibration calibration;

  /** Assembles an index from its parts; the caller has checked them ({@link #fromParts}). */
  private RabitqIndex(IndexParts parts, HadamardRotation rotation) {
    this.config = parts.config();
    this.source = parts.source();
    this.dim = parts.dim();
    this.rotation = rotation;
    this.nlist = parts.listStart().length - 1;
    this.centroids = parts.centroids();
    this.centroidPanels = VectorKernels.packPanels(centroids, nlist, dim);
    this.centroidHalfNormSq = KMeans.halfSquaredNorms(centroids, nlist, dim);
    this.rotatedCentroids = parts.rotatedCentroids();
    this.listStart = parts.listStart();
    this.ids = parts.ids();
    this.rows = parts.rows();
    this.signCodes = parts.signCodes();
    this.factors = parts.factors();
    this.exPlanes = parts.exPlanes();
    this.exFactors = parts.exFactors();
    this.originals = parts.originals();
    this.contentFingerprint = parts.contentFingerprint();
    this.listRadius = radii(listStart, factors);
    this.calibration = parts.calibration();
  }

  /** The largest {@code |r|} of each list, from the stored {@code |r|^2} factors. */
  private static float[] radii(int[] listStart, float[] factors) {
    float[] out = new float[listStart.length - 1];
    for (int l = 0; l < out.length; l++) {
      float max = 0;
      for (int s = listStart[l]; s < listStart[l + 1]; s++) {
        max = Math.max(max, factors[s * RabitqEncoder.FACTORS]);
      }
      out[l] = (float) Math.sqrt(max);
    }
    return out;
  }

  /**
   * An index from parts written by {@link #parts()}, after checking that every array has the
   * length the dimensions imply and that the list offsets and row numbers are consistent, so that
   * no search can index out of bounds.
   *
   * @throws InvalidRequestException naming the first inconsistent part
   */
  public static RabitqIndex fromParts(IndexParts parts) {
    IndexConfig config = parts.config();
    int dim = parts.dim();
    VectorChecks.requireSupportedDimension(dim, parts.source());
    int paddedDim = HadamardRotation.paddedDim(dim);
    int words = paddedDim / 64;
    int n = parts.ids().length;
    int nlist = parts.listStart().length - 1;
    int exBits = config.exBits();
    InvalidRequestException.check(n > 0 && nlist >= 1 && nlist <= n,
        "Invalid index parts: %s rows in %s lists", n, nlist);
    requireLength("rotation signs", parts.rotationSigns().length,
        (long) HadamardRotation.ROUNDS * paddedDim);
    requireLength("centroids", parts.centroids().length, (long) nlist * dim);
    requireLength("rotated centroids", parts.rotatedCentroids().length, (long) nlist * paddedDim);
    requireLength("rows", parts.rows().length, n);
    requireLength("sign codes", parts.signCodes().length, (long) n * words);
    requireLength("factors", parts.factors().length, (long) n * RabitqEncoder.FACTORS);
    requireLength("extended planes", parts.exPlanes().length, (long) n * exBits * words);
    requireLength("extended factors", parts.exFactors().length,
        exBits > 0 ? (long) n * RabitqEncoder.EX_FACTORS : 0);
    InvalidRequestException.check((parts.originals() != null) == config.storeOriginals(),
        "Invalid index parts: originals %s but the config says storeOriginals=%s",
        parts.originals() != null ? "present" : "absent", config.storeOriginals());
    if (parts.originals() != null) {
      requireLength("originals", parts.originals().length, (long) n * dim);
    }
    int[] listStart = parts.listStart();
    InvalidRequestException.check(listStart[0] == 0 && listStart[nlist] == n,
        "Invalid index parts: list offsets run from %s to %s, not from 0 to %s",
        listStart[0], listStart[nlist], n);
    for (int l = 0; l < nlist; l++) {
      InvalidRequestException.check(listStart[l] <= listStart[l + 1],
          "Invalid index parts: list %s starts at %s but ends at %s", l, listStart[l],
          listStart[l + 1]);
    }
    BitSet seen = new BitSet(n);
    for (int row : parts.rows()) {
      InvalidRequestException.check(row >= 0 && row < n && !seen.get(row),
          "Invalid index parts: row number %s is out of range or repeated", row);
      seen.set(row);
    }
    for (float sign : parts.rotationSigns()) {
      InvalidRequestException.check(sign == 1f || sign == -1f,
          "Invalid index parts: rotation sign %s (must be 1 or -1)", sign);
    }
    return new RabitqIndex(parts, new HadamardRotation(dim, parts.rotationSigns()));
  }

  /** This index with {@code value} as its calibration (the build's last step). */
  RabitqIndex withCalibration(Calibration value) {
    return new RabitqIndex(new IndexParts(config, source, dim, rotation.signs(), centroids,
        rotatedCentroids, listStart, ids, rows, signCodes, factors, exPlanes, exFactors, originals,
        contentFingerprint, value), rotation);
  }

  private static void requireLength(String what, int actual, long expected) {
    InvalidRequestException.check(actual == expected,
        "Invalid index parts: %s has %s values, expected %s", what, actual, expected);
  }

  /** The arrays and values of this index, shared (read-only), for the rbpx writer. */
  public IndexParts parts() {
    return new IndexParts(config, source, dim, rotation.signs(), centroids, rotatedCentroids,
        listStart, ids, rows, signCodes, factors, exPlanes, exFactors, originals,
        contentFingerprint, calibration);
  }

  /**
   * The recall-versus-effort curve measured when this shard was built, or null for an index read
   * from a file written before calibration existed (its searches fall back to
   * {@link #defaultNprobe()} lists for recall targets below 1).
   */
  public Calibration calibration() {
    return calibration;
  }

  /** Fingerprint of the rows this index was built from, in row order. */
  public Witness contentFingerprint() {
    return contentFingerprint;
  }

  /**
   * Builds an index over {@code vectors}. Deterministic: the same rows, config and seed give an
   * index whose rbpx file ({@link io.lakeann.core.format.RbpxWriter}) is byte-identical whatever
   * {@link IndexConfig#threads()} is.
   *
   * @throws EmptyInputException when there are no rows
   * @throws DuplicateIdException when two rows share an id
   * @throws InvalidVectorException for a zero vector under cosine
   */
  public static RabitqIndex build(VectorSet vectors, IndexConfig config) {
    return IndexBuilder.build(vectors, config);
  }

  public IndexConfig config() {
    return config;
  }

  public Metric metric() {
    return config.metric();
  }

  /** What the rows are, for messages. */
  public String source() {
    return source;
  }

  public int dim() {
    return dim;
  }

  /** Dimension after zero padding and rotation; a multiple of 64. */
  public int paddedDim() {
    return rotation.paddedDim();
  }

  public int size() {
    return ids.length;
  }

  public int nlist() {
    return nlist;
  }

  HadamardRotation rotation() {
    return rotation;
  }

  /** Number of rows in IVF list {@code list}. */
  public int listSize(int list) {
    return listStart[list + 1] - listStart[list];
  }

  /**
   * Lists a search probes when the config sets nprobe, or when this index has no calibration (a
   * format version 1 file); see {@link IndexConfig#defaultNprobe}.
   */
  public int defaultNprobe() {
    return config.defaultNprobe(nlist, size());
  }

  public boolean hasOriginals() {
    return originals != null;
  }

  /** A single-query search with this index's defaults; refine it, then {@code run()}. */
  public SearchRequest search(float[] query) {
    return new SearchRequest(this, query);
  }

  /** Bytes held by the per-vector arrays and the shared ones (centroids, rotation). */
  public long bytes(boolean includeOriginals) {
    long perSlot = (long) ids.length * Long.BYTES + (long) rows.length * Integer.BYTES
        + (long) signCodes.length * Long.BYTES + (long) factors.length * Float.BYTES
        + (long) exPlanes.length * Long.BYTES + (long) exFactors.length * Float.BYTES;
    long shared = ((long) centroids.length + centroidPanels.length + centroidHalfNormSq.length
        + rotatedCentroids.length + rotation.signs().length) * Float.BYTES
        + (long) listStart.length * Integer.BYTES;
    long orig = includeOriginals && originals != null ? (long) originals.length * Float.BYTES : 0;
    return perSlot + shared + orig;
  }

  /** {@link #bytes(boolean)} divided by the number of rows. */
  public double bytesPerVector(boolean includeOriginals) {
    return (double) bytes(includeOriginals) / size();
  }
}
