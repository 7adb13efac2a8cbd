package io.lakeann.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link SplitMix64} produces the sequence its definition fixes, whatever the JVM, and its derived
 * values stay in their documented ranges.
 */
class SplitMix64Test {

  @Test
  void seedZeroGivesTheReferenceSplitMix64Sequence() {
    // First outputs of Vigna's splitmix64.c with x = 0.
    SplitMix64 r = new SplitMix64(0);
    assertEquals(0xE220A8397B1DCDAFL, r.nextLong());
    assertEquals(0x6E789E6AA1B965F4L, r.nextLong());
    assertEquals(0x06C45D188009454FL, r.nextLong());
  }

  @Test
  void sameSeedGivesTheSameSequence() {
    SplitMix64 a = new SplitMix64(123456789L);
    SplitMix64 b = new SplitMix64(123456789L);
    for (int i = 0; i < 1000; i++) {
      assertEquals(a.nextLong(), b.nextLong(), "draw " + i);
    }
  }

  @Test
  void nearbySeedsGiveUnrelatedSequences() {
    SplitMix64 a = new SplitMix64(1);
    SplitMix64 b = new SplitMix64(2);
    int equal = 0;
    for (int i = 0; i < 1000; i++) {
      equal += a.nextLong() == b.nextLong() ? 1 : 0;
    }
    assertEquals(0, equal);
  }

  @Test
  void nextIntStaysInItsBoundForSmallLargeAndPowerOfTwoBounds() {
    SplitMix64 r = new SplitMix64(5);
    for (int bound : new int[] {1, 2, 3, 7, 64, 1000, (1 << 30) + 1, Integer.MAX_VALUE}) {
      for (int i = 0; i < 10_000; i++) {
        int v = r.nextInt(bound);
        assertTrue(v >= 0 && v < bound, "bound " + bound + " gave " + v);
      }
    }
  }

  @Test
  void nextIntHitsEveryValueAboutEquallyOften() {
    // 70,000 draws over 7 values: each count is 10,000 +- 4 standard deviations (~ 4 * 93).
    SplitMix64 r = new SplitMix64(6);
    int[] counts = new int[7];
    for (int i = 0; i < 70_000; i++) {
      counts[r.nextInt(7)]++;
    }
    for (int v = 0; v < 7; v++) {
      assertTrue(Math.abs(counts[v] - 10_000) < 400, "value " + v + " drawn " + counts[v]);
    }
  }

  @Test
  void nextIntOfALargeBoundIsUniformOverItsWholeRange() {
    // bound = 3 * 2^29: a generator reduced through 32 bits would hit the lowest two thirds of
    // [0, bound) 3 times in 8 and the rest 2 times in 8, so the thirds would get 37.5%, 37.5%, 25%.
    SplitMix64 r = new SplitMix64(7);
    int bound = 3 << 29;
    int n = 90_000;
    int[] thirds = new int[3];
    for (int i = 0; i < n; i++) {
      thirds[r.nextInt(bound) / (1 << 29)]++;
    }
    for (int t = 0; t < 3; t++) {
      assertTrue(Math.abs(thirds[t] - n / 3) < 600, "third " + t + " drawn " + thirds[t]);
    }
  }

  @Test
  void nextFloatIsInTheUnitIntervalAndCoversIt() {
    SplitMix64 r = new SplitMix64(8);
    float min = 1;
    float max = 0;
    for (int i = 0; i < 100_000; i++) {
      float f = r.nextFloat();
      assertTrue(f >= 0f && f < 1f, "got " + f);
      min = Math.min(min, f);
      max = Math.max(max, f);
    }
    assertTrue(min < 1e-3f && max > 1 - 1e-3f, "range [" + min + ", " + max + "]");
  }

  @Test
  void nextGaussianHasMeanZeroAndVarianceOne() {
    SplitMix64 r = new SplitMix64(9);
    int n = 200_000;
    double sum = 0;
    double sumSq = 0;
    for (int i = 0; i < n; i++) {
      double g = r.nextGaussian();
      assertTrue(Double.isFinite(g));
      sum += g;
      sumSq += g * g;
    }
    double mean = sum / n;
    double variance = sumSq / n - mean * mean;
    // Standard errors: 1/sqrt(n) ~ 0.0022 for the mean, sqrt(2/n) ~ 0.0032 for the variance.
    assertEquals(0, mean, 0.01);
    assertEquals(1, variance, 0.015);
  }

  @Test
  void forPurposeIsDeterministic() {
    SplitMix64 a = SplitMix64.forPurpose(42, 7);
    SplitMix64 b = SplitMix64.forPurpose(42, 7);
    for (int i = 0; i < 100; i++) {
      assertEquals(a.nextLong(), b.nextLong());
    }
  }

  @Test
  void streamsForDifferentPurposesOrSeedsShareNoValues() {
    SplitMix64[] streams = {
        SplitMix64.forPurpose(42, 1), SplitMix64.forPurpose(42, 2),
        SplitMix64.forPurpose(43, 1), new SplitMix64(42)};
    Set<Long> seen = new HashSet<>();
    for (SplitMix64 s : streams) {
      for (int i = 0; i < 1000; i++) {
        assertTrue(seen.add(s.nextLong()), "streams overlap");
      }
    }
  }

  @Test
  void forPurposeDiffersFromThePlainSeed() {
    assertNotEquals(new SplitMix64(42).nextLong(), SplitMix64.forPurpose(42, 0).nextLong());
  }
}
