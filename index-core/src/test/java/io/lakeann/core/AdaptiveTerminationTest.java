package io.lakeann.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.data.SyntheticVectors;
import io.lakeann.core.search.Neighbors;
import io.lakeann.core.search.RowFilter;
import io.lakeann.core.util.SplitMix64;
import java.util.BitSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * A search that stops adaptively (a recall target, no nprobe) is exact-safe at target 1, never
 * returns fewer than k rows when k are allowed, respects filters and deletion masks, and with a
 * bar from elsewhere does less work without losing what beats the bar.
 */
class AdaptiveTerminationTest {
  private static final int DIM = 32;
  private static final SyntheticVectors GEN = new SyntheticVectors(DIM, 30, 0.6f, 7);
  private static final float EPSILON = 1.9f;

  private static RabitqIndex index(Metric metric, int rows) {
    return RabitqIndex.build(GEN.vectorSet("adaptive", rows, 1),
        IndexConfig.builder().metric(metric).build());
  }

  private static float[][] queries(int count) {
    return SyntheticVectors.rows(GEN.points(count, 5), DIM);
  }

  private static RowFilter randomShare(int n, int oneIn, long seed) {
    BitSet bits = new BitSet(n);
    SplitMix64 rng = new SplitMix64(seed);
    for (int row = 0; row < n; row++) {
      if (rng.nextInt(oneIn) == 0) {
        bits.set(row);
      }
    }
    return RowFilter.of(bits);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Metric.class)
  void targetOneGivesWhatProbingEveryListGives(Metric metric) {
    RabitqIndex index = index(metric, 6_000);
    long adaptiveWork = 0;
    long exhaustiveWork = 0;
    for (float[] q : queries(60)) {
      Neighbors adaptive = index.search(q).k(10).recall(1.0).epsilon(EPSILON).run();
      Neighbors exhaustive = index.search(q).k(10).nprobe(index.nlist()).epsilon(EPSILON).run();
      assertEquals(exhaustive, adaptive);
      adaptiveWork += adaptive.rowsScanned();
      exhaustiveWork += exhaustive.rowsScanned();
    }
    assertTrue(adaptiveWork <= exhaustiveWork, adaptiveWork + " > " + exhaustiveWork);
  }

  @ParameterizedTest(name = "recall {0}")
  @ValueSource(doubles = {0.8, 0.95, 1.0})
  void neverFewerThanKRowsWhenKAreAllowed(double target) {
    // 600 rows in 60 small lists: the nearest lists hold fewer than k = 50 rows.
    RabitqIndex index = RabitqIndex.build(GEN.vectorSet("small lists", 600, 1),
        IndexConfig.builder().nlist(60).build());
    for (float[] q : queries(20)) {
      assertEquals(50, index.search(q).k(50).recall(target).run().size());
    }
  }

  @Test
  void filteredAdaptiveSearchReturnsOnlyAllowedRowsAndTheExactOnesAtTargetOne() {
    RabitqIndex index = index(Metric.L2, 6_000);
    VectorSet base = GEN.vectorSet("adaptive", 6_000, 1);
    RowFilter allowed = randomShare(6_000, 10, 3);
    ExactSearch exact = new ExactSearch(base, Metric.L2);
    long hits = 0;
    float[][] qs = queries(50);
    for (float[] q : qs) {
      Neighbors atTarget = index.search(q).k(10).recall(0.95).filter(allowed).run();
      assertEquals(10, atTarget.size());
      for (int i = 0; i < atTarget.size(); i++) {
        assertTrue(allowed.allows((int) atTarget.id(i)), "row " + atTarget.id(i) + " returned");
      }
      Neighbors truth = exact.search(q, 10, allowed);
      for (int i = 0; i < atTarget.size(); i++) {
        for (int j = 0; j < truth.size(); j++) {
          hits += atTarget.id(i) == truth.id(j) ? 1 : 0;
        }
      }
      assertEquals(index.search(q).k(10).nprobe(index.nlist()).epsilon(EPSILON).filter(allowed)
          .run(), index.search(q).k(10).recall(1.0).epsilon(EPSILON).filter(allowed).run());
    }
    double recall = (double) hits / (10.0 * qs.length);
    assertTrue(recall >= 0.95, "filtered recall@10 at target 0.95: " + recall);
  }

  @Test
  void deletionMaskHidesTheNearestRowAtEveryTarget() {
    VectorSet base = GEN.vectorSet("adaptive", 6_000, 1);
    RabitqIndex index = index(Metric.L2, 6_000);
    BitSet deleted = new BitSet();
    deleted.set(42);
    RowFilter live = RowFilter.of(deleted).complement(base.size());
    for (double target : new double[] {0.8, 0.95, 1.0}) {
      Neighbors found = index.search(base.vector(42)).k(10).recall(target).filter(live).run();
      assertEquals(10, found.size());
      for (int i = 0; i < found.size(); i++) {
        assertTrue(found.id(i) != 42, "deleted row 42 returned at target " + target);
      }
    }
  }

  @Test
  void aBarSkipsWorkAndKeepsEveryRowThatBeatsIt() {
    RabitqIndex index = index(Metric.L2, 6_000);
    for (float[] q : queries(30)) {
      Neighbors free = index.search(q).k(10).recall(1.0).run();
      float bar = free.distance(4);
      Neighbors barred = index.search(q).k(10).recall(1.0).bar(bar).run();
      assertTrue(barred.rowsScanned() <= free.rowsScanned());
      for (int i = 0; i < 4; i++) {
        assertEquals(free.id(i), barred.id(i), "rank " + i + " beats the bar");
      }
    }
  }
}
