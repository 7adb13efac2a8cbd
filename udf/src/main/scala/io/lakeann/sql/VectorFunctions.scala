package io.lakeann.sql

import org.apache.spark.sql.catalyst.InternalRow
import org.apache.spark.sql.catalyst.analysis.TypeCheckResult
import org.apache.spark.sql.catalyst.analysis.TypeCheckResult.{DataTypeMismatch, TypeCheckSuccess}
import org.apache.spark.sql.catalyst.expressions.{BinaryExpression, Expression, Literal, UnaryExpression}
import org.apache.spark.sql.catalyst.expressions.aggregate.TypedImperativeAggregate
import org.apache.spark.sql.catalyst.expressions.codegen.CodegenFallback
import org.apache.spark.sql.catalyst.trees.UnaryLike
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData
import org.apache.spark.sql.catalyst.util.ArrayData
import org.apache.spark.sql.types.{ArrayType, DataType, DoubleType, FloatType, IntegerType}

/**
 * Reads vector arguments (array<float> or array<double>) as flat float arrays without boxing,
 * and checks their types with the error Spark's own functions give.
 */
private[sql] object VectorArgs {

  def isVector(dataType: DataType): Boolean = dataType match {
    case ArrayType(FloatType | DoubleType, _) => true
    case _ => false
  }

  /** Spark's UNEXPECTED_INPUT_TYPE for the first argument that is not a vector. */
  def check(function: Expression, vectors: Seq[Expression]): TypeCheckResult =
    vectors.zipWithIndex.find { case (e, _) => !isVector(e.dataType) } match {
      case Some((e, i)) => DataTypeMismatch(
        errorSubClass = "UNEXPECTED_INPUT_TYPE",
        messageParameters = Map(
          "paramIndex" -> ordinal(i),
          "requiredType" -> "(\"ARRAY<FLOAT>\" or \"ARRAY<DOUBLE>\")",
          "inputSql" -> s"\"${e.sql}\"",
          "inputType" -> s"\"${e.dataType.sql}\""))
      case None => TypeCheckSuccess
    }

  private def ordinal(i: Int): String = i match {
    case 0 => "first"
    case 1 => "second"
    case 2 => "third"
    case n => s"${n + 1}th"
  }

  /** The floats of `array` (of type `dataType`), or null when one of its elements is null. */
  def floats(array: ArrayData, dataType: DataType): Array[Float] = {
    val ArrayType(element, containsNull) = dataType: @unchecked
    val n = array.numElements()
    if (containsNull) {
      var i = 0
      while (i < n) {
        if (array.isNullAt(i)) {
          return null
        }
        i += 1
      }
    }
    if (element == FloatType) {
      array.toFloatArray()
    } else {
      val doubles = array.toDoubleArray()
      val out = new Array[Float](n)
      var i = 0
      while (i < n) {
        out(i) = doubles(i).toFloat
        i += 1
      }
      out
    }
  }

  def array(values: Array[Float]): ArrayData = UnsafeArrayData.fromPrimitiveArray(values)
}

/** A function of two vectors; NULL when either is NULL or holds a NULL element. */
abstract class VectorPairFunction extends BinaryExpression with CodegenFallback {
  override def nullable: Boolean = true
  override def checkInputDataTypes(): TypeCheckResult = VectorArgs.check(this, children)

  override protected def nullSafeEval(l: Any, r: Any): Any = {
    val a = VectorArgs.floats(l.asInstanceOf[ArrayData], left.dataType)
    val b = VectorArgs.floats(r.asInstanceOf[ArrayData], right.dataType)
    if (a == null || b == null) null else compute(a, b)
  }

  protected def compute(a: Array[Float], b: Array[Float]): Any
}

case class VectorL2Distance(left: Expression, right: Expression) extends VectorPairFunction {
  override def prettyName: String = "vector_l2_distance"
  override def dataType: DataType = FloatType
  override protected def compute(a: Array[Float], b: Array[Float]): Any =
    VectorMath.DEFAULT.l2Distance(prettyName, a, b)
  override protected def withNewChildrenInternal(l: Expression, r: Expression): Expression =
    copy(left = l, right = r)
}

case class VectorL2Squared(left: Expression, right: Expression) extends VectorPairFunction {
  override def prettyName: String = "vector_l2_squared"
  override def dataType: DataType = FloatType
  override protected def compute(a: Array[Float], b: Array[Float]): Any =
    VectorMath.DEFAULT.l2Squared(prettyName, a, b)
  override protected def withNewChildrenInternal(l: Expression, r: Expression): Expression =
    copy(left = l, right = r)
}

case class VectorInnerProduct(left: Expression, right: Expression) extends VectorPairFunction {
  override def prettyName: String = "vector_inner_product"
  override def dataType: DataType = FloatType
  override protected def compute(a: Array[Float], b: Array[Float]): Any =
    VectorMath.DEFAULT.innerProduct(prettyName, a, b)
  override protected def withNewChildrenInternal(l: Expression, r: Expression): Expression =
    copy(left = l, right = r)
}

case class VectorCosineSimilarity(left: Expression, right: Expression)
    extends VectorPairFunction {
  override def prettyName: String = "vector_cosine_similarity"
  override def dataType: DataType = FloatType
  override protected def compute(a: Array[Float], b: Array[Float]): Any =
    VectorMath.DEFAULT.cosineSimilarity(prettyName, a, b)
  override protected def withNewChildrenInternal(l: Expression, r: Expression): Expression =
    copy(left = l, right = r)
}

