package io.lakeann.spark;

import io.lakeann.core.witness.Witness;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The driver's memory of which executor holds which shard (reported by the tasks that searched
 * it), so the next join sends each shard's work back there. A location may be stale (the
 * executor left); Spark then runs the task elsewhere, which loads the shard there. Thread-safe.
 */
final class ShardLocations {
  private static final Map<Witness, String> WHERE = new ConcurrentHashMap<>();

  private ShardLocations() {}

  static List<String> of(Witness witness) {
    String where = witness == null ? null : WHERE.get(witness);
    return where == null ? List.of() : List.of(where);
  }

  static void record(Witness witness, String location) {
    WHERE.put(witness, location);
  }
}
