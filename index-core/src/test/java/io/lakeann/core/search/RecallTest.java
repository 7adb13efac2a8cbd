package io.lakeann.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecallTest {
  @Test
  void recallPoolsHitsOverQueriesAndCountsMissingQueriesAsNothingFound() {
    List<List<Long>> truth = List.of(List.of(1L, 2L), List.of(3L, 4L), List.of(5L, 6L));
    assertEquals(3.0 / 6, Recall.of(truth, List.of(List.of(2L, 9L), List.of(3L, 4L))));
    assertEquals(1.0, Recall.of(List.of(), List.of()));
  }
}
