package io.lakeann.spark.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.lakeann.core.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** One run of the command line: its exit status, stdout and stderr. */
record Ran(int code, String out, String err) {

  /** Runs {@link Main} in this JVM, in {@code spark} (or a session of its own when null). */
  static Ran main(SparkSession spark, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = spark == null ? Main.run(args, o, e) : Main.run(args, o, e, spark);
    }
    return new Ran(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  /** The non-empty lines of stdout. */
  List<String> lines() {
    List<String> lines = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        lines.add(line);
      }
    }
    return lines;
  }

  /** Every stdout line parsed as a JSON object (failing on any line that is not one). */
  List<Map<String, Object>> json() {
    List<Map<String, Object>> objects = new ArrayList<>();
    for (String line : lines()) {
      objects.add(object(Json.parse(line)));
    }
    return objects;
  }

  /** The last stdout line, the summary. */
  Map<String, Object> summary() {
    List<String> lines = lines();
    assertFalse(lines.isEmpty(), "no output; stderr: " + err);
    return object(Json.parse(lines.get(lines.size() - 1)));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object parsed) {
    if (!(parsed instanceof Map<?, ?>)) {
      throw new AssertionError("not a JSON object: " + parsed);
    }
    return (Map<String, Object>) parsed;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object parsed) {
    if (!(parsed instanceof List<?>)) {
      throw new AssertionError("not a JSON list: " + parsed);
    }
    return (List<Object>) parsed;
  }

  @Override
  public String toString() {
    return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
