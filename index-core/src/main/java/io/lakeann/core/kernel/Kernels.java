package io.lakeann.core.kernel;

import java.lang.System.Logger.Level;

/**
 * The one place that chooses the kernel implementation, once per JVM, and the static façade every
 * caller goes through.
 *
 * <p>The SIMD kernels are used when the {@code jdk.incubator.vector} module is in the boot layer
 * (the JVM was started with {@code --add-modules jdk.incubator.vector}) and the platform's
 * preferred species has at least four float lanes. Otherwise the scalar kernels are used and one
 * log line says why. Setting the system property {@code lakeann.kernels=scalar} forces the scalar
 * kernels.
 */
public final class Kernels {

  private static final VectorKernels IMPL = choose();

  private Kernels() {}

  /** The implementation chosen for this JVM. */
  public static VectorKernels get() {
    return IMPL;
  }

  /** The plain-Java implementation, always available; for tests and comparisons. */
  public static VectorKernels scalar() {
    return new ScalarKernels();
  }

  /**
   * The SIMD implementation, or {@code null} when this JVM cannot run it; for tests and
   * benchmarks that compare both.
   */
  public static VectorKernels simdOrNull() {
    return simdUnavailableReason() == null ? new PanamaKernels() : null;
  }

  /** Why the SIMD kernels cannot run in this JVM, or {@code null} when they can. */
  static String simdUnavailableReason() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return "the jdk.incubator.vector module is absent; start the JVM with "
          + "--add-modules jdk.incubator.vector";
    }
    try {
      return PanamaKernels.supported() ? null
          : "this CPU's preferred float vectors have fewer than 4 lanes";
    } catch (LinkageError e) {
      return "the vector API failed to load (" + e + ")";
    }
  }

  private static VectorKernels choose() {
    System.Logger log = System.getLogger(Kernels.class.getName());
    if ("scalar".equals(System.getProperty("lakeann.kernels"))) {
      log.log(Level.INFO, "lakeann kernels: scalar (forced by -Dlakeann.kernels=scalar)");
      return new ScalarKernels();
    }
    String reason = simdUnavailableReason();
    if (reason != null) {
      log.log(Level.INFO, "lakeann kernels: scalar (SIMD unavailable: " + reason + ")");
      return new ScalarKernels();
    }
    VectorKernels simd = new PanamaKernels();
    log.log(Level.INFO, "lakeann kernels: " + simd.name());
    return simd;
  }

  public static float dot(float[] a, int aOff, float[] b, int bOff, int len) {
    return IMPL.dot(a, aOff, b, bOff, len);
  }

  public static float squaredDistance(float[] a, int aOff, float[] b, int bOff, int len) {
    return IMPL.squaredDistance(a, aOff, b, bOff, len);
  }

  public static void dotPanels(float[] rows, int rowOff, int rowCount, int dim, float[] panels,
      int cols, float[] out, int outOff) {
    IMPL.dotPanels(rows, rowOff, rowCount, dim, panels, cols, out, outOff);
  }

  public static void walshHadamard(float[] x, int off, int len) {
    IMPL.walshHadamard(x, off, len);
  }

  public static void bitPlaneDots(long[] codes, int firstCode, int count, int words,
      long[] planes, int planeCount, long[] out) {
    IMPL.bitPlaneDots(codes, firstCode, count, words, planes, planeCount, out);
  }

  public static long bitPlaneDot(long[] codes, int codeOff, long[] planes, int planeCount,
      int words) {
    return IMPL.bitPlaneDot(codes, codeOff, planes, planeCount, words);
  }
}
