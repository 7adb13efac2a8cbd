package io.lakeann.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.lakeann.core.data.SyntheticVectors;
import io.lakeann.core.format.RbpxWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Same rows, config and seed give a byte-identical rbpx file, whatever the thread count or the
 * kernels: the file is the index's canonical form, so equal files mean equal indexes.
 */
class DeterminismTest {
  /** The system property that tells the child JVM where to write its file. */
  private static final String DIR_PROPERTY = "lakeann.test.dir";
  private static final VectorSet ROWS =
      new SyntheticVectors(100, 20, 0.5f, 5).vectorSet("synthetic", 6_000, 1);

  @TempDir
  Path dir;

  /** Entry point of the child JVM: prints the SHA-256 of the default build's rbpx file. */
  public static final class PrintFileDigest {
    public static void main(String[] args) throws Exception {
      Path file = Path.of(System.getProperty(DIR_PROPERTY)).resolve("child.rbpx");
      System.out.println("digest=" + digest(file(file, IndexConfig.builder().exBits(2).build())));
    }
  }

  private static String digest(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** The bytes of the rbpx file of {@code config}'s build, written to {@code file}. */
  private static byte[] file(Path file, IndexConfig config) throws IOException {
    RbpxWriter.write(file, RabitqIndex.build(ROWS, config), new byte[0], null, List.of());
    return Files.readAllBytes(file);
  }

  private byte[] file(String name, IndexConfig config) throws IOException {
    return file(dir.resolve(name), config);
  }

  @ParameterizedTest(name = "exBits {0}")
  @ValueSource(ints = {0, 3})
  void oneThreadAndManyThreadsWriteIdenticalFiles(int exBits) throws IOException {
    IndexConfig config = IndexConfig.builder().exBits(exBits).seed(9).build();

    byte[] single = file("single.rbpx", config.toBuilder().threads(1).build());
    byte[] many = file("many.rbpx", config.toBuilder().threads(4).build());

    assertArrayEquals(single, many);
  }

  @Test
  void scalarAndSimdKernelsOfAnyWidthWriteIdenticalFiles() throws Exception {
    String where = "-D" + DIR_PROPERTY + "=";
    String simd = digestLine(ChildJvm.run(PrintFileDigest.class,
        "--add-modules", "jdk.incubator.vector", where + dir.resolve("simd")));
    String simd256 = digestLine(ChildJvm.run(PrintFileDigest.class,
        "--add-modules", "jdk.incubator.vector", "-XX:MaxVectorSize=32",
        where + dir.resolve("simd256")));
    String scalar = digestLine(ChildJvm.run(PrintFileDigest.class,
        "--add-modules", "jdk.incubator.vector", "-Dlakeann.kernels=scalar",
        where + dir.resolve("scalar")));

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

    byte[] first = file("first.rbpx", config.toBuilder().seed(1).build());
    byte[] again = file("again.rbpx", config.toBuilder().seed(1).build());
    byte[] other = file("other.rbpx", config.toBuilder().seed(2).build());

    assertArrayEquals(first, again);
    assertFalse(Arrays.equals(first, other), "a different seed must change the file");
  }

  @Test
  void oneUlpInOneFactorChangesTheFile() throws IOException {
    IndexConfig config = IndexConfig.builder().seed(3).threads(2).build();
    RabitqIndex index = RabitqIndex.build(ROWS, config);
    IndexParts p = index.parts();
    float[] factors = p.factors().clone();
    factors[0] = Math.nextUp(factors[0]);
    RabitqIndex nudged = RabitqIndex.fromParts(new IndexParts(p.config(), p.source(), p.dim(),
        p.rotationSigns(), p.centroids(), p.rotatedCentroids(), p.listStart(), p.ids(), p.rows(),
        p.signCodes(), factors, p.exPlanes(), p.exFactors(), p.originals(),
        p.contentFingerprint(), p.calibration()));

    RbpxWriter.write(dir.resolve("a.rbpx"), index, new byte[0], null, List.of());
    RbpxWriter.write(dir.resolve("b.rbpx"), nudged, new byte[0], null, List.of());

    assertNotEquals(-1L, Files.mismatch(dir.resolve("a.rbpx"), dir.resolve("b.rbpx")),
        "one float a ulp apart must change the file");
  }
}
