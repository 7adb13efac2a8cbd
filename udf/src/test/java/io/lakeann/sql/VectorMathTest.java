package io.lakeann.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.DimensionMismatchException;
import io.lakeann.core.InvalidRequestException;
import io.lakeann.core.kernel.Kernels;
import io.lakeann.core.kernel.VectorKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The vector functions' arithmetic on both kernel implementations against double references. */
class VectorMathTest {

  private static List<VectorMath> implementations() {
    List<VectorMath> out = new ArrayList<>();
    out.add(new VectorMath(Kernels.scalar()));
    VectorKernels simd = Kernels.simdOrNull();
    assertTrue(simd != null || System.getProperty("lakeann.kernels") != null
        || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty(),
        "the tests run with the vector module, so the SIMD kernels must be available");
    if (simd != null) {
      out.add(new VectorMath(simd));
    }
    return out;
  }

  @Test
  void everyFunctionMatchesADoublePrecisionReferenceOnBothKernels() {
    Random random = new Random(11);
    for (VectorMath math : implementations()) {
      for (int dim : new int[] {1, 3, 16, 31, 128, 257}) {
        float[] a = random(random, dim);
        float[] b = random(random, dim);
        Reference ref = Reference.of(a, b);
        double tol = 1e-5 * dim;
        assertEquals(Math.sqrt(ref.l2Squared()), math.l2Distance("f", a, b), tol);
        assertEquals(ref.l2Squared(), math.l2Squared("f", a, b),
            tol * Math.max(1, ref.l2Squared()));
        assertEquals(ref.dot(), math.innerProduct("f", a, b), tol);
        assertEquals(ref.cosine(), math.cosineSimilarity("f", a, b), 1e-5);
        assertEquals(ref.normA(), math.norm("f", a, 2f), tol);
        assertEquals(ref.l1A(), math.norm("f", a, 1f), tol);
        assertEquals(ref.infA(), math.norm("f", a, Float.POSITIVE_INFINITY), 0);
        float[] unit = math.normalize("f", a, 2f);
        for (int i = 0; i < dim; i++) {
          assertEquals(a[i] / ref.normA(), unit[i], 1e-5);
        }
      }
    }
  }

  @Test
  void emptyAndZeroVectorsGiveSpark42sResults() {
    for (VectorMath math : implementations()) {
      float[] empty = new float[0];
      float[] zero = new float[3];
      assertEquals(0f, math.l2Distance("f", empty, empty));
      assertEquals(0f, math.innerProduct("f", empty, empty));
      assertNull(math.cosineSimilarity("f", empty, empty));
      assertNull(math.cosineSimilarity("f", zero, new float[] {1, 2, 3}));
      assertEquals(0.0, math.norm("f", empty, 2f));
      assertArrayEquals(empty, math.normalize("f", empty, 2f));
      assertNull(math.normalize("f", zero, 1f));
    }
  }

  @Test
  void differentLengthsAndBadDegreesAreRefusedNamingTheFunction() {
    VectorMath math = VectorMath.DEFAULT;
    DimensionMismatchException e = assertThrows(DimensionMismatchException.class,
        () -> math.l2Distance("vector_l2_distance", new float[3], new float[4]));
    assertTrue(e.getMessage().contains("vector_l2_distance") && e.getMessage().contains("3 and 4"),
        e.getMessage());
    InvalidRequestException d = assertThrows(InvalidRequestException.class,
        () -> math.norm("vector_norm", new float[3], 3f));
    assertTrue(d.getMessage().contains("vector_norm") && d.getMessage().contains("3.0"),
        d.getMessage());
  }

  private static float[] random(Random random, int dim) {
    float[] v = new float[dim];
    for (int i = 0; i < dim; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }
}
