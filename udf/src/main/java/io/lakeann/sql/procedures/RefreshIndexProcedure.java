package io.lakeann.sql.procedures;

import io.lakeann.iceberg.BundleManifest;
import io.lakeann.iceberg.BundleStore;
import io.lakeann.iceberg.RegisteredBundle;
import io.lakeann.spark.LakeAnn;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;

/**
 * {@code refresh_index(table, column)}: brings the existing index of a column up to the current
 * snapshot with the id column, config and shard target it was built with (unchanged shards
 * reused, shards whose files gained deletes re-masked). One row, as {@code build_index}.
 */
final class RefreshIndexProcedure extends LakeAnnProcedure {
  static final String NAME = "refresh_index";

  RefreshIndexProcedure() {
    super(NAME, "Brings the lakeann index of a column up to the table's current snapshot",
        List.of(
            Param.required("table", DataTypes.StringType, "'lake.db.docs'"),
            Param.required("column", DataTypes.StringType, "'embedding'")),
        BuildRows.SCHEMA);
  }

  @Override
  List<InternalRow> run(SparkSession spark, Args args) {
    Table table = icebergTable(spark, args, "table");
    int field = vectorField(args, "column", table);
    String name = args.requiredString("table");
    String column = args.requiredString("column");
    BundleStore store = new BundleStore(table, BundleStore.DEFAULT_PART_BYTES);
    RegisteredBundle latest = servingBundle(table, store, field);
    if (latest == null) {
      latest = store.anyReadable(field).orElse(null);
    }
    if (latest == null) {
      throw noIndex(args, name + " has no lakeann index to refresh");
    }
    BundleManifest manifest = latest.manifest();
    return List.of(BuildRows.of(LakeAnn.build(spark, name).column(column)
        .id(manifest.binding().renamedIn(table.schema()).idColumn()).config(manifest.config())
        .targetRowsPerShard(manifest.targetRowsPerShard()).run()));
  }
}
