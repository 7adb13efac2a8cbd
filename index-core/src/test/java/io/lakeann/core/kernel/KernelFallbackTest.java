package io.lakeann.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.ChildJvm;
import org.junit.jupiter.api.Test;

/**
 * A JVM started without {@code --add-modules jdk.incubator.vector} falls back to the scalar
 * kernels and says so in one log line. Runs a real second JVM on this test classpath.
 */
class KernelFallbackTest {

  /** Entry point of the child JVM: prints the chosen kernels. */
  public static final class PrintChoice {
    public static void main(String[] args) {
      System.out.println("chosen=" + Kernels.get().name());
    }
  }

  private static String run(String... jvmFlags) throws Exception {
    return ChildJvm.run(PrintChoice.class, jvmFlags);
  }


  @Test
  void withoutTheVectorModuleTheScalarKernelsAreChosenWithOneLogLine() throws Exception {
    String output = run();

    assertTrue(output.contains("chosen=scalar"), output);
    assertEquals(1, output.lines().filter(l -> l.contains("SIMD unavailable")).count(), output);
  }

  @Test
  void withTheVectorModuleTheSimdKernelsAreChosen() throws Exception {
    String output = run("--add-modules", "jdk.incubator.vector");

    assertTrue(output.contains("chosen=panama"), output);
  }

  @Test
  void scalarKernelsCanBeForced() throws Exception {
    String output = run("--add-modules", "jdk.incubator.vector", "-Dlakeann.kernels=scalar");

    assertTrue(output.contains("chosen=scalar"), output);
  }
}
