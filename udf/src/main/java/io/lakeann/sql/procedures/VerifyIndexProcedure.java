package io.lakeann.sql.procedures;

import io.lakeann.iceberg.BundleStore;
import io.lakeann.iceberg.RegisteredBundle;
import io.lakeann.iceberg.ShardCheck;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;

/**
 * {@code verify_index(table, column)}: reads every shard of the bundle that serves the current
 * snapshot straight from the table's statistics file and checks every hash, the witness and the
 * source identity ({@link ShardCheck}). A row per shard: {@code 'ok'}, or {@code 'refused'} with
 * the reason. Nothing is trusted without being checked: no cache or local copy is consulted.
 */
final class VerifyIndexProcedure extends LakeAnnProcedure {
  static final String NAME = "verify_index";

  VerifyIndexProcedure() {
    super(NAME, "Reads every shard of the current lakeann bundle and checks every hash", List.of(
            Param.required("table", DataTypes.StringType, "'lake.db.docs'"),
            Param.required("column", DataTypes.StringType, "'embedding'")),
        schema("bundle_snapshot_id", DataTypes.LongType,
            "shard", DataTypes.IntegerType,
            "witness", DataTypes.StringType,
            "rows", DataTypes.LongType,
            "bytes", DataTypes.LongType,
            "status", DataTypes.StringType,
            "reason", DataTypes.StringType));
  }

  @Override
  List<InternalRow> run(SparkSession spark, Args args) {
    Table table = icebergTable(spark, args, "table");
    int field = vectorField(args, "column", table);
    BundleStore store = new BundleStore(table, BundleStore.DEFAULT_PART_BYTES);
    RegisteredBundle bundle = servingBundle(table, store, field);
    if (bundle == null) {
      throw noIndex(args, "no lakeann index serves the current snapshot of "
          + args.requiredString("table"));
    }
    List<InternalRow> rows = new ArrayList<>();
    for (ShardCheck check : ShardCheck.verifyAll(store, bundle,
        Runtime.getRuntime().availableProcessors())) {
      rows.add(row(bundle.snapshotId(), check.shard(), check.witness().toString(),
          check.rows(), check.bytes(), check.ok() ? "ok" : "refused", check.problem()));
    }
    return rows;
  }
}