/** A function of a vector and a norm degree (1, 2 or infinity; a float). */
abstract class VectorDegreeFunction extends BinaryExpression with CodegenFallback {
  override def nullable: Boolean = true

  override def checkInputDataTypes(): TypeCheckResult = {
    val vector = VectorArgs.check(this, Seq(left))
    if (vector.isFailure) {
      vector
    } else if (right.dataType != FloatType) {
      DataTypeMismatch(
        errorSubClass = "UNEXPECTED_INPUT_TYPE",
        messageParameters = Map(
          "paramIndex" -> "second",
          "requiredType" -> "\"FLOAT\"",
          "inputSql" -> s"\"${right.sql}\"",
          "inputType" -> s"\"${right.dataType.sql}\""))
    } else {
      if (right.foldable && right.eval() != null) {
        try VectorMath.checkDegree(prettyName, right.eval().asInstanceOf[Float]) catch {
          case e: io.lakeann.core.InvalidRequestException => throw Args.error(e.getMessage, e)
        }
      }
      TypeCheckSuccess
    }
  }

  override protected def nullSafeEval(v: Any, degree: Any): Any = {
    val a = VectorArgs.floats(v.asInstanceOf[ArrayData], left.dataType)
    if (a == null) null else compute(a, degree.asInstanceOf[Float])
  }

  protected def compute(v: Array[Float], degree: Float): Any
}

case class VectorNorm(left: Expression, right: Expression) extends VectorDegreeFunction {
  def this(vector: Expression) = this(vector, Literal(2.0f))
  override def prettyName: String = "vector_norm"
  override def dataType: DataType = FloatType
  override protected def compute(v: Array[Float], degree: Float): Any =
    VectorMath.DEFAULT.norm(prettyName, v, degree).toFloat
  override protected def withNewChildrenInternal(l: Expression, r: Expression): Expression =
    copy(left = l, right = r)
}

case class VectorNormalize(left: Expression, right: Expression) extends VectorDegreeFunction {
  def this(vector: Expression) = this(vector, Literal(2.0f))
  override def prettyName: String = "vector_normalize"
  override def dataType: DataType = ArrayType(FloatType, containsNull = false)
  override protected def compute(v: Array[Float], degree: Float): Any = {
    val out = VectorMath.DEFAULT.normalize(prettyName, v, degree)
    if (out == null) null else VectorArgs.array(out)
  }
  override protected def withNewChildrenInternal(l: Expression, r: Expression): Expression =
    copy(left = l, right = r)
}

/** `vector_dims(v)`: the number of elements of a vector. */
case class VectorDims(child: Expression) extends UnaryExpression with CodegenFallback {
  override def prettyName: String = "vector_dims"
  override def dataType: DataType = IntegerType
  override def checkInputDataTypes(): TypeCheckResult = VectorArgs.check(this, children)
  override protected def nullSafeEval(v: Any): Any = v.asInstanceOf[ArrayData].numElements()
  override protected def withNewChildInternal(c: Expression): Expression = copy(child = c)
}

/**
 * `vector_sum(v)` and `vector_avg(v)`: the element-wise sum or mean of a group's vectors, summed
 * in double. NULL vectors and vectors with a NULL element are skipped; a group without any
 * vector gives NULL; vectors of different dimensions are refused.
 */
case class VectorAggregate(
    child: Expression,
    average: Boolean,
    mutableAggBufferOffset: Int = 0,
    inputAggBufferOffset: Int = 0)
  extends TypedImperativeAggregate[VectorAccumulator] with UnaryLike[Expression] {

  override def prettyName: String = if (average) "vector_avg" else "vector_sum"
  override def dataType: DataType = ArrayType(FloatType, containsNull = false)
  override def nullable: Boolean = true
  override def checkInputDataTypes(): TypeCheckResult = VectorArgs.check(this, children)

  override def createAggregationBuffer(): VectorAccumulator = new VectorAccumulator()

  override def update(buffer: VectorAccumulator, input: InternalRow): VectorAccumulator = {
    val value = child.eval(input)
    if (value != null) {
      val v = VectorArgs.floats(value.asInstanceOf[ArrayData], child.dataType)
      if (v != null) {
        buffer.add(prettyName, v)
      }
    }
    buffer
  }

  override def merge(buffer: VectorAccumulator, other: VectorAccumulator): VectorAccumulator = {
    buffer.merge(prettyName, other)
    buffer
  }

  override def eval(buffer: VectorAccumulator): Any = {
    val out = buffer.result(average)
    if (out == null) null else VectorArgs.array(out)
  }

  override def serialize(buffer: VectorAccumulator): Array[Byte] = buffer.serialize()
  override def deserialize(bytes: Array[Byte]): VectorAccumulator =
    VectorAccumulator.deserialize(bytes)

  override def withNewMutableAggBufferOffset(offset: Int): VectorAggregate =
    copy(mutableAggBufferOffset = offset)
  override def withNewInputAggBufferOffset(offset: Int): VectorAggregate =
    copy(inputAggBufferOffset = offset)
  override protected def withNewChildInternal(c: Expression): Expression = copy(child = c)
}
