package io.lakeann.sql.procedures;

import io.lakeann.core.IndexConfig;
import io.lakeann.core.Metric;
import io.lakeann.iceberg.ShardPlanner;
import io.lakeann.iceberg.SnapshotRef;
import io.lakeann.spark.BuildJob;
import io.lakeann.spark.LakeAnn;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;

/**
 * {@code build_index(table, column, id, metric, target_rows, exbits, snapshot)}: builds (or
 * refreshes) the index of a vector column with {@link BuildJob}, one Spark task per shard, and
 * publishes it with the snapshot; a no-op on an indexed snapshot. One row: what was done.
 */
final class BuildIndexProcedure extends LakeAnnProcedure {
  static final String NAME = "build_index";

  BuildIndexProcedure() {
    super(NAME, "Builds or refreshes the lakeann index of a vector column of an Iceberg table",
        List.of(
            Param.required("table", DataTypes.StringType, "'lake.db.docs'"),
            Param.required("column", DataTypes.StringType, "'embedding'"),
            Param.required("id", DataTypes.StringType, "'doc_id'"),
            Param.optional("metric", DataTypes.StringType, "'l2'", "'cosine'"),
            Param.optional("target_rows", DataTypes.LongType,
                Long.toString(ShardPlanner.DEFAULT_TARGET_ROWS), "1000000"),
            Param.optional("exbits", DataTypes.IntegerType,
                Integer.toString(IndexConfig.defaults().exBits()), "4"),
            Param.optional("snapshot", DataTypes.StringType, "the current snapshot",
                "'tag:v1'"),
            Param.optional("repair", DataTypes.BooleanType, "false", "true")),
        BuildRows.SCHEMA);
  }

  @Override
  List<InternalRow> run(SparkSession spark, Args args) {
    Table table = icebergTable(spark, args, "table");
    vectorField(args, "column", table);
    String name = args.requiredString("table");
    String column = args.requiredString("column");
    String id = args.requiredString("id");
    IndexConfig.Builder config = IndexConfig.defaults().toBuilder();
    String metric = args.string("metric");
    if (metric != null) {
      config.metric(args.check("metric", metric, v -> Metric.parse(metric)));
    }
    long exbits = args.whole("exbits", IndexConfig.defaults().exBits());
    config.exBits((int) exbits);
    IndexConfig built = args.check("exbits", exbits, v -> config.build());
    long targetRows = args.whole("target_rows", ShardPlanner.DEFAULT_TARGET_ROWS);
    String snapshot = args.string("snapshot");
    SnapshotRef ref = snapshot == null ? SnapshotRef.current()
        : args.check("snapshot", snapshot, v -> SnapshotRef.parse(snapshot));
    BuildJob job = args.check("target_rows", targetRows,
        v -> LakeAnn.build(spark, name).column(column).id(id).config(built)
            .targetRowsPerShard(targetRows).snapshot(ref).repair(args.bool("repair")));
    return List.of(BuildRows.of(args.check("id", id, v -> job.run())));
  }
}
