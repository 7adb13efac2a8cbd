package io.lakeann.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The knobs of one measured engine setting (e.g. exBits, nprobe), in the order they were added.
 * Immutable: {@link #with} returns a new value.
 */
final class Params {
  private static final Params EMPTY = new Params(Map.of());

  private final Map<String, Object> values;

  private Params(Map<String, Object> values) {
    this.values = values;
  }

  static Params of() {
    return EMPTY;
  }

  /** These params plus {@code key = value} (replacing an earlier value of {@code key}). */
  Params with(String key, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(values);
    copy.put(key, value);
    return new Params(Collections.unmodifiableMap(copy));
  }

  Object get(String key) {
    return values.get(key);
  }

  Map<String, Object> asMap() {
    return values;
  }

  /**
   * The swept knob of a point, {@code key=value} of its last param, or {@code default} for the
   * point marked {@link ResultLine#DEFAULT_KEY}.
   */
  String knob() {
    if (Boolean.TRUE.equals(values.get(ResultLine.DEFAULT_KEY))) {
      return ResultLine.DEFAULT_KEY;
    }
    String last = "";
    for (Map.Entry<String, Object> e : values.entrySet()) {
      last = e.getKey() + "=" + e.getValue();
    }
    return last;
  }

  /** {@code key=value, key=value}, for tables and legends. */
  @Override
  public String toString() {
    StringJoiner s = new StringJoiner(", ");
    values.forEach((key, value) -> s.add(key + "=" + value));
    return s.toString();
  }
}
