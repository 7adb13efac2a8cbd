package io.lakeann.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.search.Neighbors;
import io.lakeann.core.search.RowFilter;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every bad input named by the issue (dimension mismatch, NaN/Inf, empty input, k <= 0, k > n,
 * duplicate ids, null vectors) either fails with a typed {@link LakeAnnException} whose message
 * names the source, the row, the id and the value, or has the documented behaviour.
 */
class BadInputTest {
  private static final String SOURCE = "docs.embedding";
  private static final int DIM = 4;
  private static final int ROWS = 30;

  /** A small L2 index: 30 rows, ids 100..129, 5 lists, every list probed by default. */
  private static final RabitqIndex INDEX = index(Metric.L2);

  // ---- vectors entering a vector set ----

  @Test
  void vectorOfWrongDimensionIsRefusedNamingRowIdAndBothDimensions() {
    VectorSet.Builder b = VectorSet.builder(SOURCE, DIM)
        .add(7, new float[DIM])
        .add(8, new float[DIM]);
    DimensionMismatchException e = assertThrows(DimensionMismatchException.class,
        () -> b.add(9, new float[DIM - 1]));
    assertMessageContains(e, "row 2 (id 9) of docs.embedding", "3 dimensions", "4 are expected");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(floats = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY})
  void nonFiniteComponentIsRefusedNamingRowIdComponentAndValue(float bad) {
    VectorSet.Builder b = VectorSet.builder(SOURCE, DIM).add(7, new float[DIM]);
    InvalidVectorException e = assertThrows(InvalidVectorException.class,
        () -> b.add(42, new float[] {1, 2, bad, 4}));
    assertMessageContains(e, "row 1 (id 42) of docs.embedding", "component 2 is " + bad);
  }

  @Test
  void nullVectorIsRefusedByDefaultPointingToSkipNullVectors() {
    VectorSet.Builder b = VectorSet.builder(SOURCE, DIM).add(7, new float[DIM]);
    InvalidVectorException e = assertThrows(InvalidVectorException.class, () -> b.add(8, null));
    assertMessageContains(e, "row 1 (id 8) of docs.embedding", "null", "skipNullVectors");
  }

  @Test
  void skippedNullsAreCountedAndStillNumberTheRowsOfLaterMessages() {
    VectorSet.Builder b = VectorSet.builder(SOURCE, DIM).skipNullVectors(true)
        .add(1, null).add(2, new float[] {1, 1, 1, 1}).add(3, null);
    InvalidVectorException e = assertThrows(InvalidVectorException.class,
        () -> b.add(4, new float[] {0, Float.NaN, 0, 0}));
    // Row numbers count every row handed to the builder, skipped or not: this was the 4th.
    assertMessageContains(e, "row 3 (id 4)", "component 1 is NaN");
    VectorSet set = b.build();
    assertEquals(1, set.size());
    assertEquals(2, set.id(0));
    assertEquals(2, set.skippedNulls());
  }

  // ---- building an index ----

  @Test
  void emptyInputFailsTheBuildNamingTheSource() {
    VectorSet empty = VectorSet.of(SOURCE, new long[0], new float[0], DIM);
    EmptyInputException e = assertThrows(EmptyInputException.class,
        () -> RabitqIndex.build(empty, IndexConfig.defaults()));
    assertMessageContains(e, "docs.embedding", "no rows");
    assertTrue(!e.getMessage().contains("skipped"), e.getMessage());
  }

  @Test
  void inputEmptiedBySkippingNullsFailsTheBuildSayingHowManyWereSkipped() {
    VectorSet onlyNulls = VectorSet.builder(SOURCE, DIM).skipNullVectors(true)
        .add(1, null).add(2, null).add(3, null).build();
    EmptyInputException e = assertThrows(EmptyInputException.class,
        () -> RabitqIndex.build(onlyNulls, IndexConfig.defaults()));
    assertMessageContains(e, "docs.embedding", "no rows", "3 null vectors were skipped");
  }

  @Test
  void duplicateIdIsRefusedNamingTheIdAndBothRows() {
    VectorSet set = VectorSet.of(SOURCE, new long[] {5, 7, 6, 7}, new float[4 * DIM], DIM);
    DuplicateIdException e = assertThrows(DuplicateIdException.class,
        () -> RabitqIndex.build(set, IndexConfig.defaults()));
    assertMessageContains(e, "docs.embedding", "id 7", "rows 1 and 3");
  }

  @Test
  void duplicateIdIsFoundEvenForLongMinValueWhichTheIdSetUsesAsItsEmptyMarker() {
    VectorSet set = VectorSet.of(SOURCE, new long[] {Long.MIN_VALUE, 0, Long.MIN_VALUE},
        new float[3 * DIM], DIM);
    DuplicateIdException e = assertThrows(DuplicateIdException.class,
        () -> RabitqIndex.build(set, IndexConfig.defaults()));
    assertMessageContains(e, "id " + Long.MIN_VALUE, "rows 0 and 2");
  }

