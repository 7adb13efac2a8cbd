package io.lakeann.spark;

import io.lakeann.core.IndexConfig;
import io.lakeann.core.InvalidRequestException;
import io.lakeann.core.Metric;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The {@link IndexConfig} knobs as text options, the one place that names and parses them for
 * every option surface of the Spark layer (the {@code lakeann} data source's write options, the
 * SQL functions' option strings). Names are case-insensitive; each value is parsed with a message
 * naming the option and the bad value. Stateless.
 */
public final class IndexOptions {
  /** Every knob as users spell it, in documentation order. */
  public static final List<String> NAMES = List.of("metric", "nlist", "nprobe", "exbits",
      "epsilon", "seed", "storeOriginals", "kmeansIterations", "trainingPointsPerList");

  /** Each knob, by lower-case name, and how it sets its builder field. */
  private static final Map<String, BiConsumer<IndexConfig.Builder, String>> KNOBS = knobs();

  private IndexOptions() {}

  /** Whether {@code name} (any case) is one of {@link #NAMES}. */
  public static boolean isKnob(String name) {
    return KNOBS.containsKey(name.toLowerCase(Locale.ROOT));
  }

  /**
   * The config that the knobs {@code lookup} returns a value for (by lower-case name; null for
   * unset) describe, with IndexConfig's defaults for the others.
   *
   * @param where what the options belong to, for messages ("the lakeann bundle at /p")
   * @throws InvalidRequestException naming the option, the value and {@code where}
   */
  public static IndexConfig config(Function<String, String> lookup, String where) {
    IndexConfig.Builder config = IndexConfig.builder();
    KNOBS.forEach((knob, set) -> {
      String value = lookup.apply(knob);
      if (value != null) {
        try {
          set.accept(config, value.trim());
        } catch (InvalidRequestException e) {
          throw new InvalidRequestException(String.format(Locale.ROOT, "Option '%s' of %s: %s",
              knob, where, e.getMessage()));
        }
      }
    });
    try {
      return config.build();
    } catch (InvalidRequestException e) {
      throw new InvalidRequestException("Options of " + where + ": " + e.getMessage());
    }
  }

  private static Map<String, BiConsumer<IndexConfig.Builder, String>> knobs() {
    Map<String, BiConsumer<IndexConfig.Builder, String>> m = new LinkedHashMap<>();
    m.put("metric", (b, v) -> b.metric(Metric.parse(v)));
    m.put("nlist", (b, v) -> b.nlist(integer("nlist", v)));
    m.put("nprobe", (b, v) -> b.nprobe(integer("nprobe", v)));
    m.put("exbits", (b, v) -> b.exBits(integer("exbits", v)));
    m.put("epsilon", (b, v) -> b.epsilon(decimal("epsilon", v)));
    m.put("seed", (b, v) -> b.seed(longInteger("seed", v)));
    m.put("storeoriginals", (b, v) -> b.storeOriginals(bool("storeOriginals", v)));
    m.put("kmeansiterations", (b, v) -> b.kmeansIterations(integer("kmeansIterations", v)));
    m.put("trainingpointsperlist",
        (b, v) -> b.trainingPointsPerList(integer("trainingPointsPerList", v)));
    return Map.copyOf(m);
  }

  private static int integer(String option, String value) {
    long parsed = longInteger(option, value);
    if (parsed != (int) parsed) {
      throw new InvalidRequestException(String.format(Locale.ROOT,
          "%s is out of range for %s", value, option));
    }
    return (int) parsed;
  }

  private static long longInteger(String option, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new InvalidRequestException(String.format(Locale.ROOT,
          "'%s' is not an integer; give %s a whole number", value, option));
    }
  }

  private static float decimal(String option, String value) {
    try {
      return Float.parseFloat(value);
    } catch (NumberFormatException e) {
      throw new InvalidRequestException(String.format(Locale.ROOT,
          "'%s' is not a number; give %s a decimal number, e.g. 1.9", value, option));
    }
  }

  private static boolean bool(String option, String value) {
    if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(value);
    }
    throw new InvalidRequestException(String.format(Locale.ROOT,
        "'%s' is not a boolean; give %s true or false", value, option));
  }
}
