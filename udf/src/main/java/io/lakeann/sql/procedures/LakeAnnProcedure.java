package io.lakeann.sql.procedures;

import io.lakeann.core.LakeAnnException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import io.lakeann.iceberg.BundleStore;
import io.lakeann.iceberg.ColumnBinding;
import io.lakeann.iceberg.RegisteredBundle;
import io.lakeann.spark.SparkTables;
import org.apache.iceberg.Table;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.catalog.procedures.BoundProcedure;
import org.apache.spark.sql.connector.catalog.procedures.ProcedureParameter;
import org.apache.spark.sql.connector.catalog.procedures.UnboundProcedure;
import org.apache.spark.sql.connector.read.LocalScan;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A {@code CALL lakeann.system.NAME(...)} procedure on Spark's native procedure API: it checks
 * the arguments of a call when Spark binds it (names, count, required ones, types), so a wrong
 * call fails at analysis with a message naming the procedure, the argument, what was given and
 * the fix; then {@link #run} does the work through the spark-connector and iceberg-backend API
 * and returns its rows, one result set, as Iceberg's procedures do. Subclasses are thin
 * adapters. Stateless between calls.
 */
public abstract class LakeAnnProcedure implements UnboundProcedure, BoundProcedure {
  /** The catalog namespace procedures live in. */
  public static final String NAMESPACE = "system";

  private final String name;
  private final String description;
  private final List<Param> params;
  private final StructType output;

  LakeAnnProcedure(String name, String description, List<Param> params, StructType output) {
    this.name = name;
    this.description = description;
    this.params = List.copyOf(params);
    this.output = output;
  }

  /** Does the work of one call; {@code args} hold the checked arguments. */
  abstract List<InternalRow> run(SparkSession spark, Args args);

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return description;
  }

  /** The rows' schema. */
  public StructType outputType() {
    return output;
  }

  /** {@code lakeann.system.NAME}, as messages name the procedure. */
  String qualified() {
    return "lakeann." + NAMESPACE + "." + name;
  }

  /** The signature as the docs write it: {@code build_index(table, column, id[, metric, ...])}. */
  String signature() {
    List<String> names = new ArrayList<>();
    for (Param p : params) {
      names.add(p.required() ? p.name() : "[" + p.name() + "]");
    }
    return qualified() + "(" + String.join(", ", names) + ")";
  }

  List<Param> params() {
    return params;
  }

  @Override
  public BoundProcedure bind(StructType input) {
    Set<String> given = new HashSet<>();
    StructField[] fields = input.fields();
    for (int i = 0; i < fields.length; i++) {
      StructField field = fields[i];
      Param param;
      if (field.metadata().contains(ProcedureParameter.BY_NAME_METADATA_KEY)) {
        param = param(field.name());
        if (param == null) {
          throw SqlErrors.raise(String.format(Locale.ROOT,
              "%s has no argument named '%s'; its arguments are %s: %s", qualified(),
              field.name(), names(), signature()), null);
        }
      } else {
        if (i >= params.size()) {
          throw SqlErrors.raise(String.format(Locale.ROOT,
              "%s takes at most %d arguments, got %d; call it as %s", qualified(), params.size(),
              fields.length, signature()), null);
        }
        param = params.get(i);
      }
      if (!given.add(param.name())) {
        throw SqlErrors.raise(String.format(Locale.ROOT,
            "%s: argument %s is given twice; give it once", qualified(), param.name()), null);
      }
      if (!param.accepts(field.dataType())) {
        throw SqlErrors.raise(String.format(Locale.ROOT,
            "%s: argument %s must be %s, got a value of type %s; pass e.g. %s => %s",
            qualified(), param.name(), param.sqlType(), field.dataType().sql(), param.name(),
            param.example()), null);
      }
    }
    for (Param p : params) {
      if (p.required() && !given.contains(p.name())) {
        throw SqlErrors.raise(String.format(Locale.ROOT,
            "%s: the required argument %s is missing; pass it, e.g. %s => %s (call: %s)",
            qualified(), p.name(), p.name(), p.example(), signature()), null);
      }
    }
    return this;
  }

  @Override
  public ProcedureParameter[] parameters() {
    ProcedureParameter[] out = new ProcedureParameter[params.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = params.get(i).toSpark();
    }
    return out;
  }

  @Override
  public boolean isDeterministic() {
    return false;
  }

  @Override
  public Iterator<Scan> call(InternalRow input) {
    Args args = new Args(this, input);
    List<InternalRow> rows;
    try {
      rows = run(SparkSession.active(), args);
    } catch (LakeAnnException e) {
      throw SqlErrors.raise(qualified() + ": " + e.getMessage(), e);
    }
    InternalRow[] array = rows.toArray(new InternalRow[0]);
    Scan scan = new LocalScan() {
      @Override
      public StructType readSchema() {
        return output;
      }

      @Override
      public InternalRow[] rows() {
        return array;
      }
    };
    return Collections.singletonList(scan).iterator();
  }

  /** The Iceberg table named by the text argument {@code arg}. */
  static Table icebergTable(SparkSession spark, Args args, String arg) {
    String name = args.requiredString(arg);
    return args.check(arg, name, v -> SparkTables.load(spark, name));
  }

  /** The vector column of {@code table} named by the text argument {@code arg}: its field id. */
  static int vectorField(Args args, String arg, Table table) {
    String column = args.requiredString(arg);
    return args.check(arg, column,
        v -> ColumnBinding.vectorField(table.name(), table.schema(), column).fieldId());
  }

  /** The bundle serving the current snapshot of {@code table} for the field, or null. */
  static RegisteredBundle servingBundle(Table table, BundleStore store, int field) {
    table.refresh();
    return table.currentSnapshot() == null ? null
        : store.findNearest(table.currentSnapshot().snapshotId(), field).orElse(null);
  }

  /** The refusal of a column without an index: {@code why}, then the build_index call to run. */
  static RuntimeException noIndex(Args args, String why) {
    String table = args.requiredString("table");
    String column = args.requiredString("column");
    return args.refused("column", column, String.format(Locale.ROOT,
        "%s; build one: CALL lakeann.system.build_index(table => '%s', column => '%s', id => "
            + "'ID_COLUMN')", why, table, column), null);
  }

  /** A result row: text as Spark's strings, the rest as they are. */
  static InternalRow row(Object... values) {
    Object[] out = new Object[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i] instanceof String s ? UTF8String.fromString(s) : values[i];
    }
    return new GenericInternalRow(out);
  }

  /** A schema of nullable columns, given as name, type, name, type, ... */
  static StructType schema(Object... namesAndTypes) {
    StructType out = new StructType();
    for (int i = 0; i < namesAndTypes.length; i += 2) {
      out = out.add((String) namesAndTypes[i], (DataType) namesAndTypes[i + 1], true);
    }
    return out;
  }

  private Param param(String argName) {
    for (Param p : params) {
      if (p.name().equalsIgnoreCase(argName)) {
        return p;
      }
    }
    return null;
  }

  private String names() {
    List<String> names = new ArrayList<>();
    for (Param p : params) {
      names.add(p.name());
    }
    return String.join(", ", names);
  }
}
