package io.lakeann.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GroundTruthTest {

  @Test
  void recallIsTheShareOfTheTrueTopKFoundInAnyOrder() {
    GroundTruth truth = new GroundTruth(new long[][] {{1, 2, 3, 4}}, "test", 0, 0);
    assertEquals(1.0, truth.recall(0, new long[] {4, 3, 2, 1}));
    assertEquals(0.5, truth.recall(0, new long[] {9, 2, 8, 4}));
    assertEquals(0.25, truth.recall(0, new long[] {1}));
  }
}
