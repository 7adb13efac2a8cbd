package io.lakeann.sql;

import io.lakeann.core.DimensionMismatchException;
import io.lakeann.core.InvalidRequestException;
import io.lakeann.core.kernel.Kernels;
import io.lakeann.core.kernel.VectorKernels;
import java.util.Locale;

/**
 * The arithmetic of the SQL vector functions on flat float arrays, with Spark 4.2's results for
 * edge cases: an empty vector has distance 0, inner product 0, norm 0, no cosine similarity
 * (null) and normalizes to itself; a zero vector has no cosine similarity and no normalization
 * (null); vectors of different lengths are refused. Products and distances run on index-core's
 * kernels (SIMD where the JVM has it), so they accumulate in float32; norms of degree 1 and
 * infinity and the final divisions run in double. Stateless; safe to share across threads.
 */
public final class VectorMath {
  /** The functions as SQL sessions run them: on the kernels this JVM chose. */
  public static final VectorMath DEFAULT = new VectorMath(Kernels.get());

  private final VectorKernels kernels;

  public VectorMath(VectorKernels kernels) {
    this.kernels = kernels;
  }

  /** {@code vector_l2_distance}: the Euclidean distance. */
  public float l2Distance(String function, float[] a, float[] b) {
    return (float) Math.sqrt(l2Squared(function, a, b));
  }

  /** {@code vector_l2_squared}: the squared Euclidean distance. */
  public float l2Squared(String function, float[] a, float[] b) {
    sameLength(function, a, b);
    return kernels.squaredDistance(a, 0, b, 0, a.length);
  }

  /** {@code vector_inner_product}: the dot product. */
  public float innerProduct(String function, float[] a, float[] b) {
    sameLength(function, a, b);
    return kernels.dot(a, 0, b, 0, a.length);
  }

  /** {@code vector_cosine_similarity}, or null for an empty or a zero vector. */
  public Float cosineSimilarity(String function, float[] a, float[] b) {
    sameLength(function, a, b);
    double norms = (double) kernels.dot(a, 0, a, 0, a.length)
        * kernels.dot(b, 0, b, 0, b.length);
    if (norms == 0) {
      return null;
    }
    return (float) (kernels.dot(a, 0, b, 0, a.length) / Math.sqrt(norms));
  }

  /** {@code vector_norm} of {@code degree} 1, 2 or infinity. */
  public double norm(String function, float[] v, float degree) {
    if (degree == 2f) {
      return Math.sqrt(kernels.dot(v, 0, v, 0, v.length));
    }
    double out = 0;
    if (degree == 1f) {
      for (float x : v) {
        out += Math.abs(x);
      }
      return out;
    }
    checkDegree(function, degree);
    for (float x : v) {
      out = Math.max(out, Math.abs(x));
    }
    return out;
  }

  /** {@code vector_normalize}: {@code v} divided by its norm, or null for a zero vector. */
  public float[] normalize(String function, float[] v, float degree) {
    double norm = norm(function, v, degree);
    if (v.length == 0) {
      return v;
    }
    if (norm == 0) {
      return null;
    }
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / norm);
    }
    return out;
  }

  /** Refuses a norm degree other than 1, 2 and infinity, naming the function and the value. */
  public static void checkDegree(String function, float degree) {
    if (degree != 1f && degree != 2f && degree != Float.POSITIVE_INFINITY) {
      throw new InvalidRequestException(String.format(Locale.ROOT,
          "%s: invalid degree %s; use 1.0 (L1 norm), 2.0 (L2 norm, the default) or "
              + "float('inf') (infinity norm)", function, degree));
    }
  }

  /** Refuses two vectors of different lengths, naming the function and both lengths. */
  public static void sameLength(String function, int a, int b) {
    if (a != b) {
      throw new DimensionMismatchException(String.format(Locale.ROOT,
          "%s: the vectors have %d and %d elements; both must have the same dimension (check "
              + "that both columns hold embeddings of one model, or slice one with slice())",
          function, a, b));
    }
  }

  private static void sameLength(String function, float[] a, float[] b) {
    sameLength(function, a.length, b.length);
  }
}
