package io.lakeann.spark.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One subcommand's flags ({@code --name value} or {@code --name=value}, or a switch {@code --name}
 * that takes no value) and positional words, checked against the names the subcommand accepts;
 * typed getters turn a missing or malformed value into a {@link UsageException} naming the flag.
 * Immutable.
 */
public final class Flags {
  private final Map<String, String> values;
  private final List<String> positional;

  private Flags(Map<String, String> values, List<String> positional) {
    this.values = values;
    this.positional = positional;
  }

  /**
   * Parses {@code tokens}; {@code names} are the flags {@code command} accepts (without the
   * dashes), each taking one value. Public for the benchmarks' command line, which shares these
   * conventions.
   */
  public static Flags parse(String command, List<String> tokens, Set<String> names) {
    return parse(command, tokens, names, Set.of());
  }

  /**
   * {@link #parse(String, List, Set)}, where the flags in {@code switches} take no value: given,
   * they read as {@code true} ({@link #on}).
   */
  public static Flags parse(String command, List<String> tokens, Set<String> names,
      Set<String> switches) {
    Map<String, String> values = new LinkedHashMap<>();
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      String token = tokens.get(i);
      if (!token.startsWith("-") || token.equals("-")) {
        positional.add(token);
        continue;
      }
      int eq = token.indexOf('=');
      String name = (eq > 0 ? token.substring(0, eq) : token).replaceFirst("^--?", "");
      if (!names.contains(name) && !switches.contains(name)) {
        Set<String> all = new TreeSet<>(names);
        all.addAll(switches);
        throw new UsageException("unknown flag '%s'; %s takes %s", token, command,
            all.isEmpty() ? "no flags" : "--" + String.join(", --", all));
      }
      String value;
      if (switches.contains(name)) {
        if (eq > 0) {
          throw new UsageException("--%s takes no value; write --%s alone", name, name);
        }
        value = "true";
      } else if (eq > 0) {
        value = token.substring(eq + 1);
      } else if (i + 1 < tokens.size() && !tokens.get(i + 1).startsWith("--")) {
        value = tokens.get(++i);
      } else {
        throw new UsageException("--%s needs a value: write --%s VALUE or --%s=VALUE", name,
            name, name);
      }
      if (values.put(name, value) != null) {
        throw new UsageException("--%s is given twice; give it once", name);
      }
    }
    return new Flags(values, List.copyOf(positional));
  }

  /** The words that are not flags, in order. */
  public List<String> positional() {
    return positional;
  }

  /** Whether the switch {@code --name} was given. */
  public boolean on(String name) {
    return values.containsKey(name);
  }

  /** The value of {@code --name}, or null. */
  public String optional(String name) {
    return values.get(name);
  }

  /** The value of {@code --name}; {@code what} says what it names, for the message. */
  public String required(String name, String what) {
    String value = values.get(name);
    if (value == null || value.isBlank()) {
      throw new UsageException("--%s is required: %s", name, what);
    }
    return value;
  }

  /** The whole number given as {@code --name}, at least {@code min}; {@code fallback} if absent. */
  public long number(String name, long fallback, long min) {
    String text = values.get(name);
    if (text == null) {
      return fallback;
    }
    long value;
    try {
      value = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("--%s '%s' is not a whole number; give one >= %d", name, text,
          min);
    }
    if (value < min) {
      throw new UsageException("--%s %d is out of range; give a number >= %d", name, value, min);
    }
    return value;
  }

  /** {@link #number} for int-sized values. */
  public int integer(String name, int fallback, int min) {
    long value = number(name, fallback, min);
    if (value > Integer.MAX_VALUE) {
      throw new UsageException("--%s %d is out of range; give a number <= %d", name, value,
          Integer.MAX_VALUE);
    }
    return (int) value;
  }
}
