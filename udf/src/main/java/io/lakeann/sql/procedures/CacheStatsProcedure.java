package io.lakeann.sql.procedures;

import io.lakeann.core.cache.CacheStats;
import io.lakeann.spark.ExecutorCaches;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;

/**
 * {@code cache_stats([table])}: the cache counters of this driver and of every executor, each
 * executor asked by one task that prefers it ({@link ExecutorCaches}). Without a table, a row per
 * JVM with its totals ({@code table} and {@code kind} NULL); with one, a row per JVM and kind of
 * that table's entries ({@code shard}, {@code view}, {@code delta}) that the JVM's cache has
 * counted. {@code answered} is false (counters NULL) for an executor whose task ran elsewhere.
 */
final class CacheStatsProcedure extends LakeAnnProcedure {
  static final String NAME = "cache_stats";

  CacheStatsProcedure() {
    super(NAME, "Cache counters of the driver and of every executor, in total or of one table",
        List.of(Param.optional("table", DataTypes.StringType, "every table, in total",
            "'lake.db.docs'")),
        schema("executor_id", DataTypes.StringType,
            "host", DataTypes.StringType,
            "answered", DataTypes.BooleanType,
            "table", DataTypes.StringType,
            "kind", DataTypes.StringType,
            "budget_bytes", DataTypes.LongType,
            "bytes", DataTypes.LongType,
            "peak_bytes", DataTypes.LongType,
            "entries", DataTypes.LongType,
            "hits", DataTypes.LongType,
            "misses", DataTypes.LongType,
            "shared_hits", DataTypes.LongType,
            "hit_rate", DataTypes.DoubleType,
            "loads", DataTypes.LongType,
            "load_failures", DataTypes.LongType,
            "load_millis_total", DataTypes.DoubleType,
            "evictions", DataTypes.LongType,
            "invalidations", DataTypes.LongType,
            "bypasses", DataTypes.LongType));
  }

  @Override
  List<InternalRow> run(SparkSession spark, Args args) {
    String table = args.string("table") == null ? null
        : icebergTable(spark, args, "table").name();
    List<InternalRow> rows = new ArrayList<>();
    for (ExecutorCaches.JvmCache jvm : ExecutorCaches.collect(spark)) {
      if (!jvm.answered()) {
        rows.add(row(jvm.executorId(), jvm.host(), false, table, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null));
      } else if (table == null) {
        rows.add(countersRow(jvm, null, null, jvm.stats()));
      } else {
        for (Map.Entry<String, CacheStats> kind : jvm.of(table).entrySet()) {
          rows.add(countersRow(jvm, table, kind.getKey(), kind.getValue()));
        }
      }
    }
    return rows;
  }

  private static InternalRow countersRow(ExecutorCaches.JvmCache jvm, String table, String kind,
      CacheStats s) {
    return row(jvm.executorId(), jvm.host(), true, table, kind, s.budgetBytes(), s.bytes(),
        s.peakBytes(), s.entries(), s.hits(), s.misses(), s.sharedHits(), s.hitRate(), s.loads(),
        s.loadFailures(), s.loadMillisTotal(), s.evictions(), s.invalidations(), s.bypasses());
  }
}
