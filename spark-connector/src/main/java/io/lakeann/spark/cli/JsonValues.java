package io.lakeann.spark.cli;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import scala.collection.Iterator;

/**
 * Spark row values as the values {@link io.lakeann.core.util.Json} writes: numbers, strings and
 * booleans as they are; arrays as lists; maps and structs as objects; binary as base64; dates and
 * timestamps as ISO-8601 text; a decimal a double cannot hold exactly as its exact text.
 * Stateless.
 */
final class JsonValues {
  private JsonValues() {}

  /** One row as an object: column name to value, in column order (repeated names get _2, _3). */
  static Map<String, Object> row(Row row, String[] names) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      out.put(names[i], value(row.get(i)));
    }
    return out;
  }

  /** {@code names} with repeats made unique, so no column is lost from a JSON object. */
  static String[] uniqueNames(String[] names) {
    Set<String> taken = new HashSet<>();
    String[] out = new String[names.length];
    for (int i = 0; i < names.length; i++) {
      String name = names[i];
      for (int n = 2; !taken.add(name); n++) {
        name = names[i] + "_" + n;
      }
      out[i] = name;
    }
    return out;
  }

  static Object value(Object v) {
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long
        || v instanceof Integer || v instanceof Short || v instanceof Byte
        || v instanceof Double) {
      return v;
    }
    if (v instanceof Float f) {
      // The float's shortest decimal text, not the widened double's (0.1f, not 0.10000000149).
      return Double.valueOf(Float.toString(f));
    }
    if (v instanceof BigDecimal d) {
      double asDouble = d.doubleValue();
      return Double.isFinite(asDouble) && new BigDecimal(Double.toString(asDouble))
          .compareTo(d) == 0 ? (Object) asDouble : d.toPlainString();
    }
    if (v instanceof byte[] bytes) {
      return Base64.getEncoder().encodeToString(bytes);
    }
    if (v instanceof Row struct) {
      StructType schema = struct.schema();
      String[] names = schema != null ? schema.fieldNames() : positions(struct.size());
      return row(struct, uniqueNames(names));
    }
    if (v instanceof scala.collection.Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      Iterator<? extends scala.Tuple2<?, ?>> it = map.iterator();
      while (it.hasNext()) {
        scala.Tuple2<?, ?> e = it.next();
        Object key = value(e._1());
        out.put(key instanceof String s ? s : io.lakeann.core.util.Json.write(key),
            value(e._2()));
      }
      return out;
    }
    if (v instanceof scala.collection.Iterable<?> seq) {
      List<Object> out = new ArrayList<>();
      Iterator<?> it = seq.iterator();
      while (it.hasNext()) {
        out.add(value(it.next()));
      }
      return out;
    }
    if (v instanceof java.sql.Timestamp t) {
      return t.toInstant().toString();
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate().toString();
    }
    // java.time values (Instant, LocalDate, LocalDateTime), intervals and the rest: their text.
    return v.toString();
  }

  private static String[] positions(int n) {
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      out[i] = "_" + (i + 1);
    }
    return out;
  }
}
