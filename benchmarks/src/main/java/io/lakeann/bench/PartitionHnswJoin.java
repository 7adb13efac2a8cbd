package io.lakeann.bench;

import static org.apache.spark.sql.functions.col;

import com.github.jelmerk.knn.SearchResult;
import com.github.jelmerk.knn.hnsw.HnswIndex;
import io.lakeann.core.Metric;
import io.lakeann.iceberg.Hit;
import io.lakeann.iceberg.Hits;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;
import scala.Tuple2;

/**
 * The ANN join of per-partition HNSW, as hnswlib-spark runs it: the base rows repartitioned into
 * one partition per core, an hnswlib-core index built inside each partition's task (nothing is
 * kept: every job builds again), every query searched in every partition's index, and the
 * partitions' top-k merged per query. The queries are collected from their table and broadcast.
 * One Spark job; the tasks report how long they built and searched. Stateless.
 */
final class PartitionHnswJoin {
  private PartitionHnswJoin() {}

  /**
   * What one run found and took.
   *
   * @param ids the k nearest base ids of each query (by query id), nearest first
   * @param queriesSeconds collecting and broadcasting the queries
   * @param buildSeconds the longest index build of a task
   * @param searchSeconds the longest search of a task (all queries, one index)
   */
  record Result(long[][] ids, int partitions, double queriesSeconds, double buildSeconds,
      double searchSeconds) {}

  /**
   * Joins every query with the base rows of ids below {@code baseRows} in {@code partitions}
   * partitions, with HNSW links {@code m}, build beam {@code efConstruction} and search beam
   * {@code ef}.
   */
  static Result run(SparkSession spark, int baseRows, int partitions, int k, int m,
      int efConstruction, int ef) {
    long start = System.nanoTime();
    List<Row> queryRows = spark.table(JoinTables.QUERIES)
        .select(JoinTables.ID, JoinTables.VECTOR).collectAsList();
    float[][] queries = new float[queryRows.size()][];
    for (Row row : queryRows) {
      queries[(int) row.getLong(0)] = floats(row.getList(1));
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<float[][]> shared = jsc.broadcast(queries);
    double queriesSeconds = Clock.secondsSince(start);
    CollectionAccumulator<Double> builds = spark.sparkContext().collectionAccumulator("hnsw build");
    CollectionAccumulator<Double> searches = spark.sparkContext()
        .collectionAccumulator("hnsw search");

    List<Tuple2<Integer, ArrayList<Hit>>> merged = spark.table(JoinTables.DOCS)
        .where(col(JoinTables.ID).lt(baseRows))
        .select(JoinTables.ID, JoinTables.VECTOR)
        .repartition(partitions)
        .javaRDD()
        .mapPartitionsToPair(rows -> searchPartition(rows, shared.value(), k, m, efConstruction,
            ef, builds, searches))
        .reduceByKey((a, b) -> {
          a.addAll(b);
          return new ArrayList<>(Hits.top(a, k));
        })
        .collect();
    shared.destroy();
    long[][] ids = new long[queries.length][];
    for (Tuple2<Integer, ArrayList<Hit>> found : merged) {
      List<Hit> hits = found._2();
      long[] row = new long[hits.size()];
      for (int i = 0; i < row.length; i++) {
        row[i] = (Integer) hits.get(i).id();
      }
      ids[found._1()] = row;
    }
    return new Result(ids, partitions, queriesSeconds, max(builds.value()),
        max(searches.value()));
  }

  /** Runs in a task: builds this partition's index, then searches it with every query. */
  private static Iterator<Tuple2<Integer, ArrayList<Hit>>> searchPartition(Iterator<Row> rows,
      float[][] queries, int k, int m, int efConstruction, int ef,
      CollectionAccumulator<Double> builds, CollectionAccumulator<Double> searches)
      throws InterruptedException {
    List<HnswEngine.Row> items = new ArrayList<>();
    while (rows.hasNext()) {
      Row row = rows.next();
      items.add(new HnswEngine.Row((int) row.getLong(0), floats(row.getList(1))));
    }
    if (items.isEmpty()) {
      return List.<Tuple2<Integer, ArrayList<Hit>>>of().iterator();
    }
    long start = System.nanoTime();
    HnswIndex<Integer, float[], HnswEngine.Row, Float> index = HnswEngine.newIndex(
        queries[0].length, Metric.L2, items.size(), m, efConstruction);
    index.addAll(items, 1, (done, max) -> { }, Integer.MAX_VALUE);
    builds.add(Clock.secondsSince(start));
    start = System.nanoTime();
    index.setEf(ef);
    List<Tuple2<Integer, ArrayList<Hit>>> out = new ArrayList<>(queries.length);
    for (int q = 0; q < queries.length; q++) {
      ArrayList<Hit> hits = new ArrayList<>(k);
      for (SearchResult<HnswEngine.Row, Float> r : index.findNearest(queries[q], k)) {
        hits.add(new Hit(r.item().id(), r.distance()));
      }
      out.add(new Tuple2<>(q, hits));
    }
    searches.add(Clock.secondsSince(start));
    return out.iterator();
  }

  private static float[] floats(List<Float> boxed) {
    float[] out = new float[boxed.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = boxed.get(i);
    }
    return out;
  }

  private static double max(List<Double> values) {
    double max = 0;
    for (double v : values) {
      max = Math.max(max, v);
    }
    return max;
  }
}
