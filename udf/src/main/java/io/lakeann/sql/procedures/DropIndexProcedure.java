package io.lakeann.sql.procedures;

import io.lakeann.iceberg.BundleStore;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * {@code drop_index(table, column)}: unregisters every bundle of the column from the table's
 * metadata in one commit and deletes their statistics files through the table's FileIO
 * ({@link BundleStore#drop}); other columns' bundles and other engines' statistics stay. One row.
 */
final class DropIndexProcedure extends LakeAnnProcedure {
  static final String NAME = "drop_index";

  DropIndexProcedure() {
    super(NAME, "Unregisters the lakeann index of a column and deletes its files", List.of(
            Param.required("table", DataTypes.StringType, "'lake.db.docs'"),
            Param.required("column", DataTypes.StringType, "'embedding'")),
        schema("column", DataTypes.StringType,
            "bundles_dropped", DataTypes.IntegerType,
            "deleted_files", DataTypes.createArrayType(DataTypes.StringType)));
  }

  @Override
  List<InternalRow> run(SparkSession spark, Args args) {
    Table table = icebergTable(spark, args, "table");
    int field = vectorField(args, "column", table);
    BundleStore.Dropped dropped = new BundleStore(table, BundleStore.DEFAULT_PART_BYTES)
        .drop(field);
    Object[] files = dropped.deletedFiles().stream().map(UTF8String::fromString).toArray();
    return List.of(row(table.schema().findField(field).name(), dropped.bundles(),
        new GenericArrayData(files)));
  }
}
