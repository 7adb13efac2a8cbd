package io.lakeann.spark.source;

import io.lakeann.core.IndexConfig;
import io.lakeann.core.InvalidRequestException;
import io.lakeann.iceberg.ColumnBinding.IdKind;
import io.lakeann.iceberg.ColumnBinding.VectorEncoding;
import io.lakeann.iceberg.ColumnTypeException;
import io.lakeann.iceberg.UnknownColumnException;
import io.lakeann.spark.IndexOptions;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * What one write of a DataFrame to a path bundle was asked for, parsed once on the driver: the
 * id and vector columns resolved in the DataFrame's schema, and every option turned into one
 * {@link IndexConfig}. Options (case-insensitive):
 *
 * <table>
 *   <caption>Write options</caption>
 *   <tr><td>id</td><td>required: the id column, long, int or string</td></tr>
 *   <tr><td>vector</td><td>required: the vector column, array&lt;float&gt; (array&lt;double&gt;
 *       is cast to float) or binary holding little-endian float32</td></tr>
 *   <tr><td>metric</td><td>l2 (default), ip or cosine</td></tr>
 *   <tr><td>nlist, nprobe, exbits, epsilon, seed, storeOriginals, kmeansIterations,
 *       trainingPointsPerList</td><td>the {@link IndexConfig} knobs, with its defaults</td></tr>
 * </table>
 *
 * <p>Immutable and serializable, for executors.
 *
 * @param files the bundle written
 * @param idColumn the id column's name as the DataFrame spells it
 * @param idOrdinal its position in the rows written
 * @param idKind its type
 * @param vectorColumn the vector column's name
 * @param vectorOrdinal its position
 * @param vectorType how it holds a vector
 * @param config the build config
 */
record WriteSpec(BundleFiles files, String idColumn, int idOrdinal, IdKind idKind,
    String vectorColumn, int vectorOrdinal, VectorType vectorType, IndexConfig config)
    implements java.io.Serializable {

  /** How a DataFrame column holds a vector. */
  enum VectorType {
    FLOAT_ARRAY(VectorEncoding.LIST_FLOAT),
    DOUBLE_ARRAY(VectorEncoding.LIST_FLOAT),
    BINARY(VectorEncoding.BINARY_F32);

    private final VectorEncoding encoding;

    VectorType(VectorEncoding encoding) {
      this.encoding = encoding;
    }

    VectorEncoding encoding() {
      return encoding;
    }
  }

  static final String ID = "id";
  static final String VECTOR = "vector";

  private static final List<String> OTHER_OPTIONS = List.of("path", ID, VECTOR);

  /**
   * Resolves the options of a write of rows of {@code schema} to {@code files}.
   *
   * @throws UnknownColumnException when the id or vector option is missing or names no column
   * @throws ColumnTypeException when a column has a type that cannot serve
   * @throws InvalidRequestException when an option is unknown or has a bad value
   */
  static WriteSpec parse(BundleFiles files, StructType schema, CaseInsensitiveStringMap options) {
    for (String key : options.keySet()) {
      String lower = key.toLowerCase(Locale.ROOT);
      if (!IndexOptions.isKnob(lower) && !OTHER_OPTIONS.contains(lower)) {
        throw new InvalidRequestException(String.format(Locale.ROOT,
            "Unknown option '%s' for %s; the options are id, vector, metric, nlist, nprobe, "
                + "exbits, epsilon, seed, storeOriginals, kmeansIterations, "
                + "trainingPointsPerList", key, files.describe()));
      }
    }
    StructField id = column(files, schema, options, ID, "an id column (long, int or string)");
    StructField vector = column(files, schema, options, VECTOR,
        "a vector column (array<float>, array<double> or binary float32)");
    if (id.name().equals(vector.name())) {
      throw new ColumnTypeException(String.format(Locale.ROOT,
          "Options 'id' and 'vector' of %s both name column '%s'; name a separate id column of "
              + "type long, int or string", files.describe(), id.name()));
    }
    IndexConfig built = IndexOptions.config(options::get, files.describe());
    return new WriteSpec(files, id.name(), schema.fieldIndex(id.name()), idKind(files, id),
        vector.name(), schema.fieldIndex(vector.name()), vectorType(files, vector), built);
  }

  /** "column 'embedding' of the lakeann bundle at path", for messages. */
  String describe() {
    return files.describe(vectorColumn);
  }

  private static StructField column(BundleFiles files, StructType schema,
      CaseInsensitiveStringMap options, String option, String role) {
    String name = options.get(option);
    if (name == null || name.isBlank()) {
      throw new UnknownColumnException(String.format(Locale.ROOT,
          "No '%s' option for %s: name %s with .option(\"%s\", \"<column>\"); the DataFrame's "
              + "columns are: %s", option, files.describe(), role, option, columns(schema)));
    }
    StructField exact = Arrays.stream(schema.fields()).filter(f -> f.name().equals(name))
        .findFirst().orElse(null);
    if (exact != null) {
      return exact;
    }
    List<StructField> matches = Arrays.stream(schema.fields())
        .filter(f -> f.name().equalsIgnoreCase(name)).toList();
    if (matches.size() == 1) {
      return matches.get(0);
    }
    throw new UnknownColumnException(String.format(Locale.ROOT,
        "Option '%s' of %s names column '%s', which the DataFrame does not have; name one of "
            + "its columns: %s", option, files.describe(), name, columns(schema)));
  }

  private static IdKind idKind(BundleFiles files, StructField field) {
    DataType type = field.dataType();
    if (type == DataTypes.LongType) {
      return IdKind.LONG;
    }
    if (type == DataTypes.IntegerType) {
      return IdKind.INT;
    }
    if (type == DataTypes.StringType) {
      return IdKind.STRING;
    }
    throw new ColumnTypeException(String.format(Locale.ROOT,
        "Column '%s' (option 'id') of the DataFrame written to %s has type %s, which cannot "
            + "serve as ids; use a long, int or string column, e.g. cast it", field.name(),
        files.describe(), type.simpleString()));
  }

  private static VectorType vectorType(BundleFiles files, StructField field) {
    DataType type = field.dataType();
    if (type == DataTypes.BinaryType) {
      return VectorType.BINARY;
    }
    if (type instanceof ArrayType array && array.elementType() == DataTypes.FloatType) {
      return VectorType.FLOAT_ARRAY;
    }
    if (type instanceof ArrayType array && array.elementType() == DataTypes.DoubleType) {
      return VectorType.DOUBLE_ARRAY;
    }
    throw new ColumnTypeException(String.format(Locale.ROOT,
        "Column '%s' (option 'vector') of the DataFrame written to %s has type %s, which cannot "
            + "hold vectors; use array<float> (array<double> is cast to float) or binary holding "
            + "little-endian float32", field.name(), files.describe(), type.simpleString()));
  }

  private static String columns(StructType schema) {
    return Arrays.stream(schema.fields())
        .map(f -> f.name() + " " + f.dataType().simpleString())
        .collect(Collectors.joining(", "));
  }
}
