package io.lakeann.core.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link TopK} keeps the k best candidates by (distance, id) and drains them nearest first. */
class TopKTest {

  @Test
  void keepsTheKSmallestDistancesOfManyRandomCandidates() {
    Random rnd = new Random(1);
    for (int k : new int[] {1, 2, 3, 7, 10, 64}) {
      for (int n : new int[] {0, 1, k - 1, k, k + 1, 200}) {
        List<Candidate> all = new ArrayList<>();
        for (int i = 0; i < Math.max(0, n); i++) {
          // Few distinct distances (some negative, as for inner product) so ties are common.
          all.add(new Candidate(rnd.nextInt(1_000_000), rnd.nextInt(20) - 5));
        }
        TopK top = new TopK(k);
        for (Candidate c : all) {
          top.offer(c.id, c.distance);
        }
        all.sort(Candidate.ORDER);
        List<Candidate> expected = all.subList(0, Math.min(k, all.size()));
        assertEquals(expected, candidates(top.drain()), "k " + k + " n " + n);
      }
    }
  }

  @Test
  void resultDoesNotDependOnOfferOrder() {
    List<Candidate> all = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      all.add(new Candidate(i, i % 10));
    }
    List<Candidate> first = null;
    Random rnd = new Random(2);
    for (int trial = 0; trial < 10; trial++) {
      Collections.shuffle(all, rnd);
      TopK top = new TopK(15);
      all.forEach(c -> top.offer(c.id, c.distance));
      List<Candidate> got = candidates(top.drain());
      if (first == null) {
        first = got;
      }
      assertEquals(first, got, "trial " + trial);
    }
  }

  @Test
  void equalDistancesAreBrokenBySmallerId() {
    TopK top = new TopK(2);
    for (long id : new long[] {5, 3, 9, 1, 7}) {
      top.offer(id, 0.5f);
    }
    Neighbors n = top.drain();
    assertArrayEquals(new long[] {1, 3}, n.ids());
    assertArrayEquals(new float[] {0.5f, 0.5f}, n.distances());
  }

  @Test
  void fewerOffersThanKAreAllReturnedSorted() {
    TopK top = new TopK(10);
    top.offer(1, 3f);
    top.offer(2, -1f);
    top.offer(3, 2f);
    Neighbors n = top.drain();
    assertArrayEquals(new long[] {2, 3, 1}, n.ids());
    assertArrayEquals(new float[] {-1f, 2f, 3f}, n.distances());
  }

  @Test
  void worstIsInfiniteUntilFullThenTheKthBestDistance() {
    TopK top = new TopK(3);
    top.offer(1, 5f);
    top.offer(2, 1f);
    assertFalse(top.isFull());
    assertEquals(Float.POSITIVE_INFINITY, top.worst());
    top.offer(3, 3f);
    assertTrue(top.isFull());
    assertEquals(5f, top.worst());
    top.offer(4, 2f); // evicts distance 5
    assertEquals(3f, top.worst());
    top.offer(5, 9f); // ignored
    assertEquals(3f, top.worst());
  }

  @Test
  void drainEmptiesTheHeapForReuse() {
    TopK top = new TopK(2);
    top.offer(1, 1f);
    top.offer(2, 2f);
    top.drain();
    assertEquals(0, top.drain().size());
    assertFalse(top.isFull());
    top.offer(3, 7f);
    assertArrayEquals(new long[] {3}, top.drain().ids());
  }

  private static List<Candidate> candidates(Neighbors n) {
    List<Candidate> out = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      out.add(new Candidate(n.id(i), n.distance(i)));
    }
    return out;
  }

  private static final class Candidate {
    static final Comparator<Candidate> ORDER =
        Comparator.<Candidate>comparingDouble(c -> c.distance).thenComparingLong(c -> c.id);
    final long id;
    final float distance;

    Candidate(long id, float distance) {
      this.id = id;
      this.distance = distance;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Candidate && ((Candidate) o).id == id
          && Float.compare(((Candidate) o).distance, distance) == 0;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(id) * 31 + Float.hashCode(distance);
    }

    @Override
    public String toString() {
      return id + ":" + distance;
    }
  }
}
