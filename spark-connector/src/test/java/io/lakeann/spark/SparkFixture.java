package io.lakeann.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.lakeann.core.ExactSearch;
import io.lakeann.core.Metric;
import io.lakeann.core.data.SyntheticVectors;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A real local Spark with an Iceberg Hadoop catalog {@code lake} on a temporary warehouse, and
 * the pieces the join tests share: clustered vectors, tables written through Spark, the exact
 * join computed in the test, recall.
 */
public final class SparkFixture {
  public static final int DIM = 16;
  private static final SyntheticVectors DATA = new SyntheticVectors(DIM, 20, 1.0f, 5);

  private SparkFixture() {}

  /**
   * A local[2] session for a test class whose files live in {@code dir}: the warehouse in
   * {@code dir/wh}, the JVM's local shard copies in {@code dir/shards}.
   */
  public static SparkSession localSession(Path dir) {
    System.setProperty("lakeann.shard.dir", dir.resolve("shards").toString());
    return session(dir.resolve("wh"), "local[2]");
  }

  /** Two executor JVMs of one core and 1 GiB each beside the driver. */
  public static final String LOCAL_CLUSTER = "local-cluster[2,1,1024]";

  /**
   * Starts {@code builder}'s session (master {@link #LOCAL_CLUSTER}) with two executor JVMs on
   * the test classpath, waiting until both have registered. No Spark installation is needed:
   * surefire points SPARK_HOME at an empty folder under target/, filled here with what the
   * standalone Worker checks. Executors use the scalar kernels and keep their shard copies in
   * {@code dir/executor-shards}.
   */
  public static SparkSession localCluster(Path dir, SparkSession.Builder builder)
      throws Exception {
    return localCluster(dir, builder, 2, "");
  }

  /**
   * {@link #localCluster(Path, SparkSession.Builder)} with {@code executors} executor JVMs of one
   * core each, started with {@code javaOptions} beside lakeann's own (e.g. a cache budget);
   * {@code builder}'s master is replaced.
   */
  public static SparkSession localCluster(Path dir, SparkSession.Builder builder, int executors,
      String javaOptions) throws Exception {
    String home = System.getenv("SPARK_HOME");
    assertNotNull(home, "SPARK_HOME must name a folder (surefire sets it to target/spark-home)");
    Files.createDirectories(Path.of(home, "jars"));
    Files.createDirectories(Path.of(home, "conf"));
    Files.createDirectories(Path.of(home, "launcher", "target", "scala-2.13"));
    String classPath = System.getProperty("surefire.test.class.path");
    assertNotNull(classPath, "run under surefire, which names the test classpath");
    SparkSession spark = builder
        .master("local-cluster[" + executors + ",1,1024]")
        .config("spark.executor.extraClassPath", classPath)
        .config("spark.executor.memory", "512m")
        .config("spark.executor.extraJavaOptions",
            "-Dlakeann.kernels=scalar -D" + io.lakeann.iceberg.ShardCache.DIR_PROPERTY + "="
                + dir.resolve("executor-shards") + " " + javaOptions)
        // Ample, so a busy executor is waited for rather than skipped; tasks here take ms.
        .config("spark.locality.wait", "10s")
        .getOrCreate();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (spark.sparkContext().statusTracker().getExecutorInfos().length < executors + 1) {
      if (System.nanoTime() > deadline) {
        spark.stop();
        throw new IllegalStateException(executors + " executors did not register within 60 s");
      }
      Thread.sleep(50);
    }
    return spark;
  }

  public static SparkSession session(Path warehouse, String master) {
    return builder(warehouse, master).getOrCreate();
  }

  /** {@link #session}'s settings, for a test to add its own before {@code getOrCreate()}. */
  public static SparkSession.Builder builder(Path warehouse, String master) {
    SparkSession.Builder builder = SparkSession.builder();
    JvmCompat.sparkDefaults().forEach(builder::config);
    LocalSpark.loopback().forEach(builder::config);
    LocalSpark.embeddedCatalog(warehouse.toAbsolutePath().toString()).forEach(builder::config);
    return builder
        .master(master)
        .appName("lakeann-test")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.extensions", LocalSpark.ICEBERG_EXTENSIONS);
  }

  public static float[][] vectors(int n, long seed) {
    return SyntheticVectors.rows(DATA.points(n, seed), DIM);
  }

  public static StructType docSchema() {
    return new StructType()
        .add("doc_id", DataTypes.LongType, false)
        .add("category", DataTypes.IntegerType, true)
        .add("embedding", DataTypes.createArrayType(DataTypes.FloatType, true), true);
  }

