package io.lakeann.spark.source;

import io.lakeann.core.witness.Witness;

/**
 * One shard of a path bundle as its manifest records it: the index built from one partition of
 * the DataFrame written. A partition with no vector has no file ({@code file} and
 * {@code witness} null, zero rows) but keeps its count of skipped null vectors. Immutable.
 *
 * @param shard the DataFrame partition it was built from
 * @param file its file name under the bundle's {@code shards/} folder, or null when empty
 * @param witness its rbpx witness, or null when empty
 * @param rows rows in its index
 * @param bytes the length of its file
 * @param skippedNulls rows of its partition skipped because their vector was null
 */
public record PathShard(int shard, String file, Witness witness, long rows, long bytes,
    long skippedNulls) implements java.io.Serializable {

  public PathShard {
    if ((file == null) != (witness == null)) {
      throw new IllegalArgumentException("shard " + shard + " must have both a file and a "
          + "witness, or neither");
    }
  }

  public boolean isEmpty() {
    return witness == null;
  }

  /** The file name of the shard built from {@code partition} with {@code witness}. */
  static String fileName(int partition, Witness witness) {
    return "shard-" + partition + "-" + witness + ".rbpx";
  }
}
