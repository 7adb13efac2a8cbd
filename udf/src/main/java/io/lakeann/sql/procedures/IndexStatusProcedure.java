package io.lakeann.sql.procedures;

import io.lakeann.iceberg.BundleManifest;
import io.lakeann.iceberg.BundleStore;
import io.lakeann.iceberg.ColumnBinding;
import io.lakeann.iceberg.Coverage;
import io.lakeann.iceberg.LakeAnnTable;
import io.lakeann.iceberg.NoIndexException;
import io.lakeann.iceberg.RegisteredBundle;
import io.lakeann.iceberg.ShardEntry;
import io.lakeann.iceberg.SnapshotIndex;
import io.lakeann.iceberg.SnapshotRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code index_status(table [, column])}: for the column (or every indexed column), a row per
 * registered bundle ({@code entry = 'bundle'}, newest first), then one row saying what serves the
 * current snapshot ({@code entry = 'current'}): {@code served_by} is {@code 'own bundle'},
 * {@code 'ancestor bundle'} (with {@code delta_rows} searched exactly and {@code masked_rows}
 * hidden) or {@code 'none'} (with the {@code reason}).
 */
final class IndexStatusProcedure extends LakeAnnProcedure {
  static final String NAME = "index_status";
  static final StructType OUTPUT = schema(
      "column", DataTypes.StringType,
      "id_column", DataTypes.StringType,
      "entry", DataTypes.StringType,
      "snapshot_id", DataTypes.LongType,
      "served_by", DataTypes.StringType,
      "bundle_snapshot_id", DataTypes.LongType,
      "shards", DataTypes.IntegerType,
      "rows", DataTypes.LongType,
      "masked_rows", DataTypes.LongType,
      "delta_rows", DataTypes.LongType,
      "skipped_null_vectors", DataTypes.LongType,
      "refresh_due", DataTypes.BooleanType,
      "metric", DataTypes.StringType,
      "dimension", DataTypes.IntegerType,
      "bytes", DataTypes.LongType,
      "witness", DataTypes.StringType,
      "statistics_file", DataTypes.StringType,
      "reason", DataTypes.StringType);

  IndexStatusProcedure() {
    super(NAME, "The lakeann bundles of a table's columns and what serves its current snapshot",
        List.of(
            Param.required("table", DataTypes.StringType, "'lake.db.docs'"),
            Param.optional("column", DataTypes.StringType, "every indexed column",
                "'embedding'")),
        OUTPUT);
  }

  @Override
  List<InternalRow> run(SparkSession spark, Args args) {
    Table table = icebergTable(spark, args, "table");
    table.refresh();
    BundleStore store = new BundleStore(table, BundleStore.DEFAULT_PART_BYTES);
    List<Integer> fields = args.string("column") == null ? store.indexedFields()
        : List.of(vectorField(args, "column", table));
    List<InternalRow> rows = new ArrayList<>();
    for (int field : fields) {
      column(table, store, field, args.requiredString("table"), rows);
    }
    return rows;
  }

  private static void column(Table table, BundleStore store, int field, String name,
      List<InternalRow> rows) {
    Snapshot current = table.currentSnapshot();
    Long currentId = current == null ? null : current.snapshotId();
    Types.NestedField vector = table.schema().findField(field);
    RegisteredBundle any = store.anyReadable(field).orElse(null);
    if (any == null) {
      rows.add(none(vector == null ? null : vector.name(), null, currentId, String.format(
          Locale.ROOT, "no lakeann index; build one: CALL lakeann.system.build_index(table => "
              + "'%s', column => '%s', id => 'ID_COLUMN')", name,
          vector == null ? "COLUMN" : vector.name())));
      return;
    }
    if (vector == null) {
      rows.add(none(any.manifest().binding().vectorColumn(), any.manifest().binding().idColumn(),
          currentId, "the column was dropped from the table's schema; its indexes serve no "
              + "snapshot after the drop"));
      return;
    }
    ColumnBinding binding = any.manifest().binding().renamedIn(table.schema());
    LakeAnnTable indexed = LakeAnnTable.of(table).column(binding.vectorColumn())
        .id(binding.idColumn());
    for (RegisteredBundle bundle : indexed.bundles()) {
      BundleManifest m = bundle.manifest();
      long masked = 0;
      for (ShardEntry shard : m.shards()) {
        masked += shard.maskedRows();
      }
      rows.add(row(binding.vectorColumn(), binding.idColumn(), "bundle", bundle.snapshotId(),
          null, bundle.snapshotId(), m.shards().size(), m.liveRows(), masked, null,
          m.skippedNulls(), null, m.config().metric().shortName(), m.dim(), m.bytes(),
          m.witness().toString(), bundle.statisticsPath(), null));
    }
    if (current == null) {
      rows.add(none(binding.vectorColumn(), binding.idColumn(), null,
          "the table has no snapshot"));
      return;
    }
    Coverage c;
    try (SnapshotIndex index = indexed.open(SnapshotRef.current())) {
      c = index.coverage();
    } catch (NoIndexException e) {
      rows.add(none(binding.vectorColumn(), binding.idColumn(), currentId, e.getMessage()));
      return;
    }
    rows.add(row(binding.vectorColumn(), binding.idColumn(), "current", c.snapshotId(),
        c.bundleSnapshotId() == c.snapshotId() ? "own bundle" : "ancestor bundle",
        c.bundleSnapshotId(), c.shards(), c.indexedRows(), c.maskedRows(), c.deltaRows(),
        c.skippedNullVectors(), c.refreshDue(), null, null, null, null, null, null));
  }

  private static InternalRow none(String column, String idColumn, Long snapshot, String reason) {
    return row(column, idColumn, "current", snapshot, "none", null, null, null, null, null, null,
        null, null, null, null, null, null, reason);
  }
}
