package io.lakeann.sql.procedures;

import org.apache.spark.sql.connector.catalog.procedures.ProcedureParameter;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;

/**
 * One argument of a lakeann procedure: its name, SQL type, whether it is required, the default
 * (as the docs state it) and an example value for messages. Optional arguments default to NULL
 * in Spark; the procedure applies the documented default. Immutable.
 *
 * @param name the argument name, as in {@code name => value}
 * @param type its SQL type
 * @param required whether a call must give it
 * @param defaultText what an omitted argument means, for messages (null when required)
 * @param example a value of the right type, for messages (e.g. {@code 'lake.db.docs'})
 */
record Param(String name, DataType type, boolean required, String defaultText, String example) {

  static Param required(String name, DataType type, String example) {
    return new Param(name, type, true, null, example);
  }

  static Param optional(String name, DataType type, String defaultText, String example) {
    return new Param(name, type, false, defaultText, example);
  }

  ProcedureParameter toSpark() {
    ProcedureParameter.Builder builder = ProcedureParameter.in(name, type);
    return required ? builder.build() : builder.defaultValue("NULL").build();
  }

  /** Whether a value of SQL type {@code given} fits: the same kind (text, whole number). */
  boolean accepts(DataType given) {
    if (given.equals(type) || given.equals(DataTypes.NullType)) {
      return true;
    }
    // A number literal such as 0.99 is a DECIMAL in Spark SQL; Spark casts it to the type.
    return (isWhole(type) && isWhole(given))
        || (type.equals(DataTypes.DoubleType) && given instanceof NumericType);
  }

  private static boolean isWhole(DataType t) {
    return t.equals(DataTypes.LongType) || t.equals(DataTypes.IntegerType)
        || t.equals(DataTypes.ShortType) || t.equals(DataTypes.ByteType);
  }

  /** The type as SQL spells it: STRING, BIGINT, INT. */
  String sqlType() {
    return type.sql();
  }
}
