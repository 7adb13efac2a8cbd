package io.lakeann.spark;

import io.lakeann.core.cache.CacheGroup;
import io.lakeann.core.cache.CacheStats;
import io.lakeann.iceberg.ShardCache;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.Partition;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.status.api.v1.ExecutorSummary;
import scala.collection.Iterator;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;

/**
 * The cache counters of the driver and of every executor JVM of a session, in total and per
 * group (table and kind). Each executor
 * the driver knows as active is asked by one task that prefers exactly that executor; the answer
 * says which executor ran it, so an executor whose task ran elsewhere (it was busy or lost) is
 * reported as not answering instead of being counted twice. Stateless.
 */
public final class ExecutorCaches {
  /** The id Spark gives the driver's block manager. */
  public static final String DRIVER = "driver";

  private ExecutorCaches() {}

  /**
   * One JVM's counters.
   *
   * @param executorId Spark's executor id ({@value #DRIVER} for the driver)
   * @param host the host the JVM runs on
   * @param answered whether this JVM itself reported (false: its task ran elsewhere)
   * @param stats its cache's counters in total, or null when it did not answer
   * @param groups its cache's counters per group, or null when it did not answer
   */
  public record JvmCache(String executorId, String host, boolean answered, CacheStats stats,
      Map<CacheGroup, CacheStats> groups) implements Serializable {
    /** Its counters of {@code owner}'s entries by kind, in order; empty if it did not answer. */
    public Map<String, CacheStats> of(String owner) {
      Map<String, CacheStats> out = new TreeMap<>();
      if (groups != null) {
        groups.forEach((group, stats) -> {
          if (group.owner().equals(owner)) {
            out.put(group.kind(), stats);
          }
        });
      }
      return out;
    }

    /** This JVM's counters now. */
    static JvmCache here(String executorId, String host) {
      ShardCache cache = ShardCache.global();
      return new JvmCache(executorId, host, true, cache.stats(), new HashMap<>(cache.groupStats()));
    }
  }

  /**
   * The driver's counters first, then each active executor's, by executor id. In local mode the
   * driver is the only JVM, so only its row is returned.
   */
  public static List<JvmCache> collect(SparkSession spark) {
    SparkContext sc = spark.sparkContext();
    List<JvmCache> out = new ArrayList<>();
    out.add(JvmCache.here(DRIVER, sc.getConf().get("spark.driver.host", "localhost")));
    Map<String, String> executors = new TreeMap<>();
    for (ExecutorSummary e : CollectionConverters.asJava(sc.statusStore().executorList(true))) {
      if (!e.id().equals(DRIVER)) {
        executors.put(e.id(), host(e.hostPort()));
      }
    }
    if (executors.isEmpty()) {
      return out;
    }
    Map<String, JvmCache> answers = new TreeMap<>();
    Object collected = new EveryExecutor(sc, new ArrayList<>(executors.entrySet())
        .stream().map(e -> location(e.getValue(), e.getKey())).toList()).collect();
    for (Object answer : (Object[]) collected) {
      JvmCache jvm = (JvmCache) answer;
      answers.put(jvm.executorId(), jvm);
    }
    executors.forEach((id, host) -> out.add(answers.getOrDefault(id,
        new JvmCache(id, host, false, null, null))));
    return out;
  }

  private static String host(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return colon < 0 ? hostPort : hostPort.substring(0, colon);
  }

  /** What {@code ExecutorCacheTaskLocation} prints: "run on exactly this executor". */
  private static String location(String host, String executorId) {
    return String.format(Locale.ROOT, "executor_%s_%s", host, executorId);
  }

  /** One partition per executor, each preferring it; each reports its JVM's counters. */
  private static final class EveryExecutor extends RDD<JvmCache> {
    private static final long serialVersionUID = 1L;

    private final List<String> locations;

    private record Slot(int index) implements Partition {}

    EveryExecutor(SparkContext sc, List<String> locations) {
      super(sc, CollectionConverters.asScala(List.<org.apache.spark.Dependency<?>>of()).toList(),
          ClassTag$.MODULE$.apply(JvmCache.class));
      this.locations = List.copyOf(locations);
    }

    @Override
    public Partition[] getPartitions() {
      Partition[] out = new Partition[locations.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = new Slot(i);
      }
      return out;
    }

    @Override
    public Iterator<JvmCache> compute(Partition split, TaskContext context) {
      SparkEnv env = SparkEnv.get();
      JvmCache here = JvmCache.here(env.executorId(), env.blockManager().blockManagerId().host());
      return CollectionConverters.asScala(List.of(here).iterator());
    }

    @Override
    public Seq<String> getPreferredLocations(Partition split) {
      return CollectionConverters.asScala(List.of(locations.get(split.index()))).toList();
    }
  }
}
