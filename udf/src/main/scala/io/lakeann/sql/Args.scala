package io.lakeann.sql

import io.lakeann.core.LakeAnnException
import org.apache.spark.sql.AnalysisException
import org.apache.spark.sql.catalyst.expressions.{Expression, NamedArgumentExpression}
import org.apache.spark.sql.types.{ByteType, Decimal, IntegerType, LongType, NumericType, ShortType, StringType}

/** One argument of a SQL function: its name, whether it must be given, and what it is. */
private[sql] final case class Param(name: String, required: Boolean, doc: String)

/**
 * The arguments of one call of a lakeann SQL function, bound to its parameters by position and
 * then by name (`k => 10`), with errors that name the function, the argument, the bad value and
 * the fix. Immutable.
 */
private[sql] final class Args private (
    val function: String, params: Seq[Param], bound: Map[String, Expression]) {

  def get(name: String): Option[Expression] = bound.get(name)

  def required(name: String): Expression = bound.getOrElse(name, {
    val p = params.find(_.name == name).get
    throw Args.error(s"$function: missing required argument '$name' (${p.doc}); call it as " +
      s"$function(${params.filter(_.required).map(q => s"${q.name} => ...").mkString(", ")})")
  })

  /** A constant string argument. */
  def string(name: String): Option[String] = get(name).map { e =>
    if (e.dataType != StringType || !e.foldable || e.eval() == null) {
      throw wrongType(name, e, "a constant string, e.g. 'lake.db.docs'")
    }
    e.eval().toString
  }

  def requiredString(name: String): String = { required(name); string(name).get }

  /** A constant integer argument. */
  def int(name: String): Option[Int] = get(name).map { e =>
    val integral = Seq(IntegerType, LongType, ShortType, ByteType).contains(e.dataType)
    if (!integral || !e.foldable || e.eval() == null) {
      throw wrongType(name, e, "a constant integer, e.g. 10")
    }
    val v = e.eval().asInstanceOf[Number].longValue()
    if (v != v.toInt) {
      throw Args.error(s"$function: argument '$name' => $v is out of range; give an integer " +
        s"below ${Int.MaxValue}")
    }
    v.toInt
  }

  /** A constant number argument (integer, decimal or floating point). */
  def double(name: String): Option[Double] = get(name).map { e =>
    if (!e.dataType.isInstanceOf[NumericType] || !e.foldable || e.eval() == null) {
      throw wrongType(name, e, "a constant number, e.g. 0.95")
    }
    e.eval() match {
      case d: Decimal => d.toDouble
      case n: Number => n.doubleValue()
    }
  }

  def wrongType(name: String, e: Expression, wanted: String): AnalysisException =
    Args.error(s"$function: argument '$name' must be $wanted; got ${e.sql} of type " +
      s"${e.dataType.sql}")

  /** Runs `body`, turning lakeann's refusal of argument `name`'s value into an analysis error. */
  def checked[T](name: String)(body: => T): T =
    try body catch {
      case e: LakeAnnException => throw Args.error(
        s"$function: argument '$name' => ${get(name).map(_.sql).getOrElse("")}: ${e.getMessage}",
        e)
    }
}

private[sql] object Args {
  def error(message: String, cause: Throwable = null): AnalysisException =
    SqlErrors.analysis(message, cause)

  def bind(function: String, params: Seq[Param], args: Seq[Expression]): Args = {
    val names = params.map(_.name).mkString(", ")
    var bound = Map.empty[String, Expression]
    var named = false
    args.zipWithIndex.foreach {
      case (NamedArgumentExpression(key, value), _) =>
        val name = key.toLowerCase(java.util.Locale.ROOT)
        if (!params.exists(_.name == name)) {
          throw error(s"$function: unknown argument '$key'; its arguments are: $names")
        }
        if (bound.contains(name)) {
          throw error(s"$function: argument '$name' is given twice; give it once")
        }
        bound += name -> value
        named = true
      case (value, i) =>
        if (named) {
          throw error(s"$function: positional argument ${i + 1} (${value.sql}) follows named " +
            s"arguments; name it, e.g. ${params.lift(i).map(_.name).getOrElse("k")} => ...")
        }
        if (i >= params.size) {
          throw error(s"$function takes at most ${params.size} arguments ($names); got " +
            s"${args.size}")
        }
        bound += params(i).name -> value
    }
    val out = new Args(function, params, bound)
    params.filter(_.required).foreach(p => out.required(p.name))
    out
  }
}
