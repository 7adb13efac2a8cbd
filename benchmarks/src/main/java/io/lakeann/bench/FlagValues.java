package io.lakeann.bench;

import io.lakeann.core.LakeAnnException;
import io.lakeann.core.Metric;
import io.lakeann.spark.cli.Flags;
import io.lakeann.spark.cli.UsageException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The command line of every {@code benchmarks/run} subcommand: {@code bin/lakeann}'s parser
 * ({@link Flags}: {@code --flag value} or {@code --flag=value}, each flag once), with no words
 * outside the flags, and the checks and messages for the values several subcommands take (lists
 * of whole numbers, fractions, metrics, dataset names). Stateless.
 */
final class FlagValues {
  private FlagValues() {}

  /**
   * The flags of {@code benchmarks/run SUBCOMMAND}; {@code names} are the flags it accepts,
   * without the dashes.
   *
   * @throws UsageException for an unknown flag, a flag without a value or given twice, or a word
   *     that follows no flag
   */
  static Flags parse(String subcommand, List<String> args, Set<String> names) {
    Flags flags = Flags.parse(subcommand, args, names);
    if (!flags.positional().isEmpty()) {
      throw new UsageException("unexpected argument '%s': every value follows its flag, e.g."
          + " --k 10 (run benchmarks/run %s --help for the flags)", flags.positional().get(0),
          subcommand);
    }
    return flags;
  }

  /**
   * The comma-separated whole numbers >= 1 given as {@code --name}, e.g. {@code 1,2,4}; those of
   * {@code fallback} if absent.
   */
  static List<Integer> positiveInts(Flags flags, String name, String fallback) {
    String value = flags.optional(name);
    String text = value == null ? fallback : value;
    List<Integer> values = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      values.add((int) wholeNumber(part, 1, Integer.MAX_VALUE,
          "--%s %s: '%s' is not a whole number >= 1; give a comma-separated list, e.g. --%s %s",
          name, text, part, name, fallback));
    }
    return values;
  }

  /** The number given as {@code --name}, in {@code (0, max]}; {@code fallback} if absent. */
  static double positive(Flags flags, String name, double fallback, double max) {
    String text = flags.optional(name);
    if (text == null) {
      return fallback;
    }
    double value;
    try {
      value = Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      value = Double.NaN;
    }
    if (!(value > 0 && value <= max)) {
      throw new UsageException("--%s %s: must be a number > 0%s, e.g. --%s %s", name, text,
          max == Double.MAX_VALUE ? "" : " and <= " + max, name, fallback);
    }
    return value;
  }

  /** The metric of {@code --metric}, L2 if absent. */
  static Metric metric(Flags flags) {
    String value = flags.optional("metric");
    if (value == null) {
      return Metric.L2;
    }
    try {
      return Metric.parse(value);
    } catch (LakeAnnException e) {
      throw new UsageException("--metric %s: %s", value, e.getMessage());
    }
  }

  /** The path given as {@code --name}, absolute; {@code fallback} if absent. */
  static Path path(Flags flags, String name, Path fallback) {
    String value = flags.optional(name);
    return value == null ? fallback : Path.of(value).toAbsolutePath();
  }

  static String datasetName(String value) {
    if (!value.matches("[A-Za-z0-9._-]{1,100}")) {
      throw new UsageException("Dataset name '%s' cannot name a doc section and a PNG file: use"
          + " 1..100 letters, digits, '.', '_' or '-' (set it with --dataset NAME)", value);
    }
    return value;
  }

  /**
   * The whole number written in {@code text} when it lies in {@code [min, max]}; otherwise a
   * {@code UsageException} with the formatted message.
   */
  static long wholeNumber(String text, long min, long max, String format, Object... args) {
    long value;
    try {
      value = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new UsageException(format, args);
    }
    if (value < min || value > max) {
      throw new UsageException(format, args);
    }
    return value;
  }
}
