package io.lakeann.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.RDDInfo;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Where the time of one measured step went inside Spark: every stage it ran, with its wall time
 * and its tasks' metrics summed (run time, CPU, GC, shuffle bytes). {@link #run} runs the step in
 * a job group of its own with a listener attached, then runs a one-task marker job and waits for
 * the listener to see the marker end: Spark posts every job's end before its caller returns and
 * delivers events in order, so by then every stage of the step has been reported. Listener
 * callbacks come from Spark's bus thread; {@link #run} reads the results only after the marker.
 */
final class StageLog extends SparkListener {
  private static final AtomicInteger GROUPS = new AtomicInteger();
  private static final long WAIT_NANOS = 60_000_000_000L;

  /**
   * One stage of a step.
   *
   * @param name Spark's name for it: the call site of its last operation
   * @param seconds wall time from submission to completion
   * @param taskSeconds run time of its tasks, summed
   * @param cpuSeconds CPU time of its tasks, summed
   * @param gcSeconds GC time during its tasks, summed
   * @param resultBytes bytes its tasks sent the driver as their results, summed
   */
  record Stage(int id, String name, int tasks, double seconds, double taskSeconds,
      double cpuSeconds, double gcSeconds, long inputRecords, long shuffleReadBytes,
      long shuffleWriteBytes, long resultBytes) {

    /** Adds the fields that report this stage to a JSON line, in print order. */
    void addTo(Map<String, Object> f) {
      f.put("stage", id);
      f.put("name", name);
      f.put("tasks", tasks);
      f.put("seconds", Json.round(seconds, 3));
      f.put("task_seconds", Json.round(taskSeconds, 3));
      f.put("cpu_seconds", Json.round(cpuSeconds, 3));
      f.put("gc_seconds", Json.round(gcSeconds, 3));
      f.put("input_records", inputRecords);
      f.put("shuffle_read_bytes", shuffleReadBytes);
      f.put("shuffle_write_bytes", shuffleWriteBytes);
      f.put("result_bytes", resultBytes);
    }
  }

  /** A step's result, its wall time and the stages it ran, in stage id order. */
  record Logged<T>(T value, double seconds, int jobs, List<Stage> stages) {}

  private final String group;
  private final String markerGroup;
  private final Set<Integer> jobs = new HashSet<>();
  private final Set<Integer> markerStages = new HashSet<>();
  private final Map<Integer, double[]> metrics = new HashMap<>();
  private final Map<Integer, Stage> stages = new HashMap<>();
  private int markerJob = -1;
  private boolean markerEnded;

  private StageLog(String group) {
    this.group = group;
    this.markerGroup = group + "-marker";
  }

  /** Runs {@code step} on this thread and logs what Spark did for it. */
  static <T> Logged<T> run(SparkSession spark, String step, Supplier<T> work) {
    SparkContext sc = spark.sparkContext();
    StageLog log = new StageLog("lakeann-bench-" + step + "-" + GROUPS.incrementAndGet());
    sc.addSparkListener(log);
    try {
      sc.setJobGroup(log.group, step, false);
      long start = System.nanoTime();
      T value;
      try {
        value = work.get();
      } finally {
        sc.clearJobGroup();
      }
      double seconds = Clock.secondsSince(start);
      sc.setJobGroup(log.markerGroup, "end of " + step, false);
      try {
        JavaSparkContext.fromSparkContext(sc).parallelize(List.of(0), 1).count();
      } finally {
        sc.clearJobGroup();
      }
      log.awaitMarker();
      synchronized (log) {
        return new Logged<>(value, seconds, log.jobs.size(), log.stages());
      }
    } finally {
      sc.removeSparkListener(log);
    }
  }

  private synchronized void awaitMarker() {
    long deadline = System.nanoTime() + WAIT_NANOS;
    while (!markerEnded) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        Log.info("warning: Spark's listener bus did not deliver the end of %s within %d s; its"
            + " stage list may be incomplete", group, WAIT_NANOS / 1_000_000_000L);
        return;
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private List<Stage> stages() {
    List<Stage> out = new ArrayList<>(stages.values());
    out.sort(Comparator.comparingInt(Stage::id));
    return out;
  }

  /**
   * The stage's call site, and the operations it ran: the scopes of its RDDs in creation order
   * (for SQL, the plan's operators; the call site of a SQL stage submitted by adaptive execution
   * names only Spark's own thread).
   */
  static String label(StageInfo info) {
    List<RDDInfo> rdds = new ArrayList<>(CollectionConverters.asJava(info.rddInfos()));
    rdds.sort(Comparator.comparingInt(RDDInfo::id));
    Set<String> scopes = new LinkedHashSet<>();
    for (RDDInfo rdd : rdds) {
      if (rdd.scope().isDefined()) {
        scopes.add(rdd.scope().get().name());
      }
    }
    String site = info.name().contains("withThreadLocalCaptured") ? "SQL" : info.name();
    return scopes.isEmpty() ? site : site + ": " + String.join(" → ", scopes);
  }

  @Override
  public synchronized void onJobStart(SparkListenerJobStart start) {
    String jobGroup = start.properties() == null ? null
        : start.properties().getProperty("spark.jobGroup.id");
    if (group.equals(jobGroup)) {
      jobs.add(start.jobId());
    } else if (markerGroup.equals(jobGroup)) {
      markerJob = start.jobId();
      for (Object stage : CollectionConverters.asJava(start.stageIds())) {
        markerStages.add((Integer) stage);
      }
    }
  }

  @Override
  public synchronized void onJobEnd(SparkListenerJobEnd end) {
    if (end.jobId() == markerJob) {
      markerEnded = true;
      notifyAll();
    }
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
    TaskMetrics m = end.taskMetrics();
    if (m == null) {
      return;
    }
    double[] sums = metrics.computeIfAbsent(end.stageId(), s -> new double[7]);
    sums[0] += m.executorRunTime() / 1e3;
    sums[1] += m.executorCpuTime() / 1e9;
    sums[2] += m.jvmGCTime() / 1e3;
    sums[3] += m.inputMetrics().recordsRead();
    sums[4] += m.shuffleReadMetrics().totalBytesRead();
    sums[5] += m.shuffleWriteMetrics().bytesWritten();
    sums[6] += m.resultSize();
  }

  @Override
  public synchronized void onStageCompleted(SparkListenerStageCompleted completed) {
    StageInfo info = completed.stageInfo();
    if (markerStages.contains(info.stageId())) {
      return;
    }
    double seconds = info.submissionTime().isDefined() && info.completionTime().isDefined()
        ? ((Long) info.completionTime().get() - (Long) info.submissionTime().get()) / 1e3
        : Double.NaN;
    double[] sums = metrics.getOrDefault(info.stageId(), new double[7]);
    stages.put(info.stageId(), new Stage(info.stageId(), label(info), info.numTasks(), seconds,
        sums[0], sums[1], sums[2], (long) sums[3], (long) sums[4], (long) sums[5],
        (long) sums[6]));
  }
}
