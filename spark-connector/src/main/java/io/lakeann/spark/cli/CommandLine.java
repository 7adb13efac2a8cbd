package io.lakeann.spark.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command line split once into the options every subcommand takes (anywhere on the line:
 * {@code --master}, {@code --warehouse}, {@code --conf}, {@code --verbose}, {@code --help}), the
 * subcommand, and the subcommand's own tokens, which {@link Flags} parses. Immutable.
 *
 * @param master the Spark master asked for, or null
 * @param warehouse the directory of the embedded catalog {@code lake}, or null
 * @param conf Spark and Iceberg settings, in the order given
 * @param verbose print stack traces and Spark's INFO logs
 * @param help print the usage of the subcommand (or of the tool) and stop
 * @param subcommand the first word that is not an option, or null
 * @param rest the subcommand's tokens, in order
 */
record CommandLine(String master, String warehouse, Map<String, String> conf, boolean verbose,
    boolean help, String subcommand, List<String> rest) {

  CommandLine {
    conf = Collections.unmodifiableMap(new LinkedHashMap<>(conf));
    rest = List.copyOf(rest);
  }

  static CommandLine parse(String[] args) {
    String master = null;
    String warehouse = null;
    Map<String, String> conf = new LinkedHashMap<>();
    boolean verbose = false;
    boolean help = false;
    String subcommand = null;
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg.contains("=") && arg.startsWith("--") ? arg.substring(0, arg.indexOf('='))
          : arg;
      switch (name) {
        case "--master" -> {
          master = once("--master", master, value(args, i));
          i += arg.equals(name) ? 1 : 0;
        }
        case "--warehouse" -> {
          warehouse = once("--warehouse", warehouse, value(args, i));
          i += arg.equals(name) ? 1 : 0;
        }
        case "--conf" -> {
          String setting = value(args, i);
          i += arg.equals(name) ? 1 : 0;
          int eq = setting.indexOf('=');
          if (eq <= 0) {
            throw new UsageException("--conf '%s': write KEY=VALUE, e.g. --conf "
                + "spark.sql.shuffle.partitions=8", setting);
          }
          conf.put(setting.substring(0, eq).trim(), setting.substring(eq + 1));
        }
        case "--verbose" -> verbose = true;
        case "--help", "-h" -> help = true;
        default -> {
          if (subcommand == null && !arg.startsWith("-")) {
            subcommand = arg;
          } else if (subcommand == null && arg.startsWith("--") && !arg.contains("=")
              && i + 1 < args.length && !args[i + 1].startsWith("-")) {
            // A subcommand's flag before the subcommand: its value is not the subcommand.
            rest.add(arg);
            rest.add(args[++i]);
          } else {
            rest.add(arg);
          }
        }
      }
    }
    return new CommandLine(master, warehouse, conf, verbose, help, subcommand, rest);
  }

  /** Whether the line sets up the Spark session (which an embedding caller owns instead). */
  boolean setsUpSession() {
    return master != null || warehouse != null || !conf.isEmpty();
  }

  /** The value of the option at {@code args[i]}: after its '=' or the next argument. */
  private static String value(String[] args, int i) {
    String arg = args[i];
    int eq = arg.indexOf('=');
    if (eq > 0) {
      return arg.substring(eq + 1);
    }
    if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
      throw new UsageException("%s needs a value: %s", arg, switch (arg) {
        case "--master" -> "--master local[4], --master yarn, ...";
        case "--warehouse" -> "--warehouse DIR (an Iceberg Hadoop catalog 'lake' on DIR)";
        default -> "--conf KEY=VALUE";
      });
    }
    return args[i + 1];
  }

  private static String once(String flag, String previous, String value) {
    if (previous != null) {
      throw new UsageException("%s is given twice ('%s' and '%s'); give it once", flag, previous,
          value);
    }
    return value;
  }
}
