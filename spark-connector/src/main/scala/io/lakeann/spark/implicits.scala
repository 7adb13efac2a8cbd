package io.lakeann.spark

import io.lakeann.core.{IndexConfig, Metric}
import io.lakeann.iceberg.{BuildResult, Consistency, SearchParams, ShardPlanner, SnapshotRef}
import org.apache.spark.sql.{DataFrame, SparkSession}
import scala.concurrent.duration.FiniteDuration
import scala.jdk.DurationConverters._
import scala.language.implicitConversions

/**
 * Scala syntax for lakeann: named and default arguments over the Java builders [[LakeAnn]],
 * [[BuildJob]] and [[AnnJoin]]. Every method only forwards; the Java classes validate (with
 * their typed errors) and do all the work, and every default is read from them.
 *
 * {{{
 * import io.lakeann.spark.implicits._
 * spark.lakeann.build("lake.db.docs", column = "embedding", id = "doc_id", metric = Metric.COSINE)
 * val top10 = queries.annJoin("qvec").against("lake.db.docs", "embedding").k(10).run()
 * val old = queries.annJoin("qvec", table = "lake.db.docs", column = "embedding", k = 10,
 *   consistency = "frozen:123")
 * }}}
 */
object implicits {

  /**
   * A consistency as a [[Consistency]], as text [[Consistency.parse]] accepts ("fresh",
   * "eventual:SECONDS", "frozen:SNAPSHOT_ID", "frozen:tag:NAME", "frozen:branch:NAME"), or as a
   * `FiniteDuration` (eventual with that ttl). Text is parsed where it is given, so a bad one
   * fails there with an `InvalidRequestException` naming it.
   */
  final class ConsistencyArg private (val value: Consistency)

  object ConsistencyArg {
    implicit def of(value: Consistency): ConsistencyArg = new ConsistencyArg(value)

    implicit def parse(text: String): ConsistencyArg = of(Consistency.parse(text))

    implicit def eventual(ttl: FiniteDuration): ConsistencyArg =
      of(Consistency.eventual(ttl.toJava))
  }

  /** `spark.lakeann`: builds of Iceberg tables' indexes. */
  implicit final class LakeAnnSession(private val spark: SparkSession) extends AnyVal {
    def lakeann: LakeAnnSessionOps = new LakeAnnSessionOps(spark)
  }

  final class LakeAnnSessionOps private[implicits] (spark: SparkSession) {

    /** The Java builder of `table`'s build: name the columns, then `run()`. */
    def build(table: String): BuildJob = LakeAnn.build(spark, table)

    /**
     * Builds and publishes the index of `table`'s vector `column` with ids from `id`; a no-op
     * when the snapshot's bundle is already registered. `config` holds every other index knob;
     * `metric` is applied on top of it.
     */
    def build(
        table: String,
        column: String,
        id: String,
        metric: Metric = IndexConfig.defaults().metric(),
        config: Option[IndexConfig] = None,
        targetRowsPerShard: Long = ShardPlanner.DEFAULT_TARGET_ROWS,
        snapshot: SnapshotRef = SnapshotRef.current()): BuildResult = {
      val job = build(table).column(column).id(id)
      config.fold(job)(job.config).metric(metric).targetRowsPerShard(targetRowsPerShard)
        .snapshot(snapshot).run()
    }
  }

  /** `queries.annJoin(...)` on a DataFrame of query vectors. */
  implicit final class LakeAnnFrame(private val queries: DataFrame) extends AnyVal {

    /** The Java builder of an ANN join of `queryColumn`: `against(...)`, knobs, `run()`. */
    def annJoin(queryColumn: String): AnnJoin = LakeAnn.annJoin(queries, queryColumn)

    /**
     * Runs the ANN join of `queryColumn` against `table`'s indexed `column` and returns the query
     * columns with `neighbor_id`, `distance`, `rank` and `snapshot_id` (see [[AnnJoin]]). An
     * absent `recall`, `epsilon` or `filter` leaves the Java default (recall target 0.95). For
     * [[JoinStats]], use the builder form: its `run()` returns a [[JoinResult]] with `stats()`.
     */
    def annJoin(
        queryColumn: String,
        table: String,
        column: String,
        k: Int = SearchParams.DEFAULT_K,
        recall: Option[Double] = None,
        nprobe: Int = SearchParams.defaults().nprobe(),
        epsilon: Option[Float] = None,
        consistency: ConsistencyArg = Consistency.fresh(),
        filter: Option[String] = None,
        blockSize: Int = AnnJoin.DEFAULT_BLOCK): DataFrame = {
      val join = annJoin(queryColumn).against(table, column).k(k).nprobe(nprobe)
        .consistency(consistency.value).blockSize(blockSize)
      val targeted = recall.fold(join)(r => join.recall(r))
      val tuned = epsilon.fold(targeted)(e => targeted.epsilon(e))
      filter.fold(tuned)(tuned.filter).run().rows()
    }
  }

  /** Scala types on the Java [[AnnJoin]] builder. */
  implicit final class LakeAnnJoinSyntax(private val join: AnnJoin) extends AnyVal {

    /** `consistency("frozen:123")`: the text forms of [[ConsistencyArg]]. */
    def consistency(text: String): AnnJoin = join.consistency(ConsistencyArg.parse(text).value)

    /** `consistency(30.seconds)`: eventual with that ttl, as in [[ConsistencyArg]]. */
    def consistency(ttl: FiniteDuration): AnnJoin =
      join.consistency(ConsistencyArg.eventual(ttl).value)
  }
}