  @Test
  void zeroVectorIsRefusedForCosineNamingRowAndId() {
    float[] data = new float[3 * DIM];
    Arrays.fill(data, 0, DIM, 1f);
    Arrays.fill(data, 2 * DIM, 3 * DIM, 1f);
    VectorSet set = VectorSet.of(SOURCE, new long[] {10, 11, 12}, data, DIM);
    InvalidVectorException e = assertThrows(InvalidVectorException.class,
        () -> RabitqIndex.build(set, IndexConfig.builder().metric(Metric.COSINE).build()));
    assertMessageContains(e, "row 1 (id 11) of docs.embedding", "zero length");
    InvalidVectorException exact = assertThrows(InvalidVectorException.class,
        () -> new ExactSearch(set, Metric.COSINE));
    assertMessageContains(exact, "row 1 (id 11) of docs.embedding", "zero length");
  }

  @Test
  void zeroVectorIsAcceptedForL2AndInnerProduct() {
    float[] data = new float[3 * DIM];
    Arrays.fill(data, 0, DIM, 1f);
    VectorSet set = VectorSet.of(SOURCE, new long[] {10, 11, 12}, data, DIM);
    for (Metric m : new Metric[] {Metric.L2, Metric.INNER_PRODUCT}) {
      RabitqIndex index =
          RabitqIndex.build(set, IndexConfig.builder().metric(m).threads(1).build());
      assertEquals(3, index.search(new float[] {1, 0, 0, 0}).k(3).run().size(), m.name());
    }
  }

  // ---- search parameters ----

  @ParameterizedTest(name = "k = {0}")
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  void nonPositiveKIsRefusedNamingTheValue(int k) {
    InvalidRequestException single = assertThrows(InvalidRequestException.class,
        () -> INDEX.search(query(1)).k(k).run());
    assertMessageContains(single, "Invalid k", "docs.embedding", ": " + k + " ");
  }

  @Test
  void kAboveRowCountReturnsEveryRowNearestFirst() {
    float[] q = query(2);
    Neighbors n = INDEX.search(q).k(ROWS + 5).run();
    assertEveryRowSorted(n);
    // The order is the exact one, since the index keeps originals and re-ranks.
    Neighbors exact = new ExactSearch(vectors(), Metric.L2).search(q, ROWS + 5, null);
    assertArrayEquals(exact.ids(), n.ids());
  }

  @Test
  void hugeKReturnsEveryRowWithoutAllocatingKSlots() {
    // k is a user's number; it must not size an array before being capped by the row count.
    assertEveryRowSorted(INDEX.search(query(3)).k(Integer.MAX_VALUE).run());
    assertEquals(ROWS, new ExactSearch(vectors(), Metric.L2)
        .search(query(3), Integer.MAX_VALUE, null).size());
  }

