package io.lakeann.spark.cli;

import java.util.Set;

/**
 * A subcommand another module adds to the command line, found with {@link java.util.ServiceLoader}
 * (a {@code META-INF/services/io.lakeann.spark.cli.Subcommand} file naming the implementation), so
 * a module above spark-connector (the notebook runner) is reachable as {@code bin/lakeann NAME}
 * without spark-connector depending on it. Implementations are stateless, with a public no-argument
 * constructor.
 */
public interface Subcommand {
  /** The word after the options, e.g. {@code notebook}. */
  String name();

  /** One line for the command line's help. */
  String summary();

  /** The text of {@code NAME --help}. */
  String usage();

  /** The flags (without dashes) it accepts, each taking one value. */
  Set<String> flags();

  /**
   * The command for {@code flags}, checked without Spark.
   *
   * @throws UsageException naming the flag or argument that is wrong and what to give instead
   */
  Command parse(Flags flags);
}
