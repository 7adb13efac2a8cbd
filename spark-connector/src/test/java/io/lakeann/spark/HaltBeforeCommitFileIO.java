package io.lakeann.spark;

import org.apache.iceberg.hadoop.HadoopFileIO;
import org.apache.iceberg.io.OutputFile;

/**
 * Iceberg's HadoopFileIO, except that the JVM halts at once (no shutdown hooks, no finally
 * blocks: as under {@code kill -9}) when asked to create a lakeann statistics file, which a
 * build does first when it publishes. Configured as a catalog's {@code io-impl}, it kills a
 * build between staging its shards and committing them.
 */
public class HaltBeforeCommitFileIO extends HadoopFileIO {
  /** The exit status of the halted JVM. */
  public static final int HALT_STATUS = 137;

  @Override
  public OutputFile newOutputFile(String path) {
    if (path.endsWith("-lakeann.stats")) {
      stop();
    }
    return super.newOutputFile(path);
  }

  /** Ends the JVM. */
  protected void stop() {
    Runtime.getRuntime().halt(HALT_STATUS);
  }

  /**
   * The same, but the JVM exits as under {@code SIGTERM} or Ctrl-C: its shutdown hooks run.
   */
  public static class Exit extends HaltBeforeCommitFileIO {
    /** The exit status of the JVM. */
    public static final int EXIT_STATUS = 143;

    @Override
    protected void stop() {
      System.exit(EXIT_STATUS);
    }
  }
}