  public static Dataset<Row> docs(SparkSession spark, long firstId, float[][] vectors) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < vectors.length; i++) {
      rows.add(RowFactory.create(firstId + i, (int) ((firstId + i) % 4), boxed(vectors[i])));
    }
    return spark.createDataFrame(rows, docSchema());
  }

  public static Dataset<Row> queries(SparkSession spark, float[][] vectors) {
    StructType schema = new StructType()
        .add("qid", DataTypes.IntegerType, false)
        .add("tag", DataTypes.StringType, true)
        .add("qvec", DataTypes.createArrayType(DataTypes.FloatType, true), true);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < vectors.length; i++) {
      rows.add(RowFactory.create(i, "q" + i, vectors[i] == null ? null : boxed(vectors[i])));
    }
    return spark.createDataFrame(rows, schema);
  }

  public static List<Float> boxed(float[] v) {
    List<Float> out = new ArrayList<>(v.length);
    for (float f : v) {
      out.add(f);
    }
    return out;
  }

  public static void createDocs(SparkSession spark, String table, int formatVersion) {
    spark.sql("CREATE TABLE " + table + " (doc_id bigint NOT NULL, category int, "
        + "embedding array<float>) USING iceberg TBLPROPERTIES ('format-version'='"
        + formatVersion + "', 'write.delete.mode'='merge-on-read', "
        + "'write.update.mode'='merge-on-read')");
  }

  /**
   * A new docs table ({@link #createDocs}, format v2) with {@code files} appended files of
   * {@code rows} rows each: ids 0, 1, 2, ..., the vectors of file f from seed f + 1.
   */
  public static void createDocs(SparkSession spark, String table, int files, int rows) {
    createDocs(spark, table, 2);
    for (int f = 0; f < files; f++) {
      append(spark, table, (long) f * rows, vectors(rows, f + 1));
    }
  }

  /** A timestamp literal a day from now, in the session's (the JVM's) time zone. */
  public static String inADay() {
    return Timestamp.from(Instant.now().plus(Duration.ofDays(1))).toString();
  }

  /**
   * Flips one byte in the middle of shard {@code shard}'s first blob inside {@code bundle}'s
   * statistics file (on the local file system); returns that file.
   */
  public static Path damage(io.lakeann.iceberg.RegisteredBundle bundle, int shard)
      throws java.io.IOException {
    Path stats = Path.of(localPath(bundle.statisticsPath()));
    io.lakeann.iceberg.RegisteredBundle.BlobRange blob = bundle.shardBlobs().get(shard).get(0);
    try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(stats.toFile(), "rw")) {
      long at = blob.offset() + blob.length() / 2;
      file.seek(at);
      int b = file.read();
      file.seek(at);
      file.write(b ^ 0xFF);
    }
    return stats;
  }

  /** A local file's path, whether written as a path or as a file: URI. */
  public static String localPath(String location) {
    return location.startsWith("file:") ? Path.of(URI.create(location)).toString() : location;
  }

  public static void append(SparkSession spark, String table, long firstId, float[][] vectors) {
    try {
      docs(spark, firstId, vectors).coalesce(1).writeTo(table).append();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The live (id, vector) rows of {@code table} now, read through Spark. */
  public static Map<Long, float[]> liveVectors(SparkSession spark, String table) {
    return liveVectors(spark.table(table));
  }

  /** The (id, vector) rows of a read of a docs table, e.g. at one snapshot. */
  public static Map<Long, float[]> liveVectors(Dataset<Row> docs) {
    Map<Long, float[]> out = new HashMap<>();
    for (Row row : docs.where("embedding IS NOT NULL")
        .select("doc_id", "embedding").collectAsList()) {
      List<Float> v = row.getList(1);
      float[] f = new float[v.size()];
      for (int i = 0; i < f.length; i++) {
        f[i] = v.get(i);
      }
      out.put(row.getLong(0), f);
    }
    return out;
  }

  /** Exact top-k ids for each query over {@code base}. */
  public static List<List<Long>> exact(Map<Long, float[]> base, float[][] queries, int k,
      Metric metric) {
    return ExactSearch.groundTruth(base, DIM, metric, queries, k);
  }


  /**
   * Joins {@code queries} against {@code table} with an exact recall target and checks that
   * every query's neighbours are exactly the exact top-k over the rows of the snapshot the join
   * reports; returns the join's stats.
   */
  public static JoinStats assertJoinIsExact(SparkSession spark, String table, float[][] queries,
      int k) {
    JoinResult join = LakeAnn.annJoin(queries(spark, queries), "qvec").against(table,
        "embedding").k(k).recall(1.0).run();
    return assertExact(spark, join, table, queries, k);
  }

  /**
   * Checks that every query's neighbours in {@code join} (query ids 0, 1, ... for the rows of
   * {@code queries}) are exactly the exact top-k over the rows of the snapshot it reports.
   */
  public static JoinStats assertExact(SparkSession spark, JoinResult join, String table,
      float[][] queries, int k) {
    Map<Integer, List<Long>> found = neighbours(join.rows());
    Map<Long, float[]> rows = liveVectors(spark.read()
        .option("versionAsOf", join.stats().snapshotId()).table(table));
    List<List<Long>> exact = exact(rows, queries, k, Metric.L2);
    for (int q = 0; q < queries.length; q++) {
      assertEquals(exact.get(q), found.get(q), "query " + q + " at snapshot "
          + join.stats().snapshotId() + ": " + join.stats());
    }
    return join.stats();
  }

  /** Neighbour ids per query id, rank order, from a join result. */
  public static Map<Integer, List<Long>> neighbours(Dataset<Row> joined) {
    Map<Integer, List<Long>> out = new HashMap<>();
    for (Row row : joined.orderBy("qid", "rank").select("qid", "neighbor_id").collectAsList()) {
      out.computeIfAbsent(row.getInt(0), q -> new ArrayList<>()).add(row.getLong(1));
    }
    return out;
  }

  public static double recall(List<List<Long>> exact, Map<Integer, List<Long>> found) {
    List<List<Long>> byQuery = new ArrayList<>();
    for (int q = 0; q < exact.size(); q++) {
      byQuery.add(found.getOrDefault(q, List.of()));
    }
    return io.lakeann.core.search.Recall.of(exact, byQuery);
  }

}
