package io.lakeann.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

  private static String run(String... jvmFlags) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new java.util.ArrayList<>(List.of(java.toString()));
    command.addAll(List.of(jvmFlags));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        PrintChoice.class.getName()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
    assertEquals(0, process.exitValue(), output);
    return output;
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
