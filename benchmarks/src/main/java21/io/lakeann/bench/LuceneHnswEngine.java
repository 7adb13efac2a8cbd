package io.lakeann.bench;

import io.lakeann.core.Metric;
import io.lakeann.core.VectorSet;
import io.lakeann.iceberg.LocalFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene102.Lucene102HnswBinaryQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene103.Lucene103Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RescoreTopNQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;

/**
 * Lucene 10's HNSW ({@code lucene-core}) in one of its vector formats: float32, int7 scalar
 * quantized, or BBQ (binary quantized, Lucene's RaBitQ-like format). The base rows are indexed on
 * the build threads (one Lucene indexing thread each, so each builds its own segment's graph),
 * then force-merged to one segment with as many merge workers; the index lives in a temporary
 * directory, memory-mapped, and is deleted afterwards. Searched through an {@link IndexSearcher}
 * without an executor, so on the calling thread: {@link KnnFloatVectorQuery} asking for
 * {@code ef} candidates (at least k), the top k kept. The quantized formats score the graph walk
 * with their codes and Lucene does not re-rank them itself: their {@code ef} candidates are
 * rescored from the float32 vectors Lucene keeps beside the codes, by Lucene's own
 * {@link RescoreTopNQuery#createFullPrecisionRescorerQuery}, before the top k are kept.
 * Bytes per vector are the index files per row; for the quantized formats without the float32
 * file ({@code .vec}), which only the rescoring reads, and with it in parentheses.
 */
final class LuceneHnswEngine implements Engine {
  private static final String FIELD = "vector";
  private static final String ROW = "row";
  /** Lucene's RAM buffer: large enough that each indexing thread flushes one segment. */
  private static final double RAM_BUFFER_MB = 8192;

  /** A Lucene vector format the benchmark measures. */
  enum Format {
    FLOAT32("lucene-hnsw-float32", false),
    INT7("lucene-hnsw-int7", true),
    BBQ("lucene-hnsw-bbq", true);

    final String engine;
    final boolean quantized;

    Format(String engine, boolean quantized) {
      this.engine = engine;
      this.quantized = quantized;
    }
  }

  private final Format format;

  LuceneHnswEngine(Format format) {
    this.format = format;
  }

