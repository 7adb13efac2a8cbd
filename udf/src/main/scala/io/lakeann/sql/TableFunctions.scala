package io.lakeann.sql

import io.lakeann.core.LakeAnnException
import io.lakeann.iceberg.{Consistency, NoIndexException}
import io.lakeann.spark.{AnnJoin, JoinResult, LakeAnn}
import org.apache.spark.sql.{AnalysisException, DataFrame}
import org.apache.spark.sql.catalyst.expressions.{Alias, Cast, Expression, FunctionTableSubqueryArgumentExpression, OuterReference}
import org.apache.spark.sql.catalyst.plans.logical.{LogicalPlan, OneRowRelation, Project}
import org.apache.spark.sql.functions.{broadcast, col, lit}
import org.apache.spark.sql.types.{ArrayType, FloatType, IntegerType, StructType}

import scala.jdk.CollectionConverters._

/**
 * The search table functions: thin adapters that turn their arguments into the Java API's
 * [[AnnJoin]] (so they share its planner, cache, consistency modes and filters, and are never
 * stale) and join the neighbours back to the base table's rows of the snapshot searched. The
 * search runs when the statement is analysed; its answer is the plan returned.
 */
private[sql] object TableFunctions {
  /** A search option of the Java API and its SQL argument: adding one is one line here. */
  private final case class SearchOption(param: Param, apply: (AnnJoin, Args) => AnnJoin)

  private val Options = Seq(
    SearchOption(Param("k", required = false, "neighbours per query, default 10"),
      (j, a) => a.int("k").fold(j)(v => a.checked("k")(j.k(v)))),
    SearchOption(Param("filter", required = false, "a SQL predicate on the table's columns"),
      (j, a) => a.string("filter").fold(j)(j.filter)),
    SearchOption(Param("consistency", required = false,
      "fresh (default), eventual:SECONDS or frozen:SNAPSHOT (an id, tag:NAME or branch:NAME)"),
      (j, a) => a.string("consistency").fold(j)(c =>
        j.consistency(a.checked("consistency")(Consistency.parse(c))))),
    SearchOption(Param("recall", required = false, "the recall@k to reach, in (0, 1], default " +
      "0.95; each shard's calibration sets the effort"),
      (j, a) => a.double("recall").fold(j)(v => a.checked("recall")(j.recall(v)))),
    SearchOption(Param("nprobe", required = false, "IVF lists probed per shard, overriding " +
      "recall (expert)"),
      (j, a) => a.int("nprobe").fold(j)(v => a.checked("nprobe")(j.nprobe(v)))))

  private val Target = Seq(
    Param("table", required = true, "the indexed Iceberg table, e.g. 'lake.db.docs'"),
    Param("column", required = true, "its indexed vector column, e.g. 'embedding'"))

  val SearchParams: Seq[Param] = Target ++ Seq(Param("query", required = true,
    "the query vector: an ARRAY<FLOAT> or ARRAY<DOUBLE> expression of constants or a scalar " +
      "subquery")) ++ Options.map(_.param)

  val JoinParams: Seq[Param] = Seq(
    Param("queries", required = true, "the query rows: TABLE(name), TABLE(SELECT ...) or a " +
      "table name such as 'lake.db.questions'"),
    Param("query_column", required = true, "the queries' vector column, e.g. 'qvec'")) ++
    Target ++ Options.map(_.param)

  private val QueryVector = "__lakeann_query"
  private val HitId = "__lakeann_hit_id"

  /** `ann_search(table, column, query, k, filter, consistency, recall, nprobe)`. */
  def annSearch(arguments: Seq[Expression]): LogicalPlan = guarded("ann_search") {
    val args = Args.bind("ann_search", SearchParams, arguments)
    val query = args.required("query")
    if (!VectorArgs.isVector(query.dataType)) {
      throw args.wrongType("query", query, "a vector (ARRAY<FLOAT> or ARRAY<DOUBLE>)")
    }
    if (query.references.nonEmpty || query.exists(_.isInstanceOf[OuterReference])) {
      throw Args.error(s"ann_search: argument 'query' => ${query.sql} refers to columns; it " +
        "must be one vector (constants or a scalar subquery). For a query vector per row use " +
        "ann_join(queries => TABLE(...), query_column => ..., table => ..., column => ...)")
    }
    val queries = Plans.dataFrame(Project(
      Seq(Alias(Cast(query, ArrayType(FloatType)), QueryVector)()), OneRowRelation()))
    val (join, table) = configure(args, queries, QueryVector)
    val result = run(args, join)
    val hits = result.rows()
    val neighbours = try hits.select(col("neighbor_id").as(HitId),
      col("distance").as("_distance"), col("rank").as("_rank")).collect()
    finally result.unpersist()
    val stats = result.stats()
    val spark = Plans.session()
    val local = spark.createDataFrame(neighbours.toList.asJava, new StructType()
      .add(HitId, hits.schema("neighbor_id").dataType, nullable = false)
      .add("_distance", FloatType, nullable = false)
      .add("_rank", IntegerType, nullable = false))
    val base = spark.read.option("versionAsOf", stats.snapshotId()).table(table)
    val id = IndexedColumns.idColumn(spark, table, args.requiredString("column"),
      stats.bundleSnapshotId())
    base.join(broadcast(local), base.col(id) === local.col(HitId)).drop(HitId)
      .withColumn("_snapshot_id", lit(stats.snapshotId()))
      .orderBy("_rank").queryExecution.analyzed
  }

  /** `ann_join(queries, query_column, table, column, k, filter, consistency, recall, nprobe)`. */
  def annJoin(arguments: Seq[Expression]): LogicalPlan = guarded("ann_join") {
    val args = Args.bind("ann_join", JoinParams, arguments)
    val spark = Plans.session()
    val queries: DataFrame = args.required("queries") match {
      case t: FunctionTableSubqueryArgumentExpression => Plans.dataFrame(t.plan)
      case e if e.dataType == org.apache.spark.sql.types.StringType =>
        spark.table(args.requiredString("queries"))
      case e => throw args.wrongType("queries", e,
        "a relation, TABLE(name) or TABLE(SELECT ...), or a constant table name")
    }
    val queryColumn = args.requiredString("query_column")
    val (join, table) = configure(args, queries, queryColumn)
    val result = run(args, join)
    RecentJoins.keep(result)
    val found = result.rows()
    val stats = result.stats()
    val base = spark.read.option("versionAsOf", stats.snapshotId()).table(table)
    val id = IndexedColumns.idColumn(spark, table, args.requiredString("column"),
      stats.bundleSnapshotId())
    val taken = queries.columns.toSet
    val baseColumns = base.columns.map(c =>
      base.col(c).as(if (taken.contains(c)) s"base_$c" else c))
    val renamed = base.select((baseColumns :+ base.col(id).as(HitId)).toIndexedSeq: _*)
    val hits = found.withColumnRenamed("distance", "_distance").withColumnRenamed("rank", "_rank")
      .withColumnRenamed("snapshot_id", "_snapshot_id")
    val joined = hits.join(renamed, hits.col("neighbor_id") === renamed.col(HitId))
    val out = queries.columns.map(c => hits.col(c)) ++
      renamed.columns.filter(_ != HitId).map(c => renamed.col(c)) ++
      Seq(hits.col("_distance"), hits.col("_rank"), hits.col("_snapshot_id"))
    joined.select(out.toIndexedSeq: _*).queryExecution.analyzed
  }

  private def configure(args: Args, queries: DataFrame, queryColumn: String): (AnnJoin, String) = {
    val table = args.requiredString("table")
    val start = LakeAnn.annJoin(queries, queryColumn).against(table, args.requiredString("column"))
    (Options.foldLeft(start)((j, o) => o.apply(j, args)), table)
  }

  /** Runs the join; refusals found in the job (a query of the wrong dimension) come back typed. */
  private def run(args: Args, join: AnnJoin): JoinResult =
    try join.run() catch {
      case e: NoIndexException => throw Args.error(s"${args.function}: ${e.getMessage}", e)
      case e: Exception if !e.isInstanceOf[LakeAnnException] && lakeAnnCause(e) != null =>
        val cause = lakeAnnCause(e)
        throw Args.error(s"${args.function}: ${cause.getMessage}", cause)
    }

  private def lakeAnnCause(e: Throwable): LakeAnnException = e match {
    case null => null
    case l: LakeAnnException => l
    case other => lakeAnnCause(other.getCause)
  }

  /** lakeann's refusals as analysis errors naming the function. */
  private def guarded(function: String)(body: => LogicalPlan): LogicalPlan =
    try body catch {
      case e: AnalysisException => throw e
      case e: LakeAnnException =>
        throw Args.error(if (e.getMessage.startsWith(function)) e.getMessage
          else s"$function: ${e.getMessage}", e)
    }
}

/**
 * The results of the last few `ann_join` calls stay cached (as the Java join keeps its result
 * until unpersisted) so that reading a statement's result again does not search again; older
 * ones are released. Thread-safe.
 */
private[sql] object RecentJoins {
  private val Capacity = 4
  private val joins = new java.util.ArrayDeque[JoinResult]()

  def keep(join: JoinResult): Unit = synchronized {
    joins.addLast(join)
    while (joins.size() > Capacity) {
      joins.removeFirst().unpersist()
    }
  }
}
