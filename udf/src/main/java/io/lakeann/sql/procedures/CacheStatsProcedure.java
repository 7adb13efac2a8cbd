package io.lakeann.sql.procedures;

import io.lakeann.core.cache.CacheStats;
import io.lakeann.spark.ExecutorCaches;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;

/**
 * {@code cache_stats()}: the shard cache counters of this driver and of every executor, each
 * executor asked by one task that prefers it ({@link ExecutorCaches}). A row per JVM;
 * {@code answered} is false (counters NULL) for an executor whose task ran elsewhere.
 */
final class CacheStatsProcedure extends LakeAnnProcedure {
  static final String NAME = "cache_stats";

  CacheStatsProcedure() {
    super(NAME, "Shard cache counters of the driver and of every executor", List.of(),
        schema("executor_id", DataTypes.StringType,
            "host", DataTypes.StringType,
            "answered", DataTypes.BooleanType,
            "budget_bytes", DataTypes.LongType,
            "bytes", DataTypes.LongType,
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
    List<InternalRow> rows = new ArrayList<>();
    for (ExecutorCaches.JvmCache jvm : ExecutorCaches.collect(spark)) {
      CacheStats s = jvm.stats();
      rows.add(s == null
          ? row(jvm.executorId(), jvm.host(), false, null, null, null, null, null, null, null,
              null, null, null, null, null, null)
          : row(jvm.executorId(), jvm.host(), true, s.budgetBytes(), s.bytes(), s.entries(),
              s.hits(), s.misses(), s.sharedHits(), s.hitRate(), s.loads(), s.loadFailures(),
              s.loadMillisTotal(), s.evictions(), s.invalidations(), s.bypasses()));
    }
    return rows;
  }
}