  @Override
  public void run(RunContext context, Consumer<ResultLine> sink) {
    CoreOptions options = context.options();
    int threads = context.info().buildThreads();
    String series = format.engine + " M=" + options.hnswM + ", beamWidth="
        + options.hnswEfConstruction + (format.quantized ? ", rescored" : "");
    Path dir = null;
    ExecutorService workers = Executors.newFixedThreadPool(threads);
    try {
      dir = Files.createTempDirectory("lakeann-bench-lucene-");
      Log.info("%s: indexing on %d threads, then merging to one segment with %d merge workers",
          format.engine, threads, threads);
      long start = System.nanoTime();
      try (FSDirectory directory = FSDirectory.open(dir)) {
        build(directory, context, workers);
        double seconds = Clock.secondsSince(start);
        Log.info("%s: built in %.2f s", format.engine, seconds);
        BuildStats build = sizes(dir, context.dataset().size(), seconds);
        try (DirectoryReader reader = DirectoryReader.open(directory)) {
          measure(reader, context, series, build, sink);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Lucene benchmark failed in " + dir + ": " + e.getMessage(),
          e);
    } finally {
      workers.shutdownNow();
      if (dir != null) {
        LocalFiles.deleteTree(dir);
      }
    }
  }

  private void build(FSDirectory directory, RunContext context, ExecutorService workers)
      throws IOException {
    CoreOptions options = context.options();
    int threads = context.info().buildThreads();
    KnnVectorsFormat vectors = switch (format) {
      case FLOAT32 -> new Lucene99HnswVectorsFormat(options.hnswM, options.hnswEfConstruction,
          threads, workers);
      case INT7 -> new Lucene99HnswScalarQuantizedVectorsFormat(options.hnswM,
          options.hnswEfConstruction, threads, 7, false, null, workers);
      case BBQ -> new Lucene102HnswBinaryQuantizedVectorsFormat(options.hnswM,
          options.hnswEfConstruction, threads, workers);
    };
    Codec codec = new Lucene103Codec() {
      @Override
      public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        return vectors;
      }
    };
    IndexWriterConfig config = new IndexWriterConfig()
        .setCodec(codec)
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
        .setRAMBufferSizeMB(RAM_BUFFER_MB)
        .setUseCompoundFile(false);
    VectorSet base = context.dataset().base();
    VectorSimilarityFunction similarity = similarity(context.info().metric());
    try (IndexWriter writer = new IndexWriter(directory, config)) {
      int n = base.size();
      List<Future<?>> parts = new ArrayList<>();
      ExecutorService indexers = Executors.newFixedThreadPool(threads);
      try {
        for (int t = 0; t < threads; t++) {
          int from = (int) ((long) n * t / threads);
          int to = (int) ((long) n * (t + 1) / threads);
          parts.add(indexers.submit(() -> {
            for (int r = from; r < to; r++) {
              Document doc = new Document();
              doc.add(new KnnFloatVectorField(FIELD, base.vector(r), similarity));
              doc.add(new NumericDocValuesField(ROW, r));
              writer.addDocument(doc);
            }
            return null;
          }));
        }
        for (Future<?> part : parts) {
          part.get();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while indexing into Lucene", e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("Lucene indexing failed: " + e.getCause(), e.getCause());
      } finally {
        indexers.shutdownNow();
      }
      writer.forceMerge(1);
      writer.commit();
    }
  }

  private void measure(DirectoryReader reader, RunContext context, String series,
      BuildStats build, Consumer<ResultLine> sink) throws IOException {
    if (reader.leaves().size() != 1) {
      throw new IllegalStateException("Lucene index has " + reader.leaves().size()
          + " segments after forceMerge(1); expected one");
    }
    int[] docToRow = docToRow(reader.leaves().get(0).reader());
    IndexSearcher searcher = new IndexSearcher(reader);
    searcher.setQueryCache(null);
    CoreOptions options = context.options();
    Params common = Params.of()
        .with("M", options.hnswM)
        .with("beamWidth", options.hnswEfConstruction);
    new EffortSweep(context, format.engine, series, "ef", common, build, kernels())
        .run(options.hnswEfs, ef -> (q, k) -> search(searcher, docToRow, q, k, ef), null, sink);
  }

  private long[] search(IndexSearcher searcher, int[] docToRow, float[] q, int k, int ef) {
    Query query = new KnnFloatVectorQuery(FIELD, q, Math.max(ef, k));
    if (format.quantized) {
      query = RescoreTopNQuery.createFullPrecisionRescorerQuery(query, q, FIELD, k);
    }
    try {
      TopDocs top = searcher.search(query, k);
      long[] ids = new long[top.scoreDocs.length];
      int i = 0;
      for (ScoreDoc hit : top.scoreDocs) {
        ids[i++] = docToRow[hit.doc];
      }
      return ids;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The base row of every document of the one segment, from its {@code row} doc values. */
  private static int[] docToRow(LeafReader leaf) throws IOException {
    int[] rows = new int[leaf.maxDoc()];
    NumericDocValues values = leaf.getNumericDocValues(ROW);
    for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS;
        doc = values.nextDoc()) {
      rows[doc] = (int) values.longValue();
    }
    return rows;
  }

  /** Index bytes per row: without the float32 file for the quantized formats (with it after). */
  private BuildStats sizes(Path dir, int rows, double seconds) throws IOException {
    long total = 0;
    long floats = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        long size = Files.size(file);
        total += size;
        if (file.getFileName().toString().endsWith(".vec")) {
          floats += size;
        }
      }
    }
    double all = (double) total / rows;
    return format.quantized
        ? new BuildStats(seconds, (double) (total - floats) / rows, all, Double.NaN)
        : new BuildStats(seconds, all, Double.NaN, Double.NaN);
  }

  private static VectorSimilarityFunction similarity(Metric metric) {
    return switch (metric) {
      case L2 -> VectorSimilarityFunction.EUCLIDEAN;
      case INNER_PRODUCT -> VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;
      case COSINE -> VectorSimilarityFunction.COSINE;
    };
  }

  /**
   * Lucene's vector code in this JVM. Lucene's provider cannot be asked from outside Lucene; on
   * Java 21+ it takes the Panama one exactly when the {@code jdk.incubator.vector} module is
   * present (it logs the choice on stderr).
   */
  static String kernels() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
        ? "Lucene Panama" : "Lucene scalar (no jdk.incubator.vector)";
  }
}
