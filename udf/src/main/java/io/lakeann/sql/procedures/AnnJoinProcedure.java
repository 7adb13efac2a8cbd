package io.lakeann.sql.procedures;

import io.lakeann.iceberg.Consistency;
import io.lakeann.spark.JoinStats;
import io.lakeann.spark.TableJoin;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;

/**
 * {@code ann_join(queries, query_column, query_id, table, column, k, output, nprobe, consistency,
 * filter, recall)}: the ANN join of the Java API ({@link TableJoin}, as the command line's
 * {@code join} runs it), written to the Iceberg table {@code output} (created, or replaced): the query id
 * column, {@code neighbor_id}, {@code distance}, {@code rank}, {@code snapshot_id}. One row: the
 * join's statistics.
 */
final class AnnJoinProcedure extends LakeAnnProcedure {
  static final String NAME = "ann_join";
  /** How messages name an argument: {@code k =>}. */
  private static final UnaryOperator<String> ARGUMENTS = name -> name + " =>";

  AnnJoinProcedure() {
    super(NAME, "ANN join of a query table against an indexed column, into an Iceberg table",
        List.of(
            Param.required("queries", DataTypes.StringType, "'lake.db.questions'"),
            Param.required("query_column", DataTypes.StringType, "'qvec'"),
            Param.required("query_id", DataTypes.StringType, "'qid'"),
            Param.required("table", DataTypes.StringType, "'lake.db.docs'"),
            Param.required("column", DataTypes.StringType, "'embedding'"),
            Param.required("k", DataTypes.IntegerType, "10"),
            Param.required("output", DataTypes.StringType, "'lake.db.answers'"),
            Param.optional("nprobe", DataTypes.IntegerType, "0 (each shard's default)", "16"),
            Param.optional("consistency", DataTypes.StringType, "'fresh'", "'frozen:tag:v1'"),
            Param.optional("filter", DataTypes.StringType, "none", "'lang = ''en'''"),
            Param.optional("recall", DataTypes.DoubleType, "0.95 (each shard's calibration sets "
                + "the effort)", "0.99")),
        schema("snapshot_id", DataTypes.LongType,
            "bundle_snapshot_id", DataTypes.LongType,
            "shards", DataTypes.IntegerType,
            "delta_groups", DataTypes.IntegerType,
            "queries", DataTypes.LongType,
            "skipped_null_queries", DataTypes.LongType,
            "query_blocks", DataTypes.IntegerType,
            "tasks", DataTypes.LongType,
            "loads", DataTypes.LongType,
            "cache_hits", DataTypes.LongType,
            "view_loads", DataTypes.LongType,
            "view_hits", DataTypes.LongType,
            "delta_loads", DataTypes.LongType,
            "delta_hits", DataTypes.LongType,
            "indexed_rows", DataTypes.LongType,
            "delta_rows", DataTypes.LongType,
            "masked_rows", DataTypes.LongType,
            "damaged_shards", DataTypes.IntegerType,
            "repeated_ids", DataTypes.LongType,
            "search_seconds", DataTypes.DoubleType,
            "output", DataTypes.StringType,
            "output_rows", DataTypes.LongType));
  }

  @Override
  List<InternalRow> run(SparkSession spark, Args args) {
    String consistencyText = args.string("consistency");
    Consistency consistency = consistencyText == null ? Consistency.fresh()
        : args.check("consistency", consistencyText, v -> Consistency.parse(consistencyText));
    long k = args.whole("k", 0);
    long nprobe = args.whole("nprobe", 0);
    TableJoin request = new TableJoin(args.requiredString("queries"),
        args.requiredString("query_column"), args.requiredString("query_id"),
        args.requiredString("table"), args.requiredString("column"), (int) k,
        args.real("recall", Double.NaN), (int) nprobe, Float.NaN, consistency,
        args.string("filter"), args.requiredString("output"));
    request.check(ARGUMENTS);
    vectorField(args, "column", icebergTable(spark, args, "table"));
    TableJoin.Result result = request.run(spark, ARGUMENTS);
    JoinStats s = result.stats();
    return List.of(row(s.snapshotId(), s.bundleSnapshotId(), s.shards(), s.deltaGroups(),
        s.queries(), s.skippedNullQueries(), s.queryBlocks(), s.tasks(), s.loads(),
        s.cacheHits(), s.viewLoads(), s.viewHits(), s.deltaLoads(), s.deltaHits(),
        s.indexedRows(), s.deltaRows(), s.maskedRows(), s.damagedShards(),
        s.repeatedIds(), s.seconds(),
        request.output(), result.outputRows()));
  }
}
