package io.lakeann.sql

import io.lakeann.core.IndexConfig
import io.lakeann.spark.IndexOptions
import org.apache.spark.sql.SparkSessionExtensions
import org.apache.spark.sql.catalyst.FunctionIdentifier
import org.apache.spark.sql.catalyst.analysis.FunctionRegistry
import org.apache.spark.sql.catalyst.expressions.{Cast, Expression, ExpressionInfo, Literal}
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan
import org.apache.spark.sql.types.{FloatType, NumericType}

import scala.jdk.CollectionConverters._

/**
 * lakeann's SQL functions for a session: `spark.sql.extensions=
 * io.lakeann.sql.LakeAnnSparkSessionExtensions` (after Iceberg's extensions in the same list, if
 * any). Injects the table functions `ann_search` and `ann_join`; the vector functions of Spark
 * 4.2 (`vector_l2_distance`, `vector_cosine_similarity`, `vector_inner_product`, `vector_norm`,
 * `vector_normalize`, `vector_avg`, `vector_sum`), each only where Spark has no built-in of
 * that name, plus `vector_dims` and `vector_l2_squared`; and the per-partition index functions
 * `lakeann_index`, `lakeann_search` and `lakeann_top_k`. See docs/sql.md.
 */
class LakeAnnSparkSessionExtensions extends (SparkSessionExtensions => Unit) {
  import LakeAnnSparkSessionExtensions._

  override def apply(ext: SparkSessionExtensions): Unit = {
    for ((name, usage, builder) <- Functions
         if !FunctionRegistry.builtin.functionExists(FunctionIdentifier(name))) {
      ext.injectFunction((FunctionIdentifier(name), info(name, usage), builder))
    }
    ext.injectTableFunction((FunctionIdentifier("ann_search"), info("ann_search",
      "ann_search(table => , column => , query => , k => , filter => , consistency => , " +
        "recall => , nprobe => ) - the k rows of an indexed table nearest to one query vector"),
      (args: Seq[Expression]) => TableFunctions.annSearch(args): LogicalPlan))
    ext.injectTableFunction((FunctionIdentifier("ann_join"), info("ann_join",
      "ann_join(queries => TABLE(...), query_column => , table => , column => , k => , " +
        "filter => , consistency => , recall => , nprobe => ) - each query row with its k " +
        "nearest rows"),
      (args: Seq[Expression]) => TableFunctions.annJoin(args): LogicalPlan))
  }
}

object LakeAnnSparkSessionExtensions {
  private type Builder = Seq[Expression] => Expression

  private def info(name: String, usage: String): ExpressionInfo =
    new ExpressionInfo(classOf[LakeAnnSparkSessionExtensions].getName, null, name, usage, "")

