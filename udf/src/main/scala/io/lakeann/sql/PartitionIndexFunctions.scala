package io.lakeann.sql

import io.lakeann.core.{IndexConfig, InvalidRequestException}
import org.apache.spark.sql.catalyst.InternalRow
import org.apache.spark.sql.catalyst.analysis.TypeCheckResult
import org.apache.spark.sql.catalyst.analysis.TypeCheckResult.{DataTypeMismatch, TypeCheckSuccess}
import org.apache.spark.sql.catalyst.expressions.Expression
import org.apache.spark.sql.catalyst.expressions.aggregate.TypedImperativeAggregate
import org.apache.spark.sql.catalyst.expressions.codegen.CodegenFallback
import org.apache.spark.sql.catalyst.trees.{BinaryLike, UnaryLike}
import org.apache.spark.sql.catalyst.util.{ArrayData, GenericArrayData}
import org.apache.spark.sql.types.{ArrayType, BinaryType, DataType, FloatType, IntegerType, LongType, StructField, StructType}

/** The types and checks the per-partition index functions share. */
private[sql] object PartitionIndex {
  /** What `lakeann_search` returns and `lakeann_top_k` merges. */
  val NeighborsType: ArrayType = ArrayType(StructType(Seq(
    StructField("id", LongType, nullable = false),
    StructField("distance", FloatType, nullable = false))), containsNull = false)

  def mismatch(index: Int, required: String, e: Expression): DataTypeMismatch = DataTypeMismatch(
    errorSubClass = "UNEXPECTED_INPUT_TYPE",
    messageParameters = Map(
      "paramIndex" -> Seq("first", "second", "third", "fourth")(index),
      "requiredType" -> required,
      "inputSql" -> s"\"${e.sql}\"",
      "inputType" -> s"\"${e.dataType.sql}\""))

  /** `n` (id, distance) pairs as a value of [[NeighborsType]]. */
  def neighbors(n: Int, id: Int => Long, distance: Int => Float): ArrayData =
    new GenericArrayData(Array.tabulate[Any](n)(r => InternalRow(id(r), distance(r))))
}

/**
 * `lakeann_index(id, vector [, options])`: one verified rbpx index over a group's rows, as a
 * BINARY, built where the group is aggregated (on the executors, a group per task). Ids are
 * BIGINT or INT; rows with a NULL vector are skipped (counted in the index's source identity);
 * the options were parsed into `config` once, when the statement was analysed.
 */
case class LakeAnnIndex(
    left: Expression,
    right: Expression,
    config: IndexConfig,
    mutableAggBufferOffset: Int = 0,
    inputAggBufferOffset: Int = 0)
  extends TypedImperativeAggregate[IndexRows] with BinaryLike[Expression] {

  override def prettyName: String = "lakeann_index"
  override def dataType: DataType = BinaryType
  override def nullable: Boolean = true

  override def checkInputDataTypes(): TypeCheckResult = {
    if (left.dataType != LongType && left.dataType != IntegerType) {
      PartitionIndex.mismatch(0, "(\"BIGINT\" or \"INT\")", left)
    } else if (!VectorArgs.isVector(right.dataType)) {
      PartitionIndex.mismatch(1, "(\"ARRAY<FLOAT>\" or \"ARRAY<DOUBLE>\")", right)
    } else {
      TypeCheckSuccess
    }
  }

  override def createAggregationBuffer(): IndexRows = new IndexRows()

  override def update(buffer: IndexRows, input: InternalRow): IndexRows = {
    val vector = right.eval(input)
    val v = if (vector == null) null
      else VectorArgs.floats(vector.asInstanceOf[ArrayData], right.dataType)
    if (v == null) {
      buffer.skipNull()
    } else {
      val id = left.eval(input)
      if (id == null) {
        throw new InvalidRequestException(s"$prettyName: argument 'id' (${left.sql}) is NULL " +
          "for a row with a vector; give every row an id, or filter such rows out")
      }
      buffer.add(id.asInstanceOf[Number].longValue(), v)
    }
    buffer
  }

  override def merge(buffer: IndexRows, other: IndexRows): IndexRows = {
    buffer.merge(other)
    buffer
  }

  override def eval(buffer: IndexRows): Any = buffer.build(config)
  override def serialize(buffer: IndexRows): Array[Byte] = buffer.serialize()
  override def deserialize(bytes: Array[Byte]): IndexRows = IndexRows.deserialize(bytes)
  override def withNewMutableAggBufferOffset(offset: Int): LakeAnnIndex =
    copy(mutableAggBufferOffset = offset)
  override def withNewInputAggBufferOffset(offset: Int): LakeAnnIndex =
    copy(inputAggBufferOffset = offset)
  override protected def withNewChildrenInternal(l: Expression, r: Expression): Expression =
    copy(left = l, right = r)
}

