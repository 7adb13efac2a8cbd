package io.lakeann.bench;

import com.github.jelmerk.knn.DistanceFunction;
import com.github.jelmerk.knn.DistanceFunctions;
import com.github.jelmerk.knn.Item;
import com.github.jelmerk.knn.SearchResult;
import com.github.jelmerk.knn.hnsw.HnswIndex;
import io.lakeann.core.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * HNSW from hnswlib-core (jelmerk) as the graph-index peer: float[] vectors, M and efConstruction
 * from the flags, built once with {@code addAll} on the build threads, then measured over an ef
 * sweep (single queries, and batches as loops of single searches). HNSW keeps its own copy of
 * every vector, so its heap growth includes them.
 */
final class HnswEngine implements Engine {
  static final String NAME = "hnswlib-hnsw";
  /** Links per node unless told otherwise. */
  static final int DEFAULT_M = 16;
  /** Build beam width unless told otherwise. */
  static final int DEFAULT_EF_CONSTRUCTION = 100;
  /** hnswlib computes distances in plain Java loops. */
  static final String KERNELS = "plain Java";

  @Override
  public void run(RunContext context, Consumer<ResultLine> sink) {
    Dataset data = context.dataset();
    CoreOptions options = context.options();
    String series = "hnsw M=" + options.hnswM + ", efConstruction=" + options.hnswEfConstruction;
    Log.info("%s: building %s on %d threads", NAME, series, context.info().buildThreads());
    long heapBefore = HeapMeter.usedAfterGc();
    Built built = build(data, context.info(), options);
    long heap = HeapMeter.usedAfterGc() - heapBefore;
    Log.info("%s: built in %.2f s", NAME, built.seconds());
    HnswIndex<Integer, float[], Row, Float> index = built.index();
    // hnswlib reports no size of its own: its bytes per vector are the measured heap growth.
    double heapPerVector = (double) heap / data.size();
    BuildStats build = new BuildStats(built.seconds(), heapPerVector, Double.NaN, heapPerVector);
    Params common = Params.of()
        .with("M", options.hnswM)
        .with("efConstruction", options.hnswEfConstruction);
    new EffortSweep(context, NAME, series, "ef", common, build, KERNELS).run(options.hnswEfs,
        ef -> {
          index.setEf(ef);
          return (q, k) -> ids(index.findNearest(q, k));
        }, null, sink);
  }

  /** Builds the index; the list of items passed to {@code addAll} dies with this frame. */
  private static Built build(Dataset data, RunInfo info, CoreOptions options) {
    int n = data.size();
    int dim = data.dim();
    float[] flat = data.base().data();
    List<Row> rows = new ArrayList<>(n);
    for (int r = 0; r < n; r++) {
      float[] vector = new float[dim];
      System.arraycopy(flat, r * dim, vector, 0, dim);
      rows.add(new Row(r, vector));
    }
    HnswIndex<Integer, float[], Row, Float> index = newIndex(dim, info.metric(), n,
        options.hnswM, options.hnswEfConstruction);
    int interval = Math.max(10_000, n / 10);
    long start = System.nanoTime();
    try {
      index.addAll(rows, info.buildThreads(),
          (done, max) -> Log.info("%s: %d of %d rows inserted", NAME, done, max), interval);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while building the HNSW index", e);
    }
    return new Built(index, Clock.secondsSince(start));
  }

  /** An empty index for up to {@code capacity} rows of {@code dim} floats. */
  static HnswIndex<Integer, float[], Row, Float> newIndex(int dim, Metric metric, int capacity,
      int m, int efConstruction) {
    return HnswIndex.newBuilder(dim, distance(metric), capacity)
        .withM(m)
        .withEfConstruction(efConstruction)
        .<Integer, Row>build();
  }

  private static DistanceFunction<float[], Float> distance(Metric metric) {
    return switch (metric) {
      case L2 -> DistanceFunctions.FLOAT_EUCLIDEAN_DISTANCE;
      case INNER_PRODUCT -> DistanceFunctions.FLOAT_INNER_PRODUCT;
      case COSINE -> DistanceFunctions.FLOAT_COSINE_DISTANCE;
    };
  }

  private static long[] ids(List<SearchResult<Row, Float>> results) {
    long[] ids = new long[results.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = results.get(i).item().row;
    }
    return ids;
  }

  /** A built index and the seconds {@code addAll} took. */
  private record Built(HnswIndex<Integer, float[], Row, Float> index, double seconds) {}

  /** One base row as hnswlib stores it: its row number (the id) and its own vector. */
  static final class Row implements Item<Integer, float[]> {
    private static final long serialVersionUID = 1L;

    private final int row;
    private final float[] vector;

    Row(int row, float[] vector) {
      this.row = row;
      this.vector = vector;
    }

    @Override
    public Integer id() {
      return row;
    }

    @Override
    public float[] vector() {
      return vector;
    }

    @Override
    public int dimensions() {
      return vector.length;
    }
  }
}
