package io.lakeann.iceberg;

import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The vector and id columns of one table, resolved by name to Iceberg field ids. Field ids, not
 * names, bind a bundle to its column: renaming the column keeps its index. Immutable.
 *
 * @param table the table's name, for messages
 * @param vectorColumn the vector column's name in the schema it was resolved against
 * @param vectorFieldId its field id
 * @param encoding how it stores a vector
 * @param idColumn the id column's name
 * @param idFieldId its field id
 * @param idKind its type
 */
public record ColumnBinding(String table, String vectorColumn, int vectorFieldId,
    VectorEncoding encoding, String idColumn, int idFieldId, IdKind idKind)
    implements java.io.Serializable {

  /** How a column holds a vector. */
  public enum VectorEncoding {
    /** {@code list<float>} (Spark {@code array<float>}): one Parquet float per dimension. */
    LIST_FLOAT(1),
    /** {@code binary} holding the vector as little-endian float32, 4 bytes per dimension. */
    BINARY_F32(2),
    /**
     * {@code list<double>} (Spark {@code array<double>}): one Parquet double per dimension, each
     * rounded to the nearest float32 when read; a value beyond float32's range is refused.
     */
    LIST_DOUBLE(3);

    private final int code;

    VectorEncoding(int code) {
      this.code = code;
    }

    /** Fixed code, part of a shard's source identity. */
    public int code() {
      return code;
    }

    public String label() {
      return switch (this) {
        case LIST_FLOAT -> "list<float>";
        case BINARY_F32 -> "binary (little-endian float32)";
        case LIST_DOUBLE -> "list<double> (read as float32)";
      };
    }

    /** Whether the column is a list (of floats or doubles), rather than binary. */
    public boolean isList() {
      return this != BINARY_F32;
    }
  }

  /** The type of the id column and how its values become the index's {@code long} ids. */
  public enum IdKind {
    /** {@code long}: the id itself. */
    LONG(1),
    /** {@code int}: the id widened to long. */
    INT(2),
    /**
     * {@code string}: the row's position in its shard is the index id, and the shard stores the
     * strings in that order, so a result maps back to its string exactly.
     */
    STRING(3);

    private final int code;

    IdKind(int code) {
      this.code = code;
    }

    /** Fixed code, part of a shard's source identity. */
    public int code() {
      return code;
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Resolves {@code vectorColumn} and {@code idColumn} in {@code schema}.
   *
   * @throws UnknownColumnException if either is missing (the message lists the columns)
   * @throws ColumnTypeException if either has a type that cannot serve
   */
  public static ColumnBinding resolve(String table, Schema schema, String vectorColumn,
      String idColumn) {
    Types.NestedField vector = field(table, schema, vectorColumn, "vector");
    Types.NestedField id = field(table, schema, idColumn, "id");
    if (vector.fieldId() == id.fieldId()) {
      throw new ColumnTypeException(String.format(Locale.ROOT,
          "Table %s: column '%s' cannot be both the vector and the id column; name an id column "
              + "of type long, int or string", table, vectorColumn));
    }
    return new ColumnBinding(table, vector.name(), vector.fieldId(),
        encoding(table, vector), id.name(), id.fieldId(), idKind(table, id));
  }

  /**
   * The field of vector column {@code column} in {@code schema}, checked to exist and hold vectors
   * (for callers that find the id column from the bundle).
   */
  public static Types.NestedField vectorField(String table, Schema schema, String column) {
    Types.NestedField field = field(table, schema, column, "vector");
    encoding(table, field);
    return field;
  }

  /** This binding with the names the columns have in {@code schema} (after a rename). */
  public ColumnBinding renamedIn(Schema schema) {
    Types.NestedField vector = schema.findField(vectorFieldId);
    Types.NestedField id = schema.findField(idFieldId);
    return new ColumnBinding(table, vector == null ? vectorColumn : vector.name(), vectorFieldId,
        encoding, id == null ? idColumn : id.name(), idFieldId, idKind);
  }

  /** "table.column", for messages and cache sources. */
  public String describe() {
    return table + "." + vectorColumn;
  }

  private static Types.NestedField field(String table, Schema schema, String name, String role) {
    if (name == null || name.isBlank()) {
      throw new UnknownColumnException(String.format(Locale.ROOT,
          "Table %s: no %s column given; name one of its columns: %s", table, role,
          columns(schema)));
    }
    Types.NestedField field = schema.findField(name);
    if (field == null) {
      field = schema.caseInsensitiveFindField(name);
    }
    if (field == null) {
      throw new UnknownColumnException(String.format(Locale.ROOT,
          "Table %s has no column '%s' (wanted as the %s column); its columns are: %s", table,
          name, role, columns(schema)));
    }
    return field;
  }

  private static VectorEncoding encoding(String table, Types.NestedField field) {
    Type type = field.type();
    if (type.typeId() == Type.TypeID.BINARY) {
      return VectorEncoding.BINARY_F32;
    }
    if (type.isListType()) {
      Type.TypeID element = type.asListType().elementType().typeId();
      if (element == Type.TypeID.FLOAT) {
        return VectorEncoding.LIST_FLOAT;
      }
      if (element == Type.TypeID.DOUBLE) {
        return VectorEncoding.LIST_DOUBLE;
      }
    }
    throw new ColumnTypeException(String.format(Locale.ROOT,
        "Table %s: column '%s' has type %s, which cannot hold vectors; use list<float> (Spark "
            + "array<float>), list<double> (read as float32) or binary holding little-endian "
            + "float32, e.g. cast another numeric array with CAST(col AS ARRAY<FLOAT>)", table,
        field.name(), type));
  }

  private static IdKind idKind(String table, Types.NestedField field) {
    switch (field.type().typeId()) {
      case LONG:
        return IdKind.LONG;
      case INTEGER:
        return IdKind.INT;
      case STRING:
        return IdKind.STRING;
      default:
        throw new ColumnTypeException(String.format(Locale.ROOT,
            "Table %s: column '%s' has type %s, which cannot serve as the id column; use a "
                + "long, int or string column", table, field.name(), field.type()));
    }
  }

  private static String columns(Schema schema) {
    return schema.columns().stream()
        .map(f -> f.name() + " " + f.type())
        .collect(Collectors.joining(", "));
  }
}
