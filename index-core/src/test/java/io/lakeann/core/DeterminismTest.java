package io.lakeann.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.lakeann.core.data.SyntheticVectors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Same rows, config and seed give byte-identical index state, whatever the thread count. */
class DeterminismTest {
  private static final VectorSet ROWS =
      new SyntheticVectors(100, 20, 0.5f, 5).vectorSet("synthetic", 6_000, 1);

  /** Entry point of the child JVM: prints the SHA-256 of the default build's state. */
  public static final class PrintStateDigest {
    public static void main(String[] args) throws Exception {
      System.out.println("digest=" + digest(state(IndexConfig.builder().exBits(2).build())));
    }
  }

  private static String digest(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

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

  @Test
  void scalarAndSimdKernelsOfAnyWidthBuildIdenticalBytes() throws Exception {
    String simd = digestLine(ChildJvm.run(PrintStateDigest.class,
        "--add-modules", "jdk.incubator.vector"));
    String simd256 = digestLine(ChildJvm.run(PrintStateDigest.class,
        "--add-modules", "jdk.incubator.vector", "-XX:MaxVectorSize=32"));
    String scalar = digestLine(ChildJvm.run(PrintStateDigest.class,
        "--add-modules", "jdk.incubator.vector", "-Dlakeann.kernels=scalar"));

    assertEquals(simd, simd256);
    assertEquals(simd, scalar);
  }

  private static String digestLine(String output) {
    return output.lines().filter(l -> l.startsWith("digest=")).findFirst()
        .orElseThrow(() -> new AssertionError("no digest in: " + output));
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
