package io.lakeann.bench;

import io.lakeann.core.LakeAnnException;
import io.lakeann.core.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The command-line conventions every subcommand shares: {@code --flag value} or
 * {@code --flag=value}, every flag with a value, and the checks and messages for the values several
 * subcommands take (whole numbers, metrics, dataset names). Stateless.
 */
final class Flags {
  private Flags() {}

  /**
   * Hands each flag of {@code args} and its value to {@code handler}, in order.
   *
   * @param example an example use of a flag ({@code "--k 10"}), for the message when its value is
   *     missing
   * @throws UsageException for a stray value or a flag without a value
   */
  static void parse(List<String> args, Function<String, String> example,
      BiConsumer<String, String> handler) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String flag = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        flag = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
        value = args.get(++i);
      }
      if (!flag.startsWith("--")) {
        throw new UsageException("Unexpected argument '%s': every value follows its flag, e.g."
            + " --k 10 (run with --help for the flags)", flag);
      }
      if (value == null) {
        throw new UsageException("%s needs a value, e.g. %s (run with --help for the flags)",
            flag, example.apply(flag));
      }
      handler.accept(flag, value);
    }
  }

  static int positiveInt(String flag, String value, String example) {
    return (int) UsageException.wholeNumber(value, 1, Integer.MAX_VALUE,
        "%s %s: must be a whole number >= 1, e.g. %s", flag, value, example);
  }

  /** A comma-separated list of whole numbers >= 1, e.g. {@code 1,2,4}. */
  static List<Integer> positiveInts(String flag, String value, String example) {
    List<Integer> values = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      values.add((int) UsageException.wholeNumber(part, 1, Integer.MAX_VALUE,
          "%s %s: '%s' is not a whole number >= 1; give a comma-separated list, e.g. %s",
          flag, value, part, example));
    }
    return values;
  }

  static Metric metric(String value) {
    try {
      return Metric.parse(value);
    } catch (LakeAnnException e) {
      throw new UsageException("--metric %s: %s", value, e.getMessage());
    }
  }

  static String datasetName(String value) {
    if (!value.matches("[A-Za-z0-9._-]{1,100}")) {
      throw new UsageException("Dataset name '%s' cannot name a doc section and a PNG file: use"
          + " 1..100 letters, digits, '.', '_' or '-' (set it with --dataset NAME)", value);
    }
    return value;
  }
}
