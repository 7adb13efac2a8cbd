package io.lakeann.spark.cli;

import java.io.PrintStream;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * One subcommand, its flags already parsed and checked (without Spark, so a usage error costs no
 * start-up). {@link #run} does the work in a session. Public for {@link Subcommand}s of other
 * modules.
 */
public interface Command {
  /**
   * Runs the command: any result rows as JSON lines on {@code out}, progress on {@code err}.
   *
   * @return the summary, {@code "command"} first; {@link Main} adds {@code "seconds"} and prints it
   *     as the last line
   */
  Map<String, Object> run(SparkSession spark, PrintStream out, PrintStream err);

  /**
   * The directory of the embedded catalog {@code lake} when the command line configures no
   * catalog of that name; null when the command needs none.
   */
  default String defaultWarehouse() {
    return null;
  }

  /**
   * Spark settings the command needs in a session the command line starts (before the user's
   * {@code --conf}, which wins); empty by default. Not applied to a session the caller gave.
   */
  default Map<String, String> sessionSettings() {
    return Map.of();
  }
}
