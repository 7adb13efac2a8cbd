package io.lakeann.core;

import io.lakeann.core.ivf.KMeans;
import io.lakeann.core.kernel.VectorKernels;
import io.lakeann.core.quant.HadamardRotation;
import io.lakeann.core.quant.RabitqEncoder;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * An IVF-RaBitQ index over one shard of rows: IVF lists from k-means, each vector encoded as its
 * rotated residual to the list centroid in 1-bit RaBitQ codes (optionally with extended bits), and
 * optionally the original float32 vectors for exact re-ranking.
 *
 * <p>All state lives in flat primitive arrays in slot order (the rows of list 0, then list 1, ...;
 * within a list in row order). Immutable after build; safe to share across threads. Searches start
 * with {@link #search(float[])} or {@link #searchBatch(float[][])}, which return immutable request
 * values; {@code run()} does the work.
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

  RabitqIndex(IndexConfig config, String source, int dim, HadamardRotation rotation,
      float[] centroids, float[] rotatedCentroids, int[] listStart, long[] ids, int[] rows,
      long[] signCodes, float[] factors, long[] exPlanes, float[] exFactors, float[] originals) {
    this.config = config;
    this.source = source;
    this.dim = dim;
    this.rotation = rotation;
    this.nlist = listStart.length - 1;
    this.centroids = centroids;
    this.centroidPanels = VectorKernels.packPanels(centroids, nlist, dim);
    this.centroidHalfNormSq = KMeans.halfSquaredNorms(centroids, nlist, dim);
    this.rotatedCentroids = rotatedCentroids;
    this.listStart = listStart;
    this.ids = ids;
    this.rows = rows;
    this.signCodes = signCodes;
    this.factors = factors;
    this.exPlanes = exPlanes;
    this.exFactors = exFactors;
    this.originals = originals;
  }

  /**
   * Builds an index over {@code vectors}. Deterministic: the same rows, config and seed give
   * byte-identical state ({@link #writeState}) whatever {@link IndexConfig#threads()} is.
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

  /** Lists a search probes unless it says otherwise; see {@link IndexConfig#defaultNprobe}. */
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

  /** A batch search: each probed list is scanned once for all the queries that probe it. */
  public BatchSearchRequest searchBatch(float[][] queries) {
    return new BatchSearchRequest(this, queries);
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

  /**
   * Writes every value and array that defines this index, in a fixed order, big-endian, each array
   * preceded by its length: the dimensions, the whole config except {@code threads} (which never
   * changes the result), then rotation signs, centroids, lists, ids, rows, codes, factors,
   * extended planes and factors, and originals (length 0 when absent). Two indexes with the same
   * output are interchangeable; tests use it to prove determinism.
   */
  public void writeState(OutputStream stream) throws IOException {
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream, 1 << 16));
    out.writeInt(dim);
    out.writeInt(rotation.paddedDim());
    out.writeInt(config.metric().ordinal());
    out.writeInt(config.nlist());
    out.writeInt(config.nprobe());
    out.writeInt(config.exBits());
    out.writeFloat(config.epsilon());
    out.writeBoolean(config.storeOriginals());
    out.writeLong(config.seed());
    out.writeInt(config.kmeansIterations());
    out.writeInt(config.trainingPointsPerList());
    writeFloats(out, rotation.signs());
    writeFloats(out, centroids);
    writeFloats(out, rotatedCentroids);
    writeInts(out, listStart);
    writeLongs(out, ids);
    writeInts(out, rows);
    writeLongs(out, signCodes);
    writeFloats(out, factors);
    writeLongs(out, exPlanes);
    writeFloats(out, exFactors);
    writeFloats(out, originals == null ? new float[0] : originals);
    out.flush();
  }

  private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
    out.writeInt(values.length);
    for (float v : values) {
      out.writeInt(Float.floatToRawIntBits(v));
    }
  }

  private static void writeInts(DataOutputStream out, int[] values) throws IOException {
    out.writeInt(values.length);
    for (int v : values) {
      out.writeInt(v);
    }
  }

  private static void writeLongs(DataOutputStream out, long[] values) throws IOException {
    out.writeInt(values.length);
    for (long v : values) {
      out.writeLong(v);
    }
  }
}
