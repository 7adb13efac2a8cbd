package io.lakeann.core.witness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.lakeann.core.IndexConfig;
import io.lakeann.core.Metric;
import io.lakeann.core.VectorSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The content fingerprint is a function of the rows, in order, and nothing else: equal rows give
 * equal fingerprints; any change, including moving bytes across a field or row boundary, gives
 * another.
 */
class ContentFingerprintTest {

  private static Witness of(int dim, long[] ids, float... data) {
    return ContentFingerprint.of(VectorSet.of("test", ids, data, dim));
  }

  /** A float whose raw bits are {@code bits}. */
  private static float f(int bits) {
    return Float.intBitsToFloat(bits);
  }

  @Test
  void sameRowsGiveTheSameFingerprintWhicheverWayTheyAreFed() {
    Witness whole = of(2, new long[] {7, 8}, 1f, 2f, 3f, 4f);
    ContentFingerprint incremental = new ContentFingerprint(2);
    incremental.add(7, new float[] {9f, 1f, 2f}, 1);
    incremental.add(8, new float[] {3f, 4f}, 0);

    assertEquals(whole, incremental.finish());
    assertEquals(whole, of(2, new long[] {7, 8}, 1f, 2f, 3f, 4f));
  }

  @Test
  void boundaryShiftPairsGiveDifferentFingerprints() {
    // Each pair has the same unframed bytes (ids then floats, little-endian) cut differently.
    int a = 0x3f800000; // 1.0f
    int b = 0x40000000; // 2.0f
    List<Witness> shifted = List.of(
        // 4 bytes move from the vector into the id: (id = b<<32 | a... ) vs (id, [a, b])
        of(2, new long[] {5L}, f(a), f(b)),
        of(1, new long[] {((long) a << 32) | 5L}, f(b)),
        // one row of two floats vs two rows of one float
        of(2, new long[] {5L}, f(a), f(b)),
        of(1, new long[] {5L, 6L}, f(a), f(b)),
        // the same floats, moved from the second row to the first
        of(2, new long[] {1L, 2L}, f(a), f(b), f(a), f(b)),
        of(3, new long[] {1L}, f(a), f(b), f(a)));
    for (int i = 0; i < shifted.size(); i += 2) {
      assertNotEquals(shifted.get(i), shifted.get(i + 1), "pair " + i / 2);
    }
  }

  @Test
  void everySmallChangeGivesAnotherFingerprint() {
    Set<Witness> seen = new HashSet<>();
    seen.add(of(2, new long[] {1, 2}, 1f, 2f, 3f, 4f));
    seen.add(of(2, new long[] {2, 1}, 3f, 4f, 1f, 2f)); // rows swapped
    seen.add(of(2, new long[] {1, 3}, 1f, 2f, 3f, 4f)); // one id changed
    seen.add(of(2, new long[] {1, 2}, 1f, 2f, 3f, Math.nextUp(4f))); // one ulp
    seen.add(of(2, new long[] {1, 2, 3}, 1f, 2f, 3f, 4f, 5f, 6f)); // a row appended
    seen.add(of(2, new long[] {1}, 1f, 2f)); // a row removed
    seen.add(of(2, new long[] {1, 2}, 1f, 2f, 3f, -0f)); // sign of zero
    seen.add(of(2, new long[] {1, 2}, 1f, 2f, 3f, 0f));
    seen.add(of(2, new long[0])); // no rows

    assertEquals(9, seen.size());
  }

  @Test
  void configHashIgnoresThreadsAndSeesEverythingElse() {
    IndexConfig base = IndexConfig.defaults();
    Set<Witness> hashes = new HashSet<>();
    hashes.add(ConfigHash.of(base));
    hashes.add(ConfigHash.of(base.toBuilder().threads(base.threads() + 3).build()));
    assertEquals(1, hashes.size(), "threads never change an index");

    List<IndexConfig> others = List.of(
        base.toBuilder().metric(Metric.COSINE).build(),
        base.toBuilder().nlist(7).build(),
        base.toBuilder().nprobe(3).build(),
        base.toBuilder().exBits(2).build(),
        base.toBuilder().epsilon(1.5f).build(),
        base.toBuilder().storeOriginals(false).build(),
        base.toBuilder().seed(43).build(),
        base.toBuilder().kmeansIterations(11).build(),
        base.toBuilder().trainingPointsPerList(65).build());
    for (IndexConfig other : others) {
      hashes.add(ConfigHash.of(other));
    }
    assertEquals(1 + others.size(), hashes.size());
  }
}
