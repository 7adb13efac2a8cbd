package io.lakeann.bench;

import io.lakeann.core.LakeAnnException;
import io.lakeann.spark.cli.UsageException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;

/**
 * Entry point of {@code benchmarks/run SUBCOMMAND [flags]}. Dispatches the subcommand; turns bad
 * input into a one-line message on stderr and exit status 2, and refused data (e.g. a malformed
 * fvecs file) into exit status 1. The repository root comes from {@code -Dlakeann.repo}, which the
 * script sets.
 */
public final class Main {
  static final String USAGE = String.join("\n",
      "usage: benchmarks/run SUBCOMMAND [flags]",
      "",
      "subcommands",
      "  core    lakeann vs an exact scan vs HNSW on one dataset (benchmarks/run core --help)",
      "  iceberg lakeann's Iceberg layer vs Iceberg's generic reader and an exact scan, on tables"
          + " it writes (benchmarks/run iceberg --help)",
      "  join    lakeann's ANN join in Spark vs the exact cross join and per-partition HNSW, on"
          + " tables it writes (benchmarks/run join --help)",
      "  sql     lakeann from SQL (ann_join, vector functions, per-partition index UDFs) vs the"
          + " Java join and plain Spark SQL (benchmarks/run sql --help)");

  private Main() {}

  public static void main(String[] args) throws IOException {
    System.exit(run(args));
  }

  static int run(String[] args) throws IOException {
    List<String> list = Arrays.asList(args);
    if (list.isEmpty()) {
      System.err.println(USAGE);
      return 2;
    }
    if (list.get(0).equals("--help") || list.get(0).equals("-h")) {
      System.out.println(USAGE);
      return 0;
    }
    List<String> flags = list.subList(1, list.size());
    try {
      switch (list.get(0)) {
        case "core" -> {
          if (wantsHelp(flags, CoreOptions.USAGE)) {
            return 0;
          }
          new CoreBenchmark(CoreOptions.parse(flags, repo()), commandLine(args), System.out)
              .run();
          return 0;
        }
        case "iceberg" -> {
          if (wantsHelp(flags, IcebergOptions.USAGE)) {
            return 0;
          }
          new IcebergBenchmark(IcebergOptions.parse(flags, repo()), commandLine(args),
              System.out).run();
          return 0;
        }
        case "join" -> {
          if (wantsHelp(flags, JoinOptions.USAGE)) {
            return 0;
          }
          new JoinBenchmark(JoinOptions.parse(flags, repo()), commandLine(args), System.out)
              .run();
          return 0;
        }
        case "sql" -> {
          if (wantsHelp(flags, SqlBenchmark.USAGE)) {
            return 0;
          }
          new SqlBenchmark(flags, commandLine(args), System.out).run();
          return 0;
        }
        default -> throw new UsageException("Unknown subcommand '%s': use 'core', 'iceberg',"
            + " 'join' or 'sql' (run benchmarks/run --help)", list.get(0));
      }
    } catch (UsageException e) {
      System.err.println("benchmarks/run: " + e.getMessage());
      return 2;
    } catch (LakeAnnException e) {
      System.err.println("benchmarks/run: " + e.getMessage());
      return 1;
    }
  }

  /** Prints {@code usage} when {@code flags} ask for help; whether they did. */
  private static boolean wantsHelp(List<String> flags, String usage) {
    if (flags.contains("--help") || flags.contains("-h")) {
      System.out.println(usage);
      return true;
    }
    return false;
  }

  /** The repository root the run script passes, where the default report goes. */
  private static Path repo() {
    return Path.of(System.getProperty("lakeann.repo", "")).toAbsolutePath();
  }

  /** The command as typed from the repository root, each argument shell-quoted when needed. */
  static String commandLine(String[] args) {
    StringJoiner s = new StringJoiner(" ");
    s.add("benchmarks/run");
    for (String arg : args) {
      s.add(arg.matches("[A-Za-z0-9_./=,:@%+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'");
    }
    return s.toString();
  }
}
