package io.lakeann.spark.cli;

import io.lakeann.core.LakeAnnException;
import io.lakeann.core.util.Json;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Function;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.SparkSession;

/**
 * The lakeann command line: {@code sql}, {@code build}, {@code join}, {@code status} and
 * {@code quickstart}, run with {@code spark-submit --class io.lakeann.spark.cli.Main JAR ...} on
 * a cluster (in the session spark-submit configured) or with {@code bin/lakeann} on one machine.
 * Each command prints its result rows (if any) and then exactly one JSON summary line on stdout;
 * logs and progress go to stderr. Exit status: 0 done; 1 refused (a {@link LakeAnnException}:
 * unknown table or column, wrong type, no index, ...; or a failed statement); 2 a usage error,
 * found before Spark starts. Errors are one line on stderr; {@code --verbose} adds the stack
 * trace. Stateless.
 */
public final class Main {
  static final int OK = 0;
  static final int REFUSED = 1;
  static final int USAGE = 2;

  /** One subcommand: its help, its flags, and how to parse them into a {@link Command}. */
  private record Spec(String name, String usage, Set<String> flags, Set<String> switches,
      Function<Flags, Command> parser) {}

  /** The {@link Subcommand}s other modules on the classpath add, in the order found. */
  private static final List<Subcommand> EXTENSIONS =
      ServiceLoader.load(Subcommand.class).stream().map(ServiceLoader.Provider::get).toList();

  private static final Map<String, Spec> SPECS = specs(
      new Spec(SqlCommand.NAME, SqlCommand.USAGE, SqlCommand.FLAGS, Set.of(),
          SqlCommand::parse),
      new Spec(BuildCommand.NAME, BuildCommand.USAGE, BuildCommand.FLAGS, BuildCommand.SWITCHES,
          BuildCommand::parse),
      new Spec(JoinCommand.NAME, JoinCommand.USAGE, JoinCommand.FLAGS, Set.of(),
          JoinCommand::parse),
      new Spec(StatusCommand.NAME, StatusCommand.USAGE, StatusCommand.FLAGS, Set.of(),
          StatusCommand::parse),
      new Spec(QuickstartCommand.NAME, QuickstartCommand.USAGE, QuickstartCommand.FLAGS,
          Set.of(), QuickstartCommand::parse));

  static {
    for (Subcommand extension : EXTENSIONS) {
      if (SPECS.putIfAbsent(extension.name(), new Spec(extension.name(), extension.usage(),
          extension.flags(), Set.of(), extension::parse)) != null) {
        throw new IllegalStateException("two subcommands are named '" + extension.name()
            + "'; " + extension.getClass().getName() + " must take another name");
      }
    }
  }

  static final String USAGE_TEXT = String.join("\n",
      "usage: lakeann [OPTIONS] SUBCOMMAND [FLAGS]",
      "  bin/lakeann ...                        on this machine (Spark included, local[*])",
      "  spark-submit --class " + Main.class.getName() + " \\",
      "    lakeann-spark-runtime-4.1_2.13-VERSION.jar ...   on a cluster",
      "",
      "subcommands",
      "  sql \"STATEMENT\"   run one Spark SQL statement (or sql -f FILE.sql); rows as JSON lines",
      "  build             build (or refresh) the index of a table's vector column",
      "  join              ANN join: the k nearest indexed rows of every query, into a table",
      "  status            a table's indexes, what serves its current snapshot, the shard cache",
      "  quickstart        the whole path on generated data (bin/lakeann quickstart)",
      extensionLines(),
      "",
      "options, before or after the subcommand",
      "  --master M         Spark master (default: the one spark-submit configured, else "
          + "local[*])",
      "  --warehouse DIR    an embedded Iceberg Hadoop catalog named 'lake' on DIR: tables "
          + "lake.db.t",
      "  --conf KEY=VALUE   any Spark or Iceberg setting; repeatable",
      "  --verbose          stack traces with errors, and Spark's INFO logs",
      "  --help             this text; SUBCOMMAND --help for the subcommand's flags",
      "",
      "stdout: result rows as JSON lines, then one JSON summary line; stderr: logs, progress.",
      "exit: 0 done, 1 refused (unknown table or column, wrong type, no index, failed "
          + "statement),",
      "      2 usage error (unknown subcommand or flag, missing flag, bad value).");

  private Main() {}

  /** The help lines of the {@link #EXTENSIONS}, one per subcommand. */
  private static String extensionLines() {
    StringBuilder out = new StringBuilder();
    for (Subcommand extension : EXTENSIONS) {
      out.append(out.length() == 0 ? "" : "\n")
          .append(String.format(java.util.Locale.ROOT, "  %-17s %s", extension.name(),
              extension.summary()));
    }
    return out.toString();
  }

  private static Map<String, Spec> specs(Spec... specs) {
    Map<String, Spec> out = new LinkedHashMap<>();
    for (Spec spec : specs) {
      out.put(spec.name(), spec);
    }
    return out;
  }