  @ParameterizedTest(name = "nprobe = {0}")
  @ValueSource(ints = {0, -3})
  void nonPositiveNprobeIsRefused(int nprobe) {
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> INDEX.search(query(1)).nprobe(nprobe).run());
    assertMessageContains(e, "Invalid nprobe", ": " + nprobe + " ", "5 lists");
  }

  @ParameterizedTest(name = "recall = {0}")
  @ValueSource(doubles = {0, -0.5, 1.01, Double.NaN, Double.POSITIVE_INFINITY})
  void recallTargetOutsideZeroToOneIsRefusedNamingTheValue(double recall) {
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> INDEX.search(query(1)).recall(recall).run());
    assertMessageContains(e, "Invalid recall target", "docs.embedding", ": " + recall + " ",
        "(0, 1]");
  }

  @Test
  void nprobeAboveListCountProbesEveryList() {
    // With nprobe = 1000 >> 5 lists and k = n, every row of every list comes back.
    assertEquals(5, INDEX.nlist());
    float[] q = query(5);
    Neighbors all = INDEX.search(q).k(ROWS).nprobe(1000).run();
    assertEveryRowSorted(all);
    assertEquals(INDEX.search(q).k(ROWS).nprobe(INDEX.nlist()).run(), all);
  }

  @ParameterizedTest(name = "epsilon = {0}")
  @ValueSource(floats = {-0.5f, Float.NaN, Float.POSITIVE_INFINITY})
  void epsilonThatIsNegativeOrNotFiniteIsRefused(float epsilon) {
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> INDEX.search(query(1)).epsilon(epsilon).run());
    assertMessageContains(e, "Invalid epsilon", String.valueOf(epsilon));
  }

  @Test
  void filterAllowingRowsBeyondTheIndexIsRefusedNamingTheRow() {
    BitSet bits = new BitSet();
    bits.set(3);
    bits.set(ROWS); // one past the last row
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> INDEX.search(query(1)).filter(RowFilter.of(bits)).run());
    assertMessageContains(e, "Invalid filter", "docs.embedding", "allows row 30",
        "only 30 rows");
  }

  @Test
  void filterReachingTheLastRowIsAccepted() {
    BitSet bits = new BitSet();
    bits.set(ROWS - 1);
    Neighbors n = INDEX.search(query(1)).filter(RowFilter.of(bits)).run();
    assertArrayEquals(new long[] {100 + ROWS - 1}, n.ids());
  }

  // ---- queries ----

  @Test
  void queryOfWrongDimensionIsRefusedNamingBothDimensions() {
    DimensionMismatchException e = assertThrows(DimensionMismatchException.class,
        () -> INDEX.search(new float[DIM + 1]).run());
    assertMessageContains(e, "query against docs.embedding", "5 dimensions", "4 are expected");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(floats = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY})
  void nonFiniteQueryIsRefusedNamingComponentAndValue(float bad) {
    InvalidVectorException e = assertThrows(InvalidVectorException.class,
        () -> INDEX.search(new float[] {0, 0, 0, bad}).run());
    assertMessageContains(e, "query against docs.embedding", "component 3 is " + bad);
  }

  @Test
  void nullQueryIsRefused() {
    InvalidVectorException e = assertThrows(InvalidVectorException.class,
        () -> INDEX.search(null).run());
    assertMessageContains(e, "query against docs.embedding", "null");
  }

  @Test
  void zeroQueryIsRefusedForCosine() {
    RabitqIndex cosine = index(Metric.COSINE);
    InvalidVectorException single = assertThrows(InvalidVectorException.class,
        () -> cosine.search(new float[DIM]).run());
    assertMessageContains(single, "query against docs.embedding", "zero length");
  }

  @Test
  void exactSearchRefusesTheSameBadQueriesAndK() {
    ExactSearch exact = new ExactSearch(vectors(), Metric.L2);
    assertMessageContains(assertThrows(InvalidRequestException.class,
        () -> exact.search(query(1), 0, null)), "Invalid k", "docs.embedding");
    assertMessageContains(assertThrows(DimensionMismatchException.class,
        () -> exact.search(new float[2], 1, null)), "2 dimensions", "4 are expected");
    assertMessageContains(assertThrows(InvalidVectorException.class,
        () -> exact.search(new float[] {Float.NaN, 0, 0, 0}, 1, null)), "component 0 is NaN");
  }

  @Test
  void everyTypedErrorIsALakeAnnException() {
    List<Executable> failures = List.of(
        () -> INDEX.search(query(1)).k(0).run(),
        () -> INDEX.search(new float[1]).run(),
        () -> INDEX.search(null).run(),
        () -> RabitqIndex.build(VectorSet.of(SOURCE, new long[0], new float[0], DIM),
            IndexConfig.defaults()),
        () -> RabitqIndex.build(VectorSet.of(SOURCE, new long[] {1, 1}, new float[2 * DIM], DIM),
            IndexConfig.defaults()));
    for (Executable f : failures) {
      assertThrows(LakeAnnException.class, f);
    }
  }

  // ---- helpers ----

  private static VectorSet vectors() {
    Random rnd = new Random(7);
    long[] ids = new long[ROWS];
    float[] data = new float[ROWS * DIM];
    for (int r = 0; r < ROWS; r++) {
      ids[r] = 100 + r;
    }
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) rnd.nextGaussian();
    }
    return VectorSet.of(SOURCE, ids, data, DIM);
  }

  private static RabitqIndex index(Metric metric) {
    return RabitqIndex.build(vectors(),
        IndexConfig.builder().metric(metric).nlist(5).threads(1).build());
  }

  private static float[] query(int seed) {
    Random rnd = new Random(1000 + seed);
    float[] q = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      q[i] = (float) rnd.nextGaussian();
    }
    return q;
  }

  /** All 30 ids 100..129 exactly once, distances non-decreasing. */
  private static void assertEveryRowSorted(Neighbors n) {
    assertEquals(ROWS, n.size(), n::toString);
    long[] ids = n.ids();
    Arrays.sort(ids);
    for (int r = 0; r < ROWS; r++) {
      assertEquals(100 + r, ids[r], n::toString);
    }
    for (int i = 1; i < n.size(); i++) {
      assertTrue(n.distance(i - 1) <= n.distance(i), n::toString);
    }
  }

  private static void assertMessageContains(Exception e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part),
          () -> "message lacks \"" + part + "\": " + e.getMessage());
    }
  }
}
