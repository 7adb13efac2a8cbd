package io.lakeann.spark;

import java.util.Locale;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;

/**
 * Facts about the JVM a task runs in: where it is and how many threads it may use. Stateless.
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
}
