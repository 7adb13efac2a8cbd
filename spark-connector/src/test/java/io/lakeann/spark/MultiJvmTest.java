package io.lakeann.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.Metric;
import io.lakeann.core.kernel.Kernels;
import io.lakeann.core.witness.Witness;
import io.lakeann.iceberg.BuildResult;
import io.lakeann.iceberg.ShardEntry;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.iceberg.Table;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Function1;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;

/**
 * lakeann across JVMs: the test starts a {@code local-cluster[2,1,1024]} master, so two executor
 * JVMs run beside the driver (no Spark installation needed: surefire points SPARK_HOME at an empty
 * folder under target/ and the executors get the test classpath). On it: an Iceberg table made
 * through Spark SQL, a build whose shard tasks run on the executors, an ANN join, a second join
 * that loads nothing because every shard's work goes back to the executor holding it, and an
 * exact join. The cluster is then stopped and the same build and joins run in local mode on the
 * same table: the shards are byte for byte the same and so is every answer. The executors are
 * forced onto the scalar kernels while the driver uses the SIMD ones where the CPU has them, so
 * the comparison covers both kernel implementations too.
 */
class MultiJvmTest {
  static final String TABLE = "lake.db.docs";
  static final int K = 10;
  static final float[][] QUERIES = SparkFixture.vectors(60, 9);
  static final float[][] FIRST_ROWS = SparkFixture.vectors(1500, 1);
  static final float[][] SECOND_ROWS = SparkFixture.vectors(1500, 2);

  @TempDir
  static Path dir;

  /** One neighbour of a query as the join returned it. */
  record Neighbour(long id, float distance) {}

  /** A task that ended: which stage, which partition, where it ran, whether it succeeded. */
  record TaskRun(int stage, int partition, String executor, boolean ok) {}

  // What the cluster run saw.
  static long driverPid;
  static Map<String, String> executors;
  static String driverKernels;
  static List<TaskRun> buildTasks;
  static BuildResult clusterBuild;
  static JoinStats firstStats;
  static List<TaskRun> firstTasks;
  static Map<Integer, String> loadedOn;
  static JoinStats secondStats;
  static List<TaskRun> secondTasks;
  static JoinStats exactStats;
  static Map<Integer, List<Neighbour>> clusterFirst;
  static Map<Integer, List<Neighbour>> clusterSecond;
  static Map<Integer, List<Neighbour>> clusterExact;
  static List<List<Long>> exactIds;

  // What the same build and joins did in local mode.
  static BuildResult localBuild;
  static Map<Integer, List<Neighbour>> localFirst;
  static Map<Integer, List<Neighbour>> localExact;

