package io.lakeann.sql.procedures;

import io.lakeann.iceberg.BuildResult;
import io.lakeann.iceberg.BundleManifest;
import io.lakeann.iceberg.RegisteredBundle;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The result row of {@code build_index} and {@code refresh_index}: what the build did. */
final class BuildRows {
  static final StructType SCHEMA = LakeAnnProcedure.schema(
      "snapshot_id", DataTypes.LongType,
      "already_registered", DataTypes.BooleanType,
      "column", DataTypes.StringType,
      "id_column", DataTypes.StringType,
      "metric", DataTypes.StringType,
      "dimension", DataTypes.IntegerType,
      "shards", DataTypes.IntegerType,
      "shards_built", DataTypes.IntegerType,
      "shards_reused", DataTypes.IntegerType,
      "shards_remasked", DataTypes.IntegerType,
      "shards_repaired", DataTypes.IntegerType,
      "rows", DataTypes.LongType,
      "rows_read", DataTypes.LongType,
      "skipped_null_vectors", DataTypes.LongType,
      "bytes", DataTypes.LongType,
      "witness", DataTypes.StringType,
      "statistics_file", DataTypes.StringType,
      "seconds", DataTypes.DoubleType);

  private BuildRows() {}

  static InternalRow of(BuildResult result) {
    RegisteredBundle bundle = result.bundle();
    BundleManifest manifest = bundle.manifest();
    return LakeAnnProcedure.row(bundle.snapshotId(), result.alreadyRegistered(),
        manifest.binding().vectorColumn(), manifest.binding().idColumn(),
        manifest.config().metric().shortName(), manifest.dim(), manifest.shards().size(),
        result.shardsBuilt(), result.shardsReused(), result.shardsRemasked(),
        result.shardsRepaired(), manifest.liveRows(), result.rowsRead(),
        result.skippedNullVectors(), manifest.bytes(),
        manifest.witness().toString(), bundle.statisticsPath(), result.seconds());
  }
}
