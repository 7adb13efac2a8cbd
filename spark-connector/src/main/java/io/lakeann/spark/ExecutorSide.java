package io.lakeann.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;

/**
 * Facts about the JVM a task runs in: where it is, its threads, and scratch space for shard
 * files. Stateless.
 */
public final class ExecutorSide {
  private ExecutorSide() {}

  /**
   * The location string Spark's scheduler understands as "this executor" (what
   * {@code ExecutorCacheTaskLocation} prints), so later tasks can prefer it.
   */
  public static String location() {
    SparkEnv env = SparkEnv.get();
    String host = env.blockManager().blockManagerId().host();
    return String.format(Locale.ROOT, "executor_%s_%s", host, env.executorId());
  }

  /** Threads one task may use: {@code spark.task.cpus}. */
  public static int taskThreads() {
    TaskContext task = TaskContext.get();
    return task == null ? Runtime.getRuntime().availableProcessors() : Math.max(1, task.cpus());
  }

  /** A new temporary directory on this machine. */
  public static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a temporary directory for " + prefix, e);
    }
  }

  /** Deletes {@code dir} and everything under it, if it exists. */
  public static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + dir, e);
    }
  }
}
