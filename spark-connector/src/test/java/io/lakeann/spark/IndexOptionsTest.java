package io.lakeann.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lakeann.core.IndexConfig;
import io.lakeann.core.Metric;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The knobs shown for a config are the knobs that parse back to it. */
class IndexOptionsTest {
  @Test
  void shownKnobsParseBackToTheSameConfig() {
    IndexConfig config = IndexConfig.builder().metric(Metric.COSINE).nlist(17).nprobe(3)
        .exBits(4).epsilon(2.5f).storeOriginals(false).seed(-9).kmeansIterations(7)
        .trainingPointsPerList(33).build();

    Map<String, Object> shown = IndexOptions.values(config);
    IndexConfig parsed = IndexOptions.config(knob -> shown.entrySet().stream()
        .filter(e -> e.getKey().toLowerCase(Locale.ROOT).equals(knob))
        .map(e -> String.valueOf(e.getValue())).findFirst().orElse(null), "the test");

    assertEquals(IndexOptions.NAMES, List.copyOf(shown.keySet()));
    assertEquals(config, parsed);
  }
}
