package io.lakeann.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void objectsKeepInsertionOrderAndNest() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("nprobe", 8);
    inner.put("default", true);
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("engine", "lakeann-rabitq");
    line.put("params", inner);
    line.put("qps", 1234.5);
    line.put("n", 1_000_000L);
    line.put("list", List.of(1, "a"));
    line.put("none", null);
    assertEquals("{\"engine\":\"lakeann-rabitq\",\"params\":{\"nprobe\":8,\"default\":true},"
        + "\"qps\":1234.5,\"n\":1000000,\"list\":[1,\"a\"],\"none\":null}", Json.write(line));
  }

  @Test
  void stringsAreEscaped() {
    assertEquals("\"a\\\"b\\\\c\\nd\\te\\u0001\"", Json.write("a\"b\\c\nd\te\u0001"));
  }

  @Test
  void nonFiniteNumbersBecomeNull() {
    assertEquals("[null,null,null]",
        Json.write(List.of(Double.NaN, Double.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY)));
  }

  @Test
  void unsupportedTypesAreRefusedWithTheirName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Json.write(new Object()));
    assertEquals("Cannot write java.lang.Object as JSON: use a String, Number, Boolean, Map or"
        + " List", e.getMessage());
  }
}