  @BeforeAll
  static void buildAndJoinOnTwoExecutorJvmsThenLocally() throws Exception {
    long start = System.nanoTime();
    driverPid = ProcessHandle.current().pid();
    driverKernels = Kernels.get().getClass().getSimpleName();
    SparkSession cluster = startCluster();
    long up = System.nanoTime();
    try {
      executors = executorProcesses(cluster);
      TaskRecorder tasks = new TaskRecorder();
      cluster.sparkContext().addSparkListener(tasks);

      SparkFixture.createDocs(cluster, TABLE, 2);
      SparkFixture.append(cluster, TABLE, 0, FIRST_ROWS);
      SparkFixture.append(cluster, TABLE, 1500, SECOND_ROWS);
      Map<Long, float[]> rows = new HashMap<>();
      for (int i = 0; i < 1500; i++) {
        rows.put((long) i, FIRST_ROWS[i]);
        rows.put(1500L + i, SECOND_ROWS[i]);
      }
      exactIds = SparkFixture.exact(rows, QUERIES, K, Metric.L2);

      tasks.reset();
      clusterBuild = build(cluster);
      buildTasks = tasks.ofJob(cluster, "lakeann build");

      // One query partition: one block per shard, so each shard is loaded by exactly one task.
      tasks.reset();
      AnnJoin first = join(SparkFixture.queries(cluster, QUERIES).coalesce(1));
      JoinResult firstRun = first.run();
      clusterFirst = results(firstRun.rows());
      firstStats = firstRun.stats();
      firstTasks = tasks.ofStagesWith(cluster, "ShardAffinePairs");
      loadedOn = new TreeMap<>();
      List<ShardEntry> shards = clusterBuild.bundle().manifest().shards();
      for (int s = 0; s < shards.size(); s++) {
        List<String> where = ShardLocations.of(shards.get(s).witness());
        assertEquals(1, where.size(), "shard " + s + " has a recorded location: " + where);
        loadedOn.put(s, executorOf(where.get(0)));
      }

      // Three query partitions: three tasks per shard, every one of them where the shard is.
      // Three more query rows without a vector, skipped.
      tasks.reset();
      AnnJoin second = join(SparkFixture.queries(cluster, withNulls(QUERIES, 3)).repartition(3));
      JoinResult secondRun = second.run();
      clusterSecond = results(secondRun.rows());
      secondStats = secondRun.stats();
      secondTasks = tasks.ofStagesWith(cluster, "ShardAffinePairs");

      AnnJoin exact = join(SparkFixture.queries(cluster, QUERIES)).epsilon(1000f)
          .nprobe(Integer.MAX_VALUE);
      JoinResult exactRun = exact.run();
      clusterExact = results(exactRun.rows());
      exactStats = exactRun.stats();
    } finally {
      cluster.stop();
    }
    long clusterDone = System.nanoTime();

    SparkSession local = SparkFixture.session(dir.resolve("wh"), "local[2]");
    try {
      // The same snapshot, registered afresh: drop the cluster's bundle, then build locally.
      Table table = SparkTables.load(local, TABLE);
      table.updateStatistics().removeStatistics(clusterBuild.bundle().snapshotId()).commit();
      localBuild = build(local);
      localFirst = results(join(SparkFixture.queries(local, QUERIES).coalesce(1)).run().rows());
      localExact = results(join(SparkFixture.queries(local, QUERIES)).epsilon(1000f)
          .nprobe(Integer.MAX_VALUE).run().rows());
    } finally {
      local.stop();
    }
    System.out.printf("MultiJvmTest: cluster up %.1f s, cluster work %.1f s, local %.1f s; "
        + "executors %s, driver pid %d (%s)%n", (up - start) / 1e9, (clusterDone - up) / 1e9,
        (System.nanoTime() - clusterDone) / 1e9, executors, driverPid, driverKernels);
  }

  @Test
  void buildShardTasksRanInExecutorJvmsOtherThanTheDriver() {
    executors.values().forEach(v -> assertTrue(v.endsWith("ScalarKernels"), "executor " + v));
    Set<String> pids = new TreeSet<>();
    executors.values().forEach(v -> pids.add(v.split(" ")[0]));
    assertEquals(2, pids.size(), "two executor processes: " + executors);
    assertFalse(pids.contains(Long.toString(driverPid)), "executors are not the driver's JVM: "
        + executors + ", driver " + driverPid);
    assertEquals(2, clusterBuild.shardsBuilt());
    List<TaskRun> ok = buildTasks.stream().filter(TaskRun::ok).toList();
    assertEquals(2, ok.size(), "one build task per shard: " + buildTasks);
    for (TaskRun task : ok) {
      assertTrue(executors.containsKey(task.executor()),
          "build task ran on executor " + task.executor() + ", not one of " + executors);
    }
  }

  @Test
  void eachShardIsLoadedOnceAndLaterWorkOnItRunsWhereItWasLoaded() {
    int shards = clusterBuild.bundle().manifest().shards().size();
    assertEquals(shards, firstStats.shards());
    assertEquals(shards, firstStats.loads(), "one block: each shard loaded once " + firstStats);
    for (Map.Entry<Integer, String> e : loadedOn.entrySet()) {
      int shard = e.getKey();
      String executor = e.getValue();
      assertTrue(executors.containsKey(executor), "shard " + shard + " recorded on " + executor);
      Set<String> ranOn = firstTasks.stream().filter(t -> t.ok() && t.partition() % shards == shard)
          .map(TaskRun::executor).collect(Collectors.toSet());
      assertEquals(Set.of(executor), ranOn, "shard " + shard + " was searched (and loaded) on");

      List<TaskRun> later = secondTasks.stream()
          .filter(t -> t.ok() && t.partition() % shards == shard).toList();
      assertEquals(3, later.size(), "three blocks for shard " + shard + ": " + secondTasks);
      for (TaskRun task : later) {
        assertEquals(executor, task.executor(), "work on shard " + shard + " went to " + task);
      }
    }
  }

