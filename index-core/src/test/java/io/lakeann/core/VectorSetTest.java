package io.lakeann.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A {@link VectorSet} holds only valid rows, in the order given, and hands out copies. */
class VectorSetTest {

  @Test
  void ofWrapsTheGivenArraysRowByRow() {
    long[] ids = {10, 11, 12};
    float[] data = {1, 2, 3, 4, 5, 6};
    VectorSet set = VectorSet.of("t", ids, data, 2);
    assertEquals(3, set.size());
    assertEquals(2, set.dim());
    assertEquals("t", set.source());
    assertEquals(11, set.id(1));
    assertArrayEquals(new float[] {5, 6}, set.vector(2));
    assertSame(data, set.data(), "of() documents that it does not copy");
    assertSame(ids, set.ids());
    assertEquals(0, set.skippedNulls());
  }

  @Test
  void ofRefusesAFloatCountThatIsNotRowsTimesDimension() {
    DimensionMismatchException e = assertThrows(DimensionMismatchException.class,
        () -> VectorSet.of("t.v", new long[] {1, 2}, new float[7], 4));
    assertContains(e, "t.v", "7 floats", "2 vectors of 4 dimensions", "expected 8 floats");
  }

  @Test
  void ofRefusesANonFiniteRowNamingRowIdAndComponent() {
    float[] data = {0, 0, 0, 0, 0, Float.NaN};
    InvalidVectorException e = assertThrows(InvalidVectorException.class,
        () -> VectorSet.of("t.v", new long[] {10, 11, 12}, data, 2));
    assertContains(e, "row 2 (id 12) of t.v", "component 1 is NaN");
    float[] inf = {0, Float.NEGATIVE_INFINITY};
    assertContains(assertThrows(InvalidVectorException.class,
        () -> VectorSet.of("t.v", new long[] {5}, inf, 2)), "row 0 (id 5)", "-Infinity");
  }

  @Test
  void nonPositiveDimensionIsRefusedByOfAndByTheBuilder() {
    assertContains(assertThrows(InvalidRequestException.class,
        () -> VectorSet.of("t.v", new long[0], new float[0], 0)), "Invalid dimension", "t.v");
    assertContains(assertThrows(InvalidRequestException.class,
        () -> VectorSet.builder("t.v", -2)), "Invalid dimension", "-2");
  }

  @Test
  void builderGrowsPastItsInitialCapacityKeepingEveryRowInOrder() {
    int rows = 2500; // the builder starts with room for 1024 rows
    VectorSet.Builder b = VectorSet.builder("t", 3);
    for (int r = 0; r < rows; r++) {
      b.add(1_000_000L + r, new float[] {r + 1, -r, r * 0.5f});
    }
    VectorSet set = b.build();
    assertEquals(rows, set.size());
    assertEquals(rows * 3, set.data().length);
    for (int r = 0; r < rows; r++) {
      assertEquals(1_000_000L + r, set.id(r));
      assertArrayEquals(new float[] {r + 1, -r, r * 0.5f}, set.vector(r), "row " + r);
    }
  }

  @Test
  void builderCopiesEachAddedVector() {
    float[] v = {1, 2};
    VectorSet.Builder b = VectorSet.builder("t", 2).add(1, v);
    v[0] = 99;
    assertArrayEquals(new float[] {1, 2}, b.build().vector(0));
  }

  @Test
  void aBuiltSetDoesNotChangeWhenItsBuilderGoesOn() {
    VectorSet.Builder b = VectorSet.builder("t", 2).add(1, new float[] {1, 1});
    VectorSet first = b.build();
    b.add(2, new float[] {2, 2});
    VectorSet second = b.build();
    assertEquals(1, first.size());
    assertEquals(2, second.size());
    assertArrayEquals(new float[] {1, 1}, first.data());
  }

  @Test
  void vectorReturnsACopy() {
    VectorSet set = VectorSet.of("t", new long[] {1, 2}, new float[] {1, 2, 3, 4}, 2);
    float[] v = set.vector(1);
    v[0] = -1;
    assertArrayEquals(new float[] {3, 4}, set.vector(1));
    assertArrayEquals(new float[] {1, 2, 3, 4}, set.data());
  }

  @Test
  void emptyBuilderBuildsAnEmptySet() {
    VectorSet set = VectorSet.builder("t", 8).build();
    assertEquals(0, set.size());
    assertEquals(0, set.data().length);
    assertEquals(8, set.dim());
  }

  @Test
  void skippedNullsDoNotTakeARowNumberInTheSet() {
    VectorSet set = VectorSet.builder("t", 1).skipNullVectors(true)
        .add(1, null).add(2, new float[] {2}).add(3, null).add(4, new float[] {4}).build();
    assertEquals(2, set.size());
    assertEquals(2, set.skippedNulls());
    assertArrayEquals(new long[] {2, 4}, set.ids());
    assertArrayEquals(new float[] {4}, set.vector(1));
  }

  @Test
  void skipNullVectorsDoesNotExcuseOtherBadRows() {
    VectorSet.Builder b = VectorSet.builder("t", 2).skipNullVectors(true);
    assertThrows(DimensionMismatchException.class, () -> b.add(1, new float[3]));
    assertThrows(InvalidVectorException.class, () -> b.add(2, new float[] {Float.NaN, 0}));
  }

  private static void assertContains(Exception e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part),
          () -> "message lacks \"" + part + "\": " + e.getMessage());
    }
  }
}
