package io.lakeann.sql.procedures;

import io.lakeann.core.LakeAnnException;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;

/**
 * The arguments of one procedure call, by name (Spark hands them over in parameter order, an
 * omitted optional one as NULL), with conversions that turn a refused value into a message naming
 * the procedure, the argument, the value and the fix. Immutable.
 */
final class Args {
  private final LakeAnnProcedure procedure;
  private final InternalRow row;

  Args(LakeAnnProcedure procedure, InternalRow row) {
    this.procedure = procedure;
    this.row = row;
  }

  /** The text argument {@code name}, or null when omitted (or NULL). */
  String string(String name) {
    int i = index(name);
    return row.isNullAt(i) ? null : row.getUTF8String(i).toString();
  }

  /** The text argument {@code name}, which must be given and not blank. */
  String requiredString(String name) {
    String value = string(name);
    if (value == null || value.isBlank()) {
      Param p = param(name);
      throw SqlErrors.raise(String.format(Locale.ROOT,
          "%s: argument %s is %s; pass it, e.g. %s => %s", procedure.qualified(), name,
          value == null ? "NULL" : "empty", name, p.example()), null);
    }
    return value;
  }

  /** The whole-number argument {@code name}, or {@code fallback} when omitted. */
  long whole(String name, long fallback) {
    int i = index(name);
    if (row.isNullAt(i)) {
      return fallback;
    }
    return param(name).type().equals(DataTypes.LongType) ? row.getLong(i) : row.getInt(i);
  }

  /** The boolean argument {@code name}; false when omitted. */
  boolean bool(String name) {
    int i = index(name);
    return !row.isNullAt(i) && row.getBoolean(i);
  }

  /** The number argument {@code name}, or {@code fallback} when omitted. */
  double real(String name, double fallback) {
    int i = index(name);
    return row.isNullAt(i) ? fallback : row.getDouble(i);
  }

  /**
   * {@code fix.apply(value)} for the argument {@code name}; a lakeann refusal becomes an
   * AnalysisException naming the procedure, the argument and its value, with lakeann's own
   * message (which says what is wrong and how to fix it).
   */
  <T> T check(String name, Object value, Function<Object, T> fix) {
    try {
      return fix.apply(value);
    } catch (LakeAnnException e) {
      throw refused(name, value, e.getMessage(), e);
    }
  }

  /** An error for argument {@code name} given as {@code value}: {@code message} says why. */
  RuntimeException refused(String name, Object value, String message, Throwable cause) {
    return SqlErrors.raise(String.format(Locale.ROOT, "%s: %s => %s: %s", procedure.qualified(),
        name, literal(value), message), cause);
  }

  /** {@code value} as SQL would write it: {@code 'text'}, {@code 42}, {@code NULL}. */
  static String literal(Object value) {
    if (value == null) {
      return "NULL";
    }
    return value instanceof String s ? "'" + s.replace("'", "''") + "'" : value.toString();
  }

  private int index(String name) {
    List<Param> params = procedure.params();
    for (int i = 0; i < params.size(); i++) {
      if (params.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException(procedure.qualified() + " has no parameter " + name);
  }

  private Param param(String name) {
    return procedure.params().get(index(name));
  }
}
