package io.lakeann.spark;

import io.lakeann.core.IndexConfig;
import io.lakeann.core.InvalidRequestException;
import io.lakeann.core.Metric;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The {@link IndexConfig} knobs as text options, the one place that names, parses and shows them
 * for every option surface of the Spark layer (the {@code lakeann} data source's write options and
 * shard listing, the SQL functions' option strings). Names are case-insensitive; each value is
 * parsed with a message naming the option and the bad value. Stateless.
 */
public final class IndexOptions {
  /** A knob: how it sets its builder field, and its value in a config. */
  private record Knob(String name, BiConsumer<IndexConfig.Builder, String> set,
      Function<IndexConfig, Object> get) {}

  /** Each knob, by lower-case name, in {@link #NAMES} order. */
  private static final Map<String, Knob> KNOBS = knobs();

  /** Every knob as users spell it, in documentation order. */
  public static final List<String> NAMES = KNOBS.values().stream().map(Knob::name).toList();

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
    KNOBS.forEach((knob, k) -> {
      String value = lookup.apply(knob);
      if (value != null) {
        try {
          k.set().accept(config, value.trim());
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

  /**
   * Every knob of {@code config} by its name in {@link #NAMES}, in that order: what
   * {@link #config} reads back as the same config (threads aside).
   */
  public static Map<String, Object> values(IndexConfig config) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Knob k : KNOBS.values()) {
      m.put(k.name(), k.get().apply(config));
    }
    return m;
  }

  private static Map<String, Knob> knobs() {
    Map<String, Knob> m = new LinkedHashMap<>();
    add(m, "metric", (b, v) -> b.metric(Metric.parse(v)),
        c -> c.metric().name().toLowerCase(Locale.ROOT));
    add(m, "nlist", (b, v) -> b.nlist(integer("nlist", v)), IndexConfig::nlist);
    add(m, "nprobe", (b, v) -> b.nprobe(integer("nprobe", v)), IndexConfig::nprobe);
    add(m, "exbits", (b, v) -> b.exBits(integer("exbits", v)), IndexConfig::exBits);
    add(m, "epsilon", (b, v) -> b.epsilon(decimal("epsilon", v)), IndexConfig::epsilon);
    add(m, "seed", (b, v) -> b.seed(longInteger("seed", v)), IndexConfig::seed);
    add(m, "storeOriginals", (b, v) -> b.storeOriginals(bool("storeOriginals", v)),
        IndexConfig::storeOriginals);
    add(m, "kmeansIterations",
        (b, v) -> b.kmeansIterations(integer("kmeansIterations", v)),
        IndexConfig::kmeansIterations);
    add(m, "trainingPointsPerList",
        (b, v) -> b.trainingPointsPerList(integer("trainingPointsPerList", v)),
        IndexConfig::trainingPointsPerList);
    return Collections.unmodifiableMap(m);
  }

  private static void add(Map<String, Knob> m, String name,
      BiConsumer<IndexConfig.Builder, String> set, Function<IndexConfig, Object> get) {
    m.put(name.toLowerCase(Locale.ROOT), new Knob(name, set, get));
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
