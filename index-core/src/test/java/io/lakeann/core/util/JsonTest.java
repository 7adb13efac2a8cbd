package io.lakeann.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void writtenValuesParseBackEqual() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("text", "quote \" backslash \\ tab \t newline \n control \u0001 é 🙂");
    value.put("long", Long.MIN_VALUE);
    value.put("double", 0.125);
    value.put("flag", true);
    value.put("nothing", null);
    value.put("list", new ArrayList<>(Arrays.asList(1L, "two", List.of(), new LinkedHashMap<>())));
    assertEquals(value, Json.parse(Json.write(value)));
  }

  @Test
  void nonFiniteNumbersAreWrittenAsNull() {
    assertEquals("[null,null,1.5]", Json.write(List.of(Double.NaN, Float.POSITIVE_INFINITY, 1.5f)));
  }

  @Test
  void parsingAcceptsStandardEscapesAndWhitespace() {
    assertEquals(Map.of("a", List.of("/\b\f\r", 12.5e1, -3L)),
        Json.parse(" { \"a\" : [ \"\\/\\b\\f\\r\" , 12.5e1 , -3 ] } "));
  }

  @Test
  void malformedTextIsRefusedWithTheOffset() {
    for (String bad : List.of("", "{", "[1,]", "{\"a\" 1}", "\"open", "tru", "{\"a\":1,\"a\":2}",
        "[1] x", "\"\\x\"", "-", "[" .repeat(300) + "]".repeat(300))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Json.parse(bad), bad);
      assertTrue(e.getMessage().startsWith("Not JSON at offset "), e.getMessage());
    }
  }
}