  @Test
  void secondJoinOnTheClusterLoadsNothingAndAnswersTheSame() {
    assertEquals(0, secondStats.loads(), secondStats.toString());
    assertEquals(6, secondStats.tasks(), "three blocks times two shards: " + secondStats);
    assertEquals(0, exactStats.loads(), "a join with other parameters: " + exactStats);
    // Counted where they happen: the first join found nothing loaded, the later ones everything.
    assertEquals(0, firstStats.cacheHits(), firstStats.toString());
    assertEquals(6, secondStats.cacheHits(), secondStats.toString());
    assertEquals(exactStats.tasks(), exactStats.cacheHits(), exactStats.toString());
    assertEquals(clusterFirst, clusterSecond);
  }

  @Test
  void joinStatsCountEachQueryOnceWhateverTheNumberOfShardsAndBlocks() {
    assertEquals(QUERIES.length, firstStats.queries(), "one block, two shards: " + firstStats);
    assertEquals(0, firstStats.skippedNullQueries(), firstStats.toString());
    assertEquals(QUERIES.length, secondStats.queries(), "three blocks, two shards: "
        + secondStats);
    assertEquals(3, secondStats.skippedNullQueries(), secondStats.toString());
  }

  @Test
  void clusterJoinAtEveryListAndWideEpsilonIsTheExactJoin() {
    assertEquals(QUERIES.length, clusterExact.size());
    for (int q = 0; q < QUERIES.length; q++) {
      assertEquals(exactIds.get(q), ids(clusterExact.get(q)), "query " + q);
    }
    double recall = SparkFixture.recall(exactIds, idsOf(clusterFirst));
    assertTrue(recall >= 0.95, "recall@10 of the default join " + recall);
  }

  @Test
  void clusterBuildIsByteIdenticalToTheLocalBuild() {
    assertFalse(localBuild.alreadyRegistered(), "the local build really built");
    assertEquals(2, localBuild.shardsBuilt());
    List<Witness> onCluster = witnesses(clusterBuild);
    List<Witness> locally = witnesses(localBuild);
    assertEquals(onCluster, locally, "shard witnesses; executors " + executors
        + ", driver kernels " + driverKernels);
    assertEquals(clusterBuild.bundle().manifest().witness(),
        localBuild.bundle().manifest().witness());
  }

  @Test
  void clusterJoinAnswersExactlyWhatTheSameJoinAnswersInLocalMode() {
    assertEquals(localFirst, clusterFirst, "default parameters: ids and distances");
    assertEquals(localExact, clusterExact, "every list, wide epsilon: ids and distances");
  }

  private static SparkSession startCluster() throws Exception {
    return SparkFixture.localCluster(dir,
        SparkFixture.builder(dir.resolve("wh"), SparkFixture.LOCAL_CLUSTER));
  }

