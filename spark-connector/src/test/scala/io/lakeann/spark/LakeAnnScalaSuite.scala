package io.lakeann.spark

import io.lakeann.iceberg.LocalFiles
import io.lakeann.core.{InvalidRequestException, Metric}
import io.lakeann.iceberg.{BuildResult, Consistency, SnapshotRef, UnknownTableException}
import io.lakeann.spark.implicits._
import java.nio.file.{Files, Path}
import java.time.Duration
import org.apache.spark.sql.{DataFrame, SparkSession}
import org.scalatest.BeforeAndAfterAll
import org.scalatest.funsuite.AnyFunSuite
import scala.concurrent.duration._
import scala.jdk.CollectionConverters._

/**
 * The Scala facade on a real local[2] Spark with an Iceberg Hadoop catalog: a build and joins
 * through `spark.lakeann` and `queries.annJoin`, answers checked against an exact join, and bad
 * input raising the Java layer's typed errors. Tests run in order and share one table.
 */
class LakeAnnScalaSuite extends AnyFunSuite with BeforeAndAfterAll {
  private val table = "lake.db.scala_docs"
  private var dir: Path = _
  private var spark: SparkSession = _

  private lazy val queryVectors = SparkFixture.vectors(60, 9)
  private lazy val queries: DataFrame = SparkFixture.queries(spark, queryVectors)

  /** The first build: two shards of 1500 rows. */
  private lazy val built: BuildResult = {
    SparkFixture.createDocs(spark, table, 2)
    SparkFixture.append(spark, table, 0, SparkFixture.vectors(1500, 1))
    SparkFixture.append(spark, table, 1500, SparkFixture.vectors(1500, 2))
    spark.lakeann.build(table, column = "embedding", id = "doc_id", metric = Metric.COSINE,
      targetRowsPerShard = 1500)
  }

  /** The first join on the built snapshot, through the builder form. */
  private lazy val firstJoin: AnnJoin = {
    built // the index exists before the first join
    queries.annJoin("qvec").against(table, "embedding").k(10)
  }
  private lazy val firstRun: JoinResult = firstJoin.run()
  private lazy val firstResult: DataFrame = firstRun.rows()

  override def beforeAll(): Unit = {
    dir = Files.createTempDirectory("lakeann-scala-suite-")
    System.setProperty("lakeann.shard.dir", dir.resolve("shards").toString)
    spark = SparkFixture.session(dir.resolve("wh"), "local[2]")
  }

  override def afterAll(): Unit = {
    try {
      if (spark != null) spark.stop()
    } finally {
      LocalFiles.deleteTree(dir)
    }
  }

  test("spark.lakeann.build with named arguments publishes the bundle; a rerun is a no-op") {
    assert(built.shardsBuilt == 2)
    assert(!built.alreadyRegistered)
    assert(built.bundle.manifest.config.metric == Metric.COSINE)
    val again = spark.lakeann.build(table, column = "embedding", id = "doc_id",
      metric = Metric.COSINE, targetRowsPerShard = 1500)
    assert(again.alreadyRegistered)
    assert(again.bundle.snapshotId == built.bundle.snapshotId)
  }

  test("annJoin(...).against(...).k(10).run() gives k neighbours per query at recall >= 0.95") {
    assert(firstResult.columns.toSeq ==
      Seq("qid", "tag", "qvec", "neighbor_id", "distance", "rank", "snapshot_id"))
    val perQuery = firstResult.groupBy("qid").count().collect()
      .map(r => r.getInt(0) -> r.getLong(1)).toMap
    assert(perQuery.keySet == queryVectors.indices.toSet)
    assert(perQuery.values.forall(_ == 10), perQuery)
    val exact = SparkFixture.exact(SparkFixture.liveVectors(spark, table), queryVectors, 10,
      Metric.COSINE)
    val recall = SparkFixture.recall(exact, SparkFixture.neighbours(firstResult))
    assert(recall >= 0.95, s"recall@10 $recall")
    assert(firstRun.stats().snapshotId == built.bundle.snapshotId)
  }

  test("a second join on the unchanged snapshot loads nothing and answers the same") {
    val expected = SparkFixture.neighbours(firstResult)
    val again = queries.annJoin("qvec").against(table, "embedding").k(10).run()
    val stats = again.stats()
    assert(stats.loads == 0, s"second join on an unchanged snapshot: $stats")
    assert(stats.cacheHits == stats.tasks, stats)
    assert(SparkFixture.neighbours(again.rows()) == expected)
    val named = queries.annJoin("qvec", table = table, column = "embedding", k = 10,
      nprobe = 0, epsilon = None, consistency = "fresh", filter = None, blockSize = 16)
    assert(SparkFixture.neighbours(named) == expected)
  }

  test("a frozen join by its string form returns the old snapshot's neighbours after an append") {
    val expected = SparkFixture.neighbours(firstResult)
    val first = built.bundle.snapshotId
    SparkFixture.append(spark, table, 5000, queryVectors)

    val fresh = SparkFixture.neighbours(
      queries.annJoin("qvec", table = table, column = "embedding", k = 1))
    queryVectors.indices.foreach { q =>
      assert(fresh.get(q).get(0) == 5000L + q, s"appended row ${5000 + q} is query $q's nearest")
    }

    val frozen = queries.annJoin("qvec", table = table, column = "embedding", k = 10,
      consistency = s"frozen:$first")
    assert(SparkFixture.neighbours(frozen) == expected, "frozen on the built snapshot")
    assert(frozen.select("snapshot_id").distinct().collect().map(_.getLong(0)).toSeq == Seq(first))

    val byBuilder = queries.annJoin("qvec").against(table, "embedding").k(10)
      .consistency(s"frozen:$first").run()
    assert(SparkFixture.neighbours(byBuilder.rows()) == expected)
    assert(byBuilder.stats().snapshotId == first)
  }

  test("consistency arguments are a Consistency, its text forms or a ttl") {
    def of(arg: ConsistencyArg): Consistency = arg.value
    assert(of(Consistency.fresh()) == Consistency.fresh())
    assert(of("frozen:123") == Consistency.frozen(SnapshotRef.id(123)))
    assert(of("frozen:tag:v1") == Consistency.frozen(SnapshotRef.tag("v1")))
    assert(of("eventual:30") == Consistency.eventual(Duration.ofSeconds(30)))
    assert(of(30.seconds) == Consistency.eventual(Duration.ofSeconds(30)))
  }

  test("bad input through the facade raises the Java layer's typed errors, naming the thing") {
    val badK = intercept[InvalidRequestException] {
      queries.annJoin("qvec", table = table, column = "embedding", k = 0)
    }
    assert(badK.getMessage.contains("Invalid k: 0"), badK.getMessage)

    val unknownJoin = intercept[UnknownTableException] {
      queries.annJoin("qvec").against("lake.db.nope", "embedding").k(10).run()
    }
    assert(unknownJoin.getMessage.contains("lake.db.nope"), unknownJoin.getMessage)

    val unknownBuild = intercept[UnknownTableException] {
      spark.lakeann.build("lake.db.nope", column = "embedding", id = "doc_id")
    }
    assert(unknownBuild.getMessage.contains("lake.db.nope"), unknownBuild.getMessage)

    val badConsistency = intercept[InvalidRequestException] {
      queries.annJoin("qvec").against(table, "embedding").consistency("sometimes")
    }
    assert(badConsistency.getMessage.contains("'sometimes'"), badConsistency.getMessage)
  }
}