/**
 * `lakeann_search(index, query, k [, nprobe])`: the k nearest rows of an index `lakeann_index`
 * built, as ARRAY<STRUCT<id: BIGINT, distance: FLOAT>>, nearest first. NULL when the index or the
 * query is NULL (or holds a NULL element). `k` and `nprobe` were checked when the statement was
 * analysed; nprobe 0 is the index's default.
 */
case class LakeAnnSearch(index: Expression, query: Expression, k: Int, nprobe: Int)
  extends Expression with CodegenFallback {

  override def prettyName: String = "lakeann_search"
  override def children: Seq[Expression] = Seq(index, query)
  override def dataType: DataType = PartitionIndex.NeighborsType
  override def nullable: Boolean = true

  override def checkInputDataTypes(): TypeCheckResult = {
    if (index.dataType != BinaryType) {
      PartitionIndex.mismatch(0, "\"BINARY\"", index)
    } else if (!VectorArgs.isVector(query.dataType)) {
      PartitionIndex.mismatch(1, "(\"ARRAY<FLOAT>\" or \"ARRAY<DOUBLE>\")", query)
    } else {
      TypeCheckSuccess
    }
  }

  override def eval(input: InternalRow): Any = {
    val bytes = index.eval(input)
    val q = query.eval(input)
    if (bytes == null || q == null) {
      return null
    }
    val vector = VectorArgs.floats(q.asInstanceOf[ArrayData], query.dataType)
    if (vector == null) null
    else {
      val found = PartitionIndexes.search(bytes.asInstanceOf[Array[Byte]], vector, k, nprobe)
      PartitionIndex.neighbors(found.size(), found.id, found.distance)
    }
  }

  override protected def withNewChildrenInternal(c: IndexedSeq[Expression]): Expression =
    copy(index = c(0), query = c(1))
}

/**
 * `lakeann_top_k(neighbors, k)`: the k nearest of all the neighbour lists of a group (the
 * per-partition lists `lakeann_search` returns for one query), each id once, nearest first.
 */
case class LakeAnnTopK(
    child: Expression,
    k: Int,
    mutableAggBufferOffset: Int = 0,
    inputAggBufferOffset: Int = 0)
  extends TypedImperativeAggregate[TopKList] with UnaryLike[Expression] {

  override def prettyName: String = "lakeann_top_k"
  override def dataType: DataType = PartitionIndex.NeighborsType
  override def nullable: Boolean = false

  override def checkInputDataTypes(): TypeCheckResult = child.dataType match {
    case ArrayType(StructType(Array(StructField(_, LongType, _, _),
        StructField(_, FloatType, _, _))), _) => TypeCheckSuccess
    case _ => PartitionIndex.mismatch(0, "\"ARRAY<STRUCT<id: BIGINT, distance: FLOAT>>\" " +
      "(what lakeann_search returns)", child)
  }

  override def createAggregationBuffer(): TopKList = new TopKList(k)

  override def update(buffer: TopKList, input: InternalRow): TopKList = {
    val value = child.eval(input)
    if (value != null) {
      val list = value.asInstanceOf[ArrayData]
      var i = 0
      while (i < list.numElements()) {
        if (!list.isNullAt(i)) {
          val pair = list.getStruct(i, 2)
          buffer.add(pair.getLong(0), pair.getFloat(1))
        }
        i += 1
      }
    }
    buffer
  }

  override def merge(buffer: TopKList, other: TopKList): TopKList = {
    buffer.merge(other)
    buffer
  }

  override def eval(buffer: TopKList): Any =
    PartitionIndex.neighbors(buffer.size(), buffer.id, buffer.distance)

  override def serialize(buffer: TopKList): Array[Byte] = buffer.serialize()
  override def deserialize(bytes: Array[Byte]): TopKList = TopKList.deserialize(bytes)
  override def withNewMutableAggBufferOffset(offset: Int): LakeAnnTopK =
    copy(mutableAggBufferOffset = offset)
  override def withNewInputAggBufferOffset(offset: Int): LakeAnnTopK =
    copy(inputAggBufferOffset = offset)
  override protected def withNewChildInternal(c: Expression): Expression = copy(child = c)
}
