package io.lakeann.bench;

import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.ListRandomAccessVectorValues;
import io.github.jbellis.jvector.graph.OnHeapGraphIndex;
import io.github.jbellis.jvector.graph.RandomAccessVectorValues;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.graph.similarity.BuildScoreProvider;
import io.github.jbellis.jvector.graph.similarity.SearchScoreProvider;
import io.github.jbellis.jvector.util.Bits;
import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;
import io.lakeann.core.Metric;
import io.lakeann.core.VectorSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;

/**
 * jvector's in-memory graph index (Vamana-style, one layer) over float32 vectors: built with
 * {@link GraphIndexBuilder} on a pool of the build threads, searched with a {@link GraphSearcher}
 * on the calling thread scoring exactly against the float32 vectors, over a sweep of
 * {@code rerankK} (the candidates the search keeps; the top k are returned). Bytes per vector:
 * the graph's own count of its memory per row plus the float32 vector it searches.
 */
final class JvectorEngine implements Engine {
  static final String NAME = "jvector";
  /** jvector's defaults for how far a node's neighbour list may overflow and its pruning. */
  private static final float NEIGHBOR_OVERFLOW = 1.2f;
  private static final float ALPHA = 1.2f;

  @Override
  public void run(RunContext context, Consumer<ResultLine> sink) {
    CoreOptions options = context.options();
    VectorSet base = context.dataset().base();
    int dim = base.dim();
    VectorTypeSupport types = VectorizationProvider.getInstance().getVectorTypeSupport();
    List<VectorFloat<?>> vectors = new ArrayList<>(base.size());
    for (int r = 0; r < base.size(); r++) {
      vectors.add(types.createFloatVector(base.vector(r)));
    }
    RandomAccessVectorValues values = new ListRandomAccessVectorValues(vectors, dim);
    VectorSimilarityFunction similarity = similarity(context.info().metric());
    int threads = context.info().buildThreads();
    String series = NAME + " degree=" + options.jvectorDegree + ", beamWidth="
        + options.jvectorBeamWidth;
    Log.info("%s: building %s on %d threads", NAME, series, threads);
    ForkJoinPool pool = new ForkJoinPool(threads);
    try {
      long start = System.nanoTime();
      OnHeapGraphIndex graph;
      try (GraphIndexBuilder builder = new GraphIndexBuilder(
          BuildScoreProvider.randomAccessScoreProvider(values, similarity), dim,
          options.jvectorDegree, options.jvectorBeamWidth, NEIGHBOR_OVERFLOW, ALPHA, pool,
          pool)) {
        graph = builder.build(values);
      }
      double seconds = Clock.secondsSince(start);
      Log.info("%s: built in %.2f s", NAME, seconds);
      double bytes = (double) graph.ramBytesUsed() / base.size() + (double) dim * Float.BYTES;
      BuildStats build = new BuildStats(seconds, bytes, Double.NaN, Double.NaN);
      Params common = Params.of()
          .with("degree", options.jvectorDegree)
          .with("beamWidth", options.jvectorBeamWidth);
      try (GraphSearcher searcher = new GraphSearcher(graph)) {
        new EffortSweep(context, NAME, series, "rerankK", common, build, kernels())
            .run(options.hnswEfs, rerankK -> (q, k) -> {
              SearchScoreProvider scores = SearchScoreProvider.exact(
                  types.createFloatVector(q), similarity, values);
              SearchResult result = searcher.search(scores, k, Math.max(rerankK, k), 0f, 0f,
                  Bits.ALL);
              SearchResult.NodeScore[] nodes = result.getNodes();
              long[] ids = new long[nodes.length];
              for (int i = 0; i < nodes.length; i++) {
                ids[i] = nodes[i].node;
              }
              return ids;
            }, null, sink);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("jvector failed: " + e.getMessage(), e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static VectorSimilarityFunction similarity(Metric metric) {
    return switch (metric) {
      case L2 -> VectorSimilarityFunction.EUCLIDEAN;
      case INNER_PRODUCT -> VectorSimilarityFunction.DOT_PRODUCT;
      case COSINE -> VectorSimilarityFunction.COSINE;
    };
  }

  /** jvector's vectorization provider in this JVM: Panama (SIMD), native or the default. */
  static String kernels() {
    return "jvector " + VectorizationProvider.getInstance().getClass().getSimpleName();
  }
}
