package io.lakeann.notebooks;

import java.util.Locale;

/**
 * What a notebook cell holds, named by its magic command ({@code %sql}, {@code %md}, ...) or by
 * the notebook's default language. The runner runs SQL and Scala, shows Markdown and skips the
 * rest with the reason a reader sees in the output and the summary.
 */
public enum CellKind {
  SQL("%sql", null),
  SCALA("%scala", null),
  MARKDOWN("%md", null),
  PYTHON("%python", "a Python cell needs PySpark, which this runner does not have; lakeann's "
      + "Python surface is SQL: spark.sql(\"CALL lakeann.system...\") and the table functions"),
  R("%r", "an R cell needs SparkR, which this runner does not have"),
  SHELL("%sh", "a shell cell runs commands on a cluster's driver; this runner does not run them"),
  FILES("%fs", "a %fs cell needs Databricks' file system utilities (dbutils.fs)"),
  RUN("%run", "%run includes another workspace notebook; run that notebook on its own"),
  PIP("%pip", "%pip installs Python packages, which this runner does not use"),
  UNKNOWN(null, "its magic command is none this runner knows (it runs %sql, %scala and %md)");

  private final String magic;
  private final String skipReason;

  CellKind(String magic, String skipReason) {
    this.magic = magic;
    this.skipReason = skipReason;
  }

  /** The magic command that starts such a cell, e.g. {@code %sql}; null for {@link #UNKNOWN}. */
  public String magic() {
    return magic;
  }

  /** Whether the runner executes (or, for Markdown, shows) cells of this kind. */
  public boolean runs() {
    return skipReason == null;
  }

  /** Why cells of this kind are skipped; null when they run. */
  public String skipReason() {
    return skipReason;
  }

  /** The lower-case name used in summaries and fenced code blocks ({@code sql}, {@code scala}). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The kind a magic word names ({@code %sql}, {@code %md-sandbox}, ...), {@link #UNKNOWN} when it
   * names none the runner knows.
   */
  static CellKind ofMagic(String word) {
    String lower = word.toLowerCase(Locale.ROOT);
    if (lower.equals("%md-sandbox")) {
      return MARKDOWN;
    }
    for (CellKind kind : values()) {
      if (lower.equals(kind.magic)) {
        return kind;
      }
    }
    return UNKNOWN;
  }
}
