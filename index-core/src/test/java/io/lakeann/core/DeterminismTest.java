package io.lakeann.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.lakeann.core.data.SyntheticVectors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Same rows, config and seed give byte-identical index state, whatever the thread count. */
class DeterminismTest {
  private static final VectorSet ROWS =
      new SyntheticVectors(100, 20, 0.5f, 5).vectorSet("synthetic", 6_000, 1);

  private static byte[] state(IndexConfig config) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RabitqIndex.build(ROWS, config).writeState(out);
    return out.toByteArray();
  }

  @ParameterizedTest(name = "exBits {0}")
  @ValueSource(ints = {0, 3})
  void oneThreadAndManyThreadsBuildIdenticalBytes(int exBits) throws IOException {
    IndexConfig config = IndexConfig.builder().exBits(exBits).seed(9).build();

    byte[] single = state(config.toBuilder().threads(1).build());
    byte[] many = state(config.toBuilder().threads(4).build());

    assertArrayEquals(single, many);
  }

  @ParameterizedTest(name = "exBits {0}")
  @ValueSource(ints = {0, 3})
  void sameSeedSameBytesOtherSeedOtherBytes(int exBits) throws IOException {
    IndexConfig config = IndexConfig.builder().exBits(exBits).threads(2).build();

    byte[] first = state(config.toBuilder().seed(1).build());
    byte[] again = state(config.toBuilder().seed(1).build());
    byte[] other = state(config.toBuilder().seed(2).build());

    assertArrayEquals(first, again);
    assertFalse(Arrays.equals(first, other), "a different seed must change the index");
  }
}