  /** Every scalar and aggregate function: its name, usage, and builder from positional args. */
  private val Functions: Seq[(String, String, Builder)] = Seq(
    ("vector_l2_distance", "vector_l2_distance(a, b) - the Euclidean distance (FLOAT)",
      pair("vector_l2_distance", VectorL2Distance)),
    ("vector_l2_squared", "vector_l2_squared(a, b) - the squared Euclidean distance (FLOAT)",
      pair("vector_l2_squared", VectorL2Squared)),
    ("vector_inner_product", "vector_inner_product(a, b) - the dot product (FLOAT)",
      pair("vector_inner_product", VectorInnerProduct)),
    ("vector_cosine_similarity", "vector_cosine_similarity(a, b) - the cosine similarity " +
      "(FLOAT; NULL for an empty or zero vector)",
      pair("vector_cosine_similarity", VectorCosineSimilarity)),
    ("vector_norm", "vector_norm(v [, degree]) - the L1, L2 (default) or infinity norm (FLOAT)",
      degree("vector_norm", VectorNorm)),
    ("vector_normalize", "vector_normalize(v [, degree]) - v divided by its norm " +
      "(ARRAY<FLOAT>; NULL for a zero vector)", degree("vector_normalize", VectorNormalize)),
    ("vector_dims", "vector_dims(v) - the number of elements (INT)",
      arity("vector_dims", "v", 1) { case Seq(v) => VectorDims(v) }),
    ("vector_sum", "vector_sum(v) - the element-wise sum of a group's vectors (ARRAY<FLOAT>)",
      arity("vector_sum", "v", 1) { case Seq(v) => VectorAggregate(v, average = false) }),
    ("vector_avg", "vector_avg(v) - the element-wise mean of a group's vectors (ARRAY<FLOAT>)",
      arity("vector_avg", "v", 1) { case Seq(v) => VectorAggregate(v, average = true) }),
    ("lakeann_index", "lakeann_index(id, vector [, options]) - one lakeann index of a " +
      "group's rows (BINARY)", arity("lakeann_index", "id, vector [, options]", 2, 3) {
      case Seq(id, v) => LakeAnnIndex(id, v, IndexConfig.defaults())
      case Seq(id, v, options) => LakeAnnIndex(id, v, indexConfig(options))
    }),
    ("lakeann_search", "lakeann_search(index, query, k [, nprobe]) - the k nearest rows of a " +
      "lakeann_index (ARRAY<STRUCT<id, distance>>)",
      arity("lakeann_search", "index, query, k [, nprobe]", 3, 4) {
        case Seq(index, q, k) => LakeAnnSearch(index, q, positive("lakeann_search", "k", k), 0)
        case Seq(index, q, k, nprobe) => LakeAnnSearch(index, q,
          positive("lakeann_search", "k", k), positive("lakeann_search", "nprobe", nprobe))
      }),
    ("lakeann_top_k", "lakeann_top_k(neighbors, k) - the k nearest of a group's neighbour " +
      "lists (ARRAY<STRUCT<id, distance>>)", arity("lakeann_top_k", "neighbors, k", 2) {
      case Seq(n, k) => LakeAnnTopK(n, positive("lakeann_top_k", "k", k))
    }))

  private def arity(name: String, signature: String, counts: Int*)(
      build: PartialFunction[Seq[Expression], Expression]): Builder = args => {
    if (!counts.contains(args.size)) {
      throw Args.error(s"$name takes ${counts.mkString(" or ")} arguments ($signature); got " +
        s"${args.size}")
    }
    build(args)
  }

  private def pair(name: String, make: (Expression, Expression) => Expression): Builder =
    arity(name, "a, b", 2) { case Seq(a, b) => make(a, b) }

  private def degree(name: String, make: (Expression, Expression) => Expression): Builder =
    arity(name, "v [, degree]", 1, 2) {
      case Seq(v) => make(v, Literal(2.0f))
      case Seq(v, d) => make(v, d.dataType match {
        case _: NumericType if d.dataType != FloatType => Cast(d, FloatType)
        case _ => d
      })
    }

  /** A constant integer argument of a scalar function, k > 0 (nprobe: >= 0, 0 = default). */
  private def positive(function: String, name: String, e: Expression): Int = {
    val args = Args.bind(function, Seq(Param(name, required = true, "")), Seq(e))
    val v = args.int(name).get
    val min = if (name == "nprobe") 0 else 1
    if (v < min) {
      throw Args.error(s"$function: argument '$name' => $v must be >= $min" +
        (if (name == "k") "; ask for at least one neighbour" else " (0: the index's default)"))
    }
    v
  }

  /** The options string of `lakeann_index`, e.g. 'metric=cosine,exbits=4', parsed once. */
  private def indexConfig(options: Expression): IndexConfig = {
    val text = Args.bind("lakeann_index", Seq(Param("options", required = true, "")),
      Seq(options)).string("options").get
    val values = text.split(",").map(_.trim).filter(_.nonEmpty).map { pair =>
      val at = pair.indexOf('=')
      val key = (if (at < 0) pair else pair.substring(0, at)).trim
      if (at < 0 || !IndexOptions.isKnob(key)) {
        throw Args.error(s"lakeann_index: argument 'options' => '$text': unknown option " +
          s"'$pair'; write name=value pairs separated by commas, the names being " +
          IndexOptions.NAMES.asScala.mkString(", "))
      }
      key.toLowerCase(java.util.Locale.ROOT) -> pair.substring(at + 1).trim
    }.toMap
    try IndexOptions.config(k => values.getOrElse(k, null), s"lakeann_index options '$text'")
    catch {
      case e: io.lakeann.core.LakeAnnException => throw Args.error(
        s"lakeann_index: argument 'options' => '$text': ${e.getMessage}", e)
    }
  }
}
