package io.lakeann.bench;

import java.util.List;

/**
 * The graph-index peers that need Java 21+, for {@link CoreEngines}: Lucene 10's HNSW in its
 * float32, int7 and BBQ formats, then jvector. Compiled only by the {@code jdk21-peers} profile;
 * {@link CoreEngines} finds this class by name.
 */
public final class Jdk21Peers implements CoreEngines.PeerSet {
  @Override
  public List<CoreEngines.Slot> slots(CoreOptions options) {
    return List.of(
        lucene(CoreEngines.LUCENE_FLOAT32, LuceneHnswEngine.Format.FLOAT32, options),
        lucene(CoreEngines.LUCENE_INT7, LuceneHnswEngine.Format.INT7, options),
        lucene(CoreEngines.LUCENE_BBQ, LuceneHnswEngine.Format.BBQ, options),
        new CoreEngines.Slot(CoreEngines.JVECTOR, "--max-jvector-n", options.maxJvectorN,
            JvectorEngine::new));
  }

  private static CoreEngines.Slot lucene(String name, LuceneHnswEngine.Format format,
      CoreOptions options) {
    return new CoreEngines.Slot(name, "--max-lucene-n", options.maxLuceneN,
        () -> new LuceneHnswEngine(format));
  }
}
