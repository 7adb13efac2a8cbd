package io.lakeann.core.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.IndexConfig;
import io.lakeann.core.RabitqIndex;
import io.lakeann.core.data.SyntheticVectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM killed in the middle of writing never leaves a partial file under the final name: the
 * name holds either nothing or the last complete file.
 */
class RbpxCrashTest {
  @TempDir
  Path dir;

  /** Child JVM: writes the same index to args[0] again and again until killed. */
  public static final class WriteForever {
    public static void main(String[] args) {
      RabitqIndex index = RabitqIndex.build(
          new SyntheticVectors(64, 16, 0.5f, 9).vectorSet("crash", 100_000, 1),
          IndexConfig.builder().threads(1).build());
      Path file = Path.of(args[0]);
      while (true) {
        RbpxWriter.write(file, index, new byte[] {7}, null, List.of());
        System.out.println("written");
      }
    }
  }

  private static boolean temporaryFileExists(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp"));
    }
  }

  @Test
  void killedWriterLeavesNothingOrACompleteFileUnderTheFinalName() throws Exception {
    Path file = dir.resolve("shard.rbpx");
    // First kill: during the first write, so the final name must still be empty.
    killDuringAWrite(file, false);
    assertTrue(Files.notExists(file), "a partial file appeared under the final name");
    // Second kill: during a rewrite, so the final name must hold the last complete file.
    killDuringAWrite(file, true);
    RbpxFile read = RbpxReader.read(file, 1);
    assertEquals(100_000, read.index().size());
    assertArrayEquals(new byte[] {7}, read.header().sourceIdentity());
  }

  /**
   * Starts a writer and kills it once a temporary file exists (a write is in flight) and, when
   * {@code afterAComplete}, once the final name holds a complete file too.
   */
  private void killDuringAWrite(Path file, boolean afterAComplete) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path leftover : files.toList()) {
        if (leftover.getFileName().toString().endsWith(".tmp")) {
          Files.delete(leftover);
        }
      }
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        WriteForever.class.getName(), file.toString()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!(temporaryFileExists(dir) && (!afterAComplete || Files.exists(file)))
          && child.isAlive() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertTrue(child.isAlive(), "the writer stopped on its own");
      assertTrue(System.nanoTime() < deadline, "the writer never started a write");
    } finally {
      child.destroyForcibly();
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the writer could not be killed");
    }
  }
}
