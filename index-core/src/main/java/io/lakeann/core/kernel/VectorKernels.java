package io.lakeann.core.kernel;

/**
 * The arithmetic every hot loop of lakeann runs on, behind one seam.
 *
 * <p>Two implementations exist: {@link ScalarKernels} (plain Java, always available) and a
 * {@code jdk.incubator.vector} one picked by {@link Kernels} at start-up. They give bit-identical
 * results: integer kernels trivially, float kernels because each fixes its order of fused
 * multiply-adds and additions ({@link Reductions} for {@link #dot} and {@link #squaredDistance};
 * one chain per entry in dimension order for {@link #dotPanels}; the same butterflies for
 * {@link #walshHadamard}). So builds and searches give the same bits on any vector width, with
 * either implementation, interpreted or compiled. Implementations are stateless and safe to share
 * across threads.
 */
public interface VectorKernels {

  /** Width, in columns, of one panel in the layout produced by {@link #packPanels}. */
  int PANEL_WIDTH = 16;

  /** A short name for logs and benchmark output, e.g. {@code "scalar"} or {@code "panama-512"}. */
  String name();

  /** Inner product of {@code a[aOff, aOff+len)} and {@code b[bOff, bOff+len)}. */
  float dot(float[] a, int aOff, float[] b, int bOff, int len);

  /** Squared Euclidean distance between {@code a[aOff, aOff+len)} and {@code b[bOff, bOff+len)}. */
  float squaredDistance(float[] a, int aOff, float[] b, int bOff, int len);

  /**
   * Inner products of many rows with many columns: {@code out[outOff + r * paddedCols + c] =
   * dot(row r, column c)}, where {@code paddedCols = panelColumns(cols)} and the columns were laid
   * out by {@link #packPanels}. Entries of padding columns are written as 0. Every entry is a chain
   * of fused multiply-adds over d = 0, 1, ... in that order, so all implementations, vector widths
   * and JIT states give bit-identical results: builds rely on this for determinism.
   */
  void dotPanels(float[] rows, int rowOff, int rowCount, int dim, float[] panels, int cols,
      float[] out, int outOff);

  /**
   * Unnormalized in-place fast Walsh-Hadamard transform of {@code x[off, off+len)}; {@code len}
   * must be a power of two. Both implementations perform the same additions in the same order, so
   * their results are bit-identical.
   */
  void walshHadamard(float[] x, int off, int len);

  /**
   * Asymmetric bit-plane inner product: {@code sum over p < planeCount of 2^p * popcount(code AND
   * plane p)}, where {@code code = codes[codeOff, codeOff+words)} and plane p is {@code
   * planes[p*words, (p+1)*words)}. This is the inner product of a binary code with an unsigned
   * integer vector stored as bit planes.
   */
  long bitPlaneDot(long[] codes, int codeOff, long[] planes, int planeCount, int words);

  /**
   * {@link #bitPlaneDot} of {@code count} consecutive codes, starting with code number
   * {@code firstCode} (at {@code codes[firstCode * words]}), into {@code out[0, count)}.
   */
  void bitPlaneDots(long[] codes, int firstCode, int count, int words, long[] planes,
      int planeCount, long[] out);

  /** Number of columns including padding, a multiple of {@link #PANEL_WIDTH}. */
  static int panelColumns(int cols) {
    return (cols + PANEL_WIDTH - 1) / PANEL_WIDTH * PANEL_WIDTH;
  }

  /**
   * Lays out {@code cols} vectors of {@code dim} floats (row-major in {@code columns}) as panels of
   * {@link #PANEL_WIDTH} columns: panel p holds, for each dimension d, the d-th component of its
   * 16 columns side by side. Missing columns of the last panel are zeros.
   */
  static float[] packPanels(float[] columns, int cols, int dim) {
    float[] panels = new float[Math.multiplyExact(panelColumns(cols), dim)];
    for (int c = 0; c < cols; c++) {
      int panelBase = (c / PANEL_WIDTH) * PANEL_WIDTH * dim;
      int lane = c % PANEL_WIDTH;
      for (int d = 0; d < dim; d++) {
        panels[panelBase + d * PANEL_WIDTH + lane] = columns[c * dim + d];
      }
    }
    return panels;
  }
}
