package io.lakeann.spark.cli;

import java.net.URL;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.DefaultConfiguration;

/**
 * Logging for the command line: installs {@code log4j2-cli.properties} (everything on stderr;
 * Spark at WARN, lakeann at INFO) when log4j2 runs with no configuration of the user's, that is
 * with log4j's own default or with the defaults Spark installs when it finds none. A
 * configuration the user gave ({@code -Dlog4j2.configurationFile}, Spark's
 * {@code conf/log4j2.properties}) is left alone. Does nothing when log4j2 is not the logging
 * backend. Under spark-submit, Spark re-installs its defaults while its context starts, so
 * {@link Main} installs this again once the session runs (Spark's start-up is then logged at
 * INFO, the rest at WARN).
 */
final class CliLogging {
  /** The {@code name} in {@code log4j2-cli.properties}. */
  private static final String NAME = "lakeann-cli";
  private static final String SPARK_DEFAULTS = "org/apache/spark/log4j2-defaults.properties";
  /** log4j2's system property naming its configuration. */
  private static final String CONFIGURATION_FILE = "log4j2.configurationFile";

  private CliLogging() {}

  /** Installs the CLI's logging if nobody configured any; {@code verbose} logs INFO for all. */
  static void install(boolean verbose) {
    try {
      if (!(LogManager.getContext(false) instanceof LoggerContext context)
          || !unconfigured(context.getConfiguration())) {
        return;
      }
      if (verbose && sparkDefaults(context.getConfiguration())) {
        return;   // Spark's defaults already log everything at INFO to stderr
      }
      URL config = CliLogging.class.getResource("log4j2-cli.properties");
      if (config == null) {
        return;
      }
      // The location, not just the configuration: Spark reloads the context's location when it
      // resets its logging (spark-submit does, before SparkContext starts).
      context.setConfigLocation(config.toURI());
      // And for every logger context started later: Spark's task threads run with a class
      // loader of their own, for which log4j starts a second context, which would otherwise
      // find no configuration and warn so in every join.
      if (System.getProperty(CONFIGURATION_FILE) == null) {
        System.setProperty(CONFIGURATION_FILE, config.toString());
      }
      if (verbose) {
        Configurator.setRootLevel(Level.INFO);
      }
    } catch (Exception | LinkageError e) {
      // Logging set-up is best effort: the command runs with whatever logging there is.
    }
  }

  /**
   * Whether the command line's own logging is in effect (installed here, not the user's). Spark
   * under spark-submit logs its start-up at INFO even so, unless told by {@code spark.log.level}.
   */
  static boolean active() {
    try {
      return LogManager.getContext(false) instanceof LoggerContext context
          && NAME.equals(context.getConfiguration().getName());
    } catch (LinkageError e) {
      return false;
    }
  }

  /** Log4j's default, Spark's defaults, or this class's own earlier installation. */
  private static boolean unconfigured(Configuration config) {
    if (config instanceof DefaultConfiguration || NAME.equals(config.getName())) {
      return true;
    }
    return sparkDefaults(config);
  }

  private static boolean sparkDefaults(Configuration config) {
    String where = config.getConfigurationSource() == null ? null
        : config.getConfigurationSource().getLocation();
    return where != null && where.replace('\\', '/').endsWith(SPARK_DEFAULTS);
  }
}