  /**
   * Executor id to "pid kernels" of every executor: a barrier stage of two tasks needs two slots
   * at once, so with one core per executor each executor runs one of them.
   */
  @SuppressWarnings("unchecked")
  private static Map<String, String> executorProcesses(SparkSession spark) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Function1<scala.collection.Iterator<Integer>, scala.collection.Iterator<String>> probe =
        (Function1<scala.collection.Iterator<Integer>, scala.collection.Iterator<String>>
            & Serializable) rows -> CollectionConverters.asScala(List.of(
                SparkEnv.get().executorId() + "=" + ProcessHandle.current().pid() + " "
                    + Kernels.get().getClass().getSimpleName()).iterator());
    List<String> lines = jsc.parallelize(List.of(0, 1), 2).rdd().barrier()
        .mapPartitions(probe, false, ClassTag$.MODULE$.<String>apply(String.class))
        .toJavaRDD().collect();
    Map<String, String> out = new TreeMap<>();
    for (String line : lines) {
      String[] parts = line.split("=", 2);
      out.put(parts[0], parts[1]);
    }
    assertEquals(2, out.size(), "one probe per executor: " + lines);
    return out;
  }

  private static BuildResult build(SparkSession spark) {
    return LakeAnn.build(spark, TABLE).column("embedding").id("doc_id").metric(Metric.L2)
        .targetRowsPerShard(1500).run();
  }

  private static AnnJoin join(Dataset<Row> queries) {
    return LakeAnn.annJoin(queries, "qvec").against(TABLE, "embedding").k(K);
  }

  /** {@code vectors} followed by {@code nulls} query rows without a vector. */
  private static float[][] withNulls(float[][] vectors, int nulls) {
    return java.util.Arrays.copyOf(vectors, vectors.length + nulls);
  }

  private static Map<Integer, List<Neighbour>> results(Dataset<Row> joined) {
    Map<Integer, List<Neighbour>> out = new HashMap<>();
    for (Row row : joined.orderBy("qid", "rank").select("qid", "neighbor_id", "distance")
        .collectAsList()) {
      out.computeIfAbsent(row.getInt(0), q -> new ArrayList<>())
          .add(new Neighbour(row.getLong(1), row.getFloat(2)));
    }
    return out;
  }

  private static List<Long> ids(List<Neighbour> neighbours) {
    return neighbours.stream().map(Neighbour::id).toList();
  }

  private static Map<Integer, List<Long>> idsOf(Map<Integer, List<Neighbour>> results) {
    Map<Integer, List<Long>> out = new HashMap<>();
    results.forEach((q, n) -> out.put(q, ids(n)));
    return out;
  }

  private static List<Witness> witnesses(BuildResult result) {
    return result.bundle().manifest().shards().stream().map(ShardEntry::witness).toList();
  }

  /** The executor id in a location {@code executor_<host>_<id>}. */
  private static String executorOf(String location) {
    assertTrue(location.startsWith("executor_"), location);
    return location.substring(location.lastIndexOf('_') + 1);
  }

  /** Every task that ended, with the stages of each job description and each stage's RDDs. */
  static final class TaskRecorder extends SparkListener {
    private final List<TaskRun> tasks = new CopyOnWriteArrayList<>();
    private final Map<Integer, String> jobOfStage = new ConcurrentHashMap<>();
    private final Map<Integer, List<String>> rddsOfStage = new ConcurrentHashMap<>();

    void reset() {
      tasks.clear();
      jobOfStage.clear();
      rddsOfStage.clear();
    }

    @Override
    public void onJobStart(SparkListenerJobStart start) {
      Properties props = start.properties();
      String description = props == null ? null : props.getProperty("spark.job.description");
      for (Object stage : CollectionConverters.asJava(start.stageIds())) {
        jobOfStage.put((Integer) stage, description == null ? "" : description);
      }
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
      List<String> names = new ArrayList<>();
      CollectionConverters.asJava(submitted.stageInfo().rddInfos()).forEach(r -> names.add(
          r.name()));
      rddsOfStage.put(submitted.stageInfo().stageId(), names);
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      tasks.add(new TaskRun(end.stageId(), end.taskInfo().partitionId(),
          end.taskInfo().executorId(), end.taskInfo().successful()));
    }

    /** The tasks of the jobs whose description starts with {@code prefix}. */
    List<TaskRun> ofJob(SparkSession spark, String prefix) throws Exception {
      spark.sparkContext().listenerBus().waitUntilEmpty();
      return tasks.stream().filter(t -> jobOfStage.getOrDefault(t.stage(), "")
          .startsWith(prefix)).toList();
    }

    /** The tasks of the stages that compute an RDD named {@code rdd}. */
    List<TaskRun> ofStagesWith(SparkSession spark, String rdd) throws Exception {
      spark.sparkContext().listenerBus().waitUntilEmpty();
      List<TaskRun> out = tasks.stream().filter(t -> rddsOfStage.getOrDefault(t.stage(),
          List.of()).contains(rdd)).toList();
      assertNotEquals(0, out.size(), "no stage computed " + rdd + ": " + rddsOfStage);
      return out;
    }
  }
}
