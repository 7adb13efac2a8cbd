package io.lakeann.spark.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code bin/lakeann} run as a real process on the test's classpath ({@code LAKEANN_CLASSPATH},
 * so no Maven build runs inside a test), in a directory of the test's, for the process tests of
 * this module and of udf.
 */
public final class LakeAnnProcess {
  /** The script, found from the module directory surefire runs in. */
  public static final Path SCRIPT = Path.of("").toAbsolutePath().getParent()
      .resolve("bin/lakeann");

  private LakeAnnProcess() {}

  /**
   * What a process printed and how it ended.
   *
   * @param code the exit status
   * @param out stdout's lines
   * @param err stderr's lines, without the JVM's incubator-module warning
   */
  public record Result(int code, List<String> out, List<String> err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + String.join("\n", out) + "\n--- stderr\n"
          + String.join("\n", err);
    }
  }

  /** Skips the calling tests where the script or bash is missing. */
  public static void assumeRunnable() {
    assumeTrue(Files.isExecutable(SCRIPT), "bin/lakeann not found at " + SCRIPT
        + "; skipping the process tests");
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")) || Files.isExecutable(
        Path.of("/usr/bin/bash")), "no bash here; skipping the process tests");
  }

  /**
   * Runs {@code bin/lakeann args...} in {@code dir} (1 GiB heap, shard copies under dir) on the
   * classpath a user has: the test's, without its test classes and test jars (whose
   * {@code log4j2-test.properties}, for one, would replace the command line's logging).
   */
  public static Result run(Path dir, String... args) throws IOException, InterruptedException {
    return run(dir, false, args);
  }

  /** {@link #run}, with the test classes on the classpath (e.g. a FileIO a test made). */
  public static Result runWithTestClasses(Path dir, String... args)
      throws IOException, InterruptedException {
    return run(dir, true, args);
  }

  /**
   * Runs the command line as spark-submit would, {@code SparkSubmit --class Main --master
   * local[2] spark-internal args...}, in a JVM with this test JVM's module flags, on a user's
   * classpath.
   */
  public static Result sparkSubmit(Path dir, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (flag.startsWith("--add-") || flag.startsWith("-Djdk.reflect")) {
        command.add(flag);
      }
    }
    command.addAll(List.of("-Xmx1g", "-Dlakeann.shard.dir=" + dir.resolve("shards"), "-cp",
        classpath(false), "org.apache.spark.deploy.SparkSubmit", "--class",
        Main.class.getName(), "--master", "local[2]", "spark-internal"));
    command.addAll(List.of(args));
    return finish(new ProcessBuilder(command), dir, "spark-submit");
  }

  private static Result run(Path dir, boolean testClasses, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("LAKEANN_CLASSPATH", classpath(testClasses));
    builder.environment().put("LAKEANN_JAVA_OPTS", "-Xmx1g -Dlakeann.shard.dir="
        + dir.resolve("shards"));
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    return finish(builder, dir, "bin/lakeann");
  }

  /** The test's classpath, without its test classes and test jars unless {@code testClasses}. */
  private static String classpath(boolean testClasses) {
    String classpath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    if (testClasses) {
      return classpath;
    }
    return Arrays.stream(classpath.split(File.pathSeparator))
        .filter(entry -> !entry.endsWith("test-classes") && !entry.endsWith("-tests.jar"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  /** Starts {@code builder} in {@code dir} and waits for it; {@code what} names it in failures. */
  private static Result finish(ProcessBuilder builder, Path dir, String what)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process process = builder.directory(dir.toFile()).redirectOutput(out.toFile())
        .redirectError(err.toFile()).start();
    assertTrue(process.waitFor(5, TimeUnit.MINUTES), what + " did not finish in 5 minutes");
    List<String> errLines = new ArrayList<>();
    for (String line : Files.readAllLines(err, StandardCharsets.UTF_8)) {
      if (!line.startsWith("WARNING: Using incubator modules")) {   // the JVM's, for --add-modules
        errLines.add(line);
      }
    }
    return new Result(process.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
        errLines);
  }
}
