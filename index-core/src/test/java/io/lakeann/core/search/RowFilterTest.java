package io.lakeann.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A {@link RowFilter} allows exactly the rows it was given, and nothing at or past capacity. */
class RowFilterTest {

  @Test
  void ofAllowsExactlyTheSetBitsAcrossWordBoundaries() {
    BitSet bits = bits(0, 63, 64, 127, 128, 200);
    RowFilter f = RowFilter.of(bits);
    for (int row = 0; row < 300; row++) {
      assertEquals(bits.get(row), f.allows(row), "row " + row);
    }
    assertEquals(6, f.allowedCount());
    assertEquals(201, f.capacity());
  }

  @Test
  void ofCopiesTheBitSet() {
    BitSet bits = bits(1, 2);
    RowFilter f = RowFilter.of(bits);
    bits.set(5);
    bits.clear(1);
    assertTrue(f.allows(1));
    assertFalse(f.allows(5));
    assertEquals(2, f.allowedCount());
    assertEquals(3, f.capacity());
  }

  @Test
  void allAllowsEveryRowBelowTheCountAndNoneAtOrAbove() {
    for (int rows : new int[] {1, 63, 64, 65, 1000}) {
      RowFilter f = RowFilter.all(rows);
      assertTrue(f.allows(0));
      assertTrue(f.allows(rows - 1), "rows " + rows);
      assertFalse(f.allows(rows), "rows " + rows);
      assertFalse(f.allows(rows + 64), "rows " + rows);
      assertEquals(rows, f.allowedCount());
      assertEquals(rows, f.capacity());
    }
  }

  @Test
  void emptyFilterAllowsNothing() {
    for (RowFilter f : new RowFilter[] {RowFilter.all(0), RowFilter.of(new BitSet())}) {
      assertFalse(f.allows(0));
      assertEquals(0, f.allowedCount());
      assertEquals(0, f.capacity());
    }
  }

  @Test
  void negativeRowsAreNeverAllowed() {
    RowFilter f = RowFilter.all(128);
    for (int row : new int[] {-1, -64, -65, Integer.MIN_VALUE}) {
      assertFalse(f.allows(row), "row " + row);
    }
  }

  @Test
  void complementAllowsExactlyTheOtherRowsBelowTheCount() {
    Random rnd = new Random(3);
    for (int rows : new int[] {1, 64, 100, 129}) {
      BitSet deleted = new BitSet();
      for (int r = 0; r < rows; r++) {
        if (rnd.nextInt(3) == 0) {
          deleted.set(r);
        }
      }
      RowFilter live = RowFilter.of(deleted).complement(rows);
      for (int r = 0; r < rows + 70; r++) {
        assertEquals(r < rows && !deleted.get(r), live.allows(r), "rows " + rows + " row " + r);
      }
      assertEquals(rows - deleted.cardinality(), live.allowedCount());
      assertTrue(live.capacity() <= rows);
    }
  }

  @Test
  void complementDropsRowsOfTheOriginalAtOrBeyondTheCount() {
    // A filter over 200 rows turned around within the first 100: rows 150 and 199 must not leak.
    RowFilter f = RowFilter.of(bits(3, 150, 199)).complement(100);
    assertFalse(f.allows(3));
    assertFalse(f.allows(150));
    assertFalse(f.allows(199));
    assertTrue(f.allows(99));
    assertEquals(99, f.allowedCount());
    assertEquals(100, f.capacity());
  }

  @Test
  void complementTwiceGivesBackTheOriginalWithinTheCount() {
    BitSet bits = bits(0, 5, 64, 70);
    RowFilter twice = RowFilter.of(bits).complement(80).complement(80);
    for (int r = 0; r < 200; r++) {
      assertEquals(bits.get(r), twice.allows(r), "row " + r);
    }
    assertEquals(4, twice.allowedCount());
  }

  @Test
  void complementOfAllIsEmpty() {
    RowFilter none = RowFilter.all(65).complement(65);
    assertEquals(0, none.allowedCount());
    assertEquals(0, none.capacity());
  }

  private static BitSet bits(int... rows) {
    BitSet b = new BitSet();
    for (int r : rows) {
      b.set(r);
    }
    return b;
  }
}
