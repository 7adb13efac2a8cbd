package io.lakeann.core.util;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Typed access to the fields of one object parsed by {@link Json#parse}, for the manifests that
 * layers keep as JSON: a missing or mistyped field throws an {@link IllegalArgumentException}
 * naming it, which the caller turns into its own typed error naming the file. Immutable.
 *
 * @param map the parsed object
 */
public record JsonFields(Map<?, ?> map) {
  /** The fields of {@code parsed}, which must be a JSON object. */
  public JsonFields(Object parsed) {
    this(parsed instanceof Map<?, ?> m ? m : fail("an object", parsed));
  }

  private static Map<?, ?> fail(String expected, Object found) {
    throw new IllegalArgumentException("expected " + expected + ", found " + found);
  }

  private Object get(String key) {
    Object value = map.get(key);
    if (value == null) {
      throw new IllegalArgumentException("field '" + key + "' is missing");
    }
    return value;
  }

  public String text(String key) {
    return get(key) instanceof String s ? s : fieldError(key, "a string");
  }

  /** The string field {@code key}, or null when it is absent or null. */
  public String optionalText(String key) {
    return map.get(key) == null ? null : text(key);
  }

  public long number(String key) {
    return get(key) instanceof Long n ? n : fieldError(key, "an integer");
  }

  /** An integer field that must fit an {@code int}. */
  public int integer(String key) {
    return Math.toIntExact(number(key));
  }

  /** A list field whose items are objects. */
  public List<JsonFields> objects(String key) {
    if (!(get(key) instanceof List<?> list)) {
      return fieldError(key, "a list");
    }
    List<JsonFields> out = new ArrayList<>(list.size());
    for (Object item : list) {
      out.add(new JsonFields(item));
    }
    return out;
  }

  private static <T> T fieldError(String key, String expected) {
    throw new IllegalArgumentException("field '" + key + "' is not " + expected);
  }
}
