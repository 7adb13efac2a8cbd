package io.lakeann.notebooks;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.apache.spark.sql.SparkSession;
import scala.jdk.javaapi.CollectionConverters;
import scala.tools.nsc.Settings;
import scala.tools.nsc.interpreter.IMain;
import scala.tools.nsc.interpreter.Results;
import scala.tools.nsc.interpreter.shell.ReplReporterImpl;

/**
 * The Scala cells of one notebook run: a Scala 2.13 interpreter (the compiler's REPL, as
 * spark-shell uses) on this JVM's class path, with {@code spark}, {@code sc}, {@code display} and
 * {@code displayHTML} bound and {@code spark.implicits._} and {@code functions._} imported, as in
 * a Databricks notebook. Definitions of one cell are seen by the cells after it.
 *
 * <p>Classes the interpreter compiles go to {@code classes}; when that directory is the session's
 * {@code spark.repl.class.outputDir} (see {@link NotebookRunner#sessionSettings}), executors load
 * them from the driver, so closures written in a cell ({@code ds.map(...)}) run in tasks. Not
 * thread-safe; close it after the notebook.
 */
final class ScalaCells implements AutoCloseable {
  /** The cell's result: whether it compiled and ran, and what it printed. */
  record Result(boolean success, String printed) {}

  private static final String PRELUDE = String.join("\n",
      "@transient val spark: org.apache.spark.sql.SparkSession = lakeannBoundSession",
      "@transient val sc: org.apache.spark.SparkContext = spark.sparkContext",
      "import spark.implicits._",
      "import org.apache.spark.sql.functions._",
      "def display(value: Any): Unit = lakeannBoundDisplay.display(value)",
      "def displayHTML(html: String): Unit = lakeannBoundDisplay.displayHTML(html)");

  /**
   * Registers the cell's wrapper object as the outer instance of the classes the cell defines, so
   * that a Dataset decodes a case class defined in the same cell: Spark finds the wrapper of an
   * earlier cell itself, but this cell's is still being constructed while its code runs.
   */
  private static final String OUTER_SCOPE =
      "org.apache.spark.sql.catalyst.encoders.OuterScopes.addOuterScope(this);";

  private final IMain interpreter;
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  /** Starts an interpreter whose cells see {@code session} and show through {@code display}. */
  ScalaCells(SparkSession session, Display display, Path classes) {
    Settings settings = new Settings();
    List<String> args = List.of("-Yrepl-class-based", "-Yrepl-outdir", classes.toString(),
        "-classpath", classPath());
    settings.processArguments(CollectionConverters.asScala(args).toList(), true);
    PrintWriter writer = new PrintWriter(
        new OutputStreamWriter(printed, StandardCharsets.UTF_8), true);
    interpreter = new IMain(settings, new ReplReporterImpl(settings, writer));
    interpreter.beQuietDuring(() -> {
      bind("lakeannBoundSession", SparkSession.class, session);
      bind("lakeannBoundDisplay", Display.class, display);
      return scala.runtime.BoxedUnit.UNIT;
    });
    Result prelude = run(PRELUDE);
    if (!prelude.success()) {
      throw new NotebookException("the Scala interpreter could not start: "
          + prelude.printed().strip());
    }
    printed.reset();
  }

  private void bind(String name, Class<?> type, Object value) {
    Results.Result result = interpreter.bind(name, type.getName(), value,
        scala.collection.immutable.List$.MODULE$.empty());
    if (result != Results.Success$.MODULE$) {
      throw new NotebookException("the Scala interpreter could not bind " + name + " ("
          + type.getName() + "): " + printed.toString(StandardCharsets.UTF_8).strip());
    }
  }

  /**
   * Compiles and runs {@code code} as one REPL input, with the interpreter's class loader as the
   * thread's context class loader (Spark's encoders find the cell's classes through it) and
   * Scala's standard output captured.
   */
  Result run(String code) {
    printed.reset();
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    Results.Result result;
    try {
      interpreter.ensureClassLoader();
      thread.setContextClassLoader(interpreter.classLoader());
      result = scala.Console$.MODULE$.withOut(printed,
          () -> interpreter.interpret(OUTER_SCOPE + code));
    } finally {
      thread.setContextClassLoader(before);
    }
    String text = printed.toString(StandardCharsets.UTF_8);
    if (result == Results.Incomplete$.MODULE$) {
      return new Result(false, text + "\nerror: the cell ends in the middle of an expression "
          + "(an unclosed bracket, quote or block)");
    }
    return new Result(result == Results.Success$.MODULE$, text);
  }

  @Override
  public void close() {
    interpreter.close();
  }

  /**
   * This JVM's class path for the compiler: {@code java.class.path}, with the {@code Class-Path}
   * of a manifest-only jar (as surefire and some launchers start the JVM with) followed.
   */
  static String classPath() {
    Set<String> entries = new LinkedHashSet<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        entries.add(entry);
        entries.addAll(manifestClassPath(Path.of(entry)));
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private static List<String> manifestClassPath(Path jar) {
    if (!Files.isRegularFile(jar) || !jar.toString().endsWith(".jar")) {
      return List.of();
    }
    try (JarFile file = new JarFile(jar.toFile())) {
      Manifest manifest = file.getManifest();
      String classPath = manifest == null ? null
          : manifest.getMainAttributes().getValue("Class-Path");
      List<String> out = new ArrayList<>();
      if (classPath != null) {
        URI base = jar.toAbsolutePath().getParent().toUri();
        for (String item : classPath.trim().split("\\s+")) {
          URI uri = base.resolve(item);
          out.add("file".equals(uri.getScheme()) ? Path.of(uri).toString() : item);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the manifest of " + jar + " on the class "
          + "path: " + e.getMessage(), e);
    }
  }
}
