package io.lakeann.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The engines of {@code benchmarks/run core}, by the names {@code --engines} takes, in run order,
 * each with the row cap above which it is skipped. The graph peers that need Java 21+ (Lucene 10's
 * HNSW in three formats and jvector) live in {@code src/main/java21}, which only the
 * {@code jdk21-peers} Maven profile compiles (it is on when Maven runs on JDK 21+); they are
 * looked up here by class name, and when they cannot run the reason is returned, for the log and
 * the report. Stateless.
 */
final class CoreEngines {
  static final String EXACT = "exact";
  static final String LAKEANN = "lakeann";
  static final String LAKEANN_BATCH = "lakeann-batch";
  static final String HNSWLIB = "hnswlib";
  static final String LUCENE_FLOAT32 = "lucene-float32";
  static final String LUCENE_INT7 = "lucene-int7";
  static final String LUCENE_BBQ = "lucene-bbq";
  static final String JVECTOR = "jvector";
  /** The Java release the peers' class files and libraries need. */
  static final int PEERS_JAVA = 21;
  /** The class in {@code src/main/java21} that lists the peers. */
  static final String PEERS_CLASS = "io.lakeann.bench.Jdk21Peers";

  private CoreEngines() {}

  /**
   * One engine to run: its {@code --engines} name, the flag that caps its rows and the cap (no
   * flag and {@link Long#MAX_VALUE} for engines without one), and how to make it.
   */
  record Slot(String name, String capFlag, long maxRows, Supplier<Engine> engine) {
    /** Why this engine is skipped on {@code rows} base rows, or null when it runs. */
    String capReason(int rows) {
      return rows <= maxRows ? null : String.format(Locale.ROOT, "the base has %,d rows, more"
          + " than %s %,d", rows, capFlag, maxRows);
    }
  }

  /** The peers of {@link #PEERS_CLASS}, made by its public no-argument constructor. */
  interface PeerSet {
    List<Slot> slots(CoreOptions options);
  }

  /**
   * Every engine of a run in order, and why the Java 21+ peers are missing from it (null when
   * they are there).
   */
  record Lineup(List<Slot> slots, String peersAbsent) {}

  static Lineup lineup(CoreOptions options) {
    List<Slot> slots = new ArrayList<>();
    slots.add(new Slot(EXACT, null, Long.MAX_VALUE, ExactEngine::new));
    slots.add(new Slot(LAKEANN, null, Long.MAX_VALUE, LakeannEngine::new));
    slots.add(new Slot(LAKEANN_BATCH, null, Long.MAX_VALUE, LakeannBatchEngine::new));
    slots.add(new Slot(HNSWLIB, "--max-hnsw-n", options.maxHnswN, HnswEngine::new));
    String absent = null;
    int java = Runtime.version().feature();
    if (java < PEERS_JAVA) {
      absent = String.format(Locale.ROOT, "this JVM is Java %d and the Lucene 10 and jvector"
          + " peers need Java %d+; run JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64"
          + " benchmarks/run core ... for them", java, PEERS_JAVA);
    } else {
      try {
        PeerSet peers = (PeerSet) Class.forName(PEERS_CLASS).getDeclaredConstructor()
            .newInstance();
        slots.addAll(peers.slots(options));
      } catch (ClassNotFoundException e) {
        absent = "the benchmark jar was built without them (Maven ran on a JDK older than "
            + PEERS_JAVA + ", so the jdk21-peers profile was off); benchmarks/run rebuilds it"
            + " with the JDK it runs on";
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("Cannot make the Java " + PEERS_JAVA + " peers of "
            + PEERS_CLASS + ": " + e, e);
      }
    }
    return new Lineup(List.copyOf(slots), absent);
  }
}