  /**
   * Runs the command line and exits with its status. Anything a library prints on
   * {@code System.out} is sent to stderr, so stdout holds only the command's JSON lines.
   */
  public static void main(String[] args) {
    PrintStream stdout = System.out;
    System.setOut(System.err);
    int status = run(args, stdout, System.err);
    stdout.flush();
    System.exit(status);
  }

  /**
   * Runs the command line in a Spark session of its own, stopped at the end unless one was
   * already running in this JVM; returns the exit status.
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, null);
  }

  /**
   * Runs the command line in {@code session} (the caller's, left running), or in one of its own
   * when null; returns the exit status. With a session given, {@code --master},
   * {@code --warehouse} and {@code --conf} are refused: the caller set the session up.
   */
  public static int run(String[] args, PrintStream out, PrintStream err, SparkSession session) {
    Spec spec = null;
    try {
      CommandLine line = CommandLine.parse(args);
      if (line.subcommand() == null) {
        if (line.help()) {
          out.println(USAGE_TEXT);
          return OK;
        }
        throw new UsageException(line.rest().isEmpty()
            ? "no subcommand given; use one of %s"
            : "no subcommand given before '" + line.rest().get(0) + "'; use one of %s",
            String.join(", ", SPECS.keySet()));
      }
      spec = SPECS.get(line.subcommand());
      if (spec == null) {
        throw new UsageException("unknown subcommand '%s'; use one of %s", line.subcommand(),
            String.join(", ", SPECS.keySet()));
      }
      if (line.help()) {
        out.println(spec.usage());
        return OK;
      }
      Command command = spec.parser().apply(Flags.parse(spec.name(), line.rest(), spec.flags(),
          spec.switches()));
      if (session != null && line.setsUpSession()) {
        throw new UsageException("--master, --warehouse and --conf cannot change the Spark "
            + "session this command was given; set them where that session is built");
      }
      return execute(spec, line, command, out, err, session);
    } catch (UsageException e) {
      String who = spec == null ? name() : name() + " " + spec.name();
      err.println(who + ": " + e.getMessage() + " (" + who + " --help)");
      return USAGE;
    }
  }

  private static int execute(Spec spec, CommandLine line, Command command, PrintStream out,
      PrintStream err, SparkSession session) {
    SparkSession spark = session;
    boolean stop = false;
    try {
      if (spark == null) {
        CliLogging.install(line.verbose());
        stop = SparkSession.getActiveSession().isEmpty()
            && SparkSession.getDefaultSession().isEmpty();
        String warehouse = line.warehouse() != null ? line.warehouse()
            : CliSession.catalogConfigured(line) ? null : command.defaultWarehouse();
        spark = CliSession.start(line, warehouse, command.sessionSettings(),
            "lakeann " + spec.name());
        // Again: under spark-submit, Spark re-installs its own defaults while it starts.
        CliLogging.install(line.verbose());
      }
      long start = System.nanoTime();
      Map<String, Object> summary = new LinkedHashMap<>(command.run(spark, out, err));
      summary.put("seconds", rounded((System.nanoTime() - start) / 1e9));
      out.println(Json.write(summary));
      out.flush();
      return OK;
    } catch (UsageException e) {
      err.println(name() + " " + spec.name() + ": " + e.getMessage());
      return USAGE;
    } catch (Exception e) {
      err.println(name() + " " + spec.name() + ": " + describe(e, line.verbose()));
      if (line.verbose()) {
        e.printStackTrace(err);
      }
      return REFUSED;
    } finally {
      out.flush();
      if (stop && spark != null) {
        try {
          spark.stop();
        } catch (RuntimeException e) {
          err.println(name() + " " + spec.name() + ": stopping Spark failed: "
              + firstLine(e.getMessage()));
        }
      }
    }
  }

  /**
   * One line saying what went wrong: the message of the {@link LakeAnnException} or Spark
   * {@link AnalysisException} behind {@code e} (also when a task on an executor threw it), or
   * the first line of {@code e}'s own.
   */
  public static String describe(Throwable e, boolean verbose) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof LakeAnnException || t instanceof AnalysisException) {
        return firstLine(t.getMessage());
      }
    }
    return e.getClass().getSimpleName() + ": " + firstLine(e.getMessage())
        + (verbose ? "" : " (--verbose prints the stack trace)");
  }

  /** The first line of {@code message}, trimmed. */
  public static String firstLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    String trimmed = message.strip();
    int end = trimmed.indexOf('\n');
    return (end < 0 ? trimmed : trimmed.substring(0, end)).strip();
  }

  /** The name this tool was started as, for messages: {@code -Dlakeann.cli.name}, or lakeann. */
  static String name() {
    return System.getProperty("lakeann.cli.name", "lakeann");
  }

  /** {@code value} to 3 decimals, for JSON. */
  static double rounded(double value) {
    return Math.round(value * 1000) / 1000.0;
  }

  /** The subcommands, in help order (for tests). */
  static List<String> subcommands() {
    return List.copyOf(SPECS.keySet());
  }
}
