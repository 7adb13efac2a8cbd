package io.lakeann.iceberg;

import io.lakeann.core.VectorSet;
import java.util.List;

/**
 * The live rows of one shard, read from its data files in shard order (files in plan order, rows
 * by position), with where each came from: row {@code r} is at {@code positions[r]} of the data
 * file it belongs to, and the files hold {@code rowsPerFile[f]} rows each, in order. For string
 * ids, {@code ids[r] == r} and {@code stringIds[r]} is the id. Immutable once read.
 *
 * @param binding the columns read
 * @param dim the vector dimension (0 when no row had a vector)
 * @param ids the index id of each row
 * @param stringIds the string ids, or null unless the id column is a string
 * @param vectors the vectors, row-major
 * @param files the data files read, with the deletes that applied
 * @param rowsPerFile live, non-null rows taken from each file
 * @param positions the position of each row in its data file
 * @param nullsPerFile live rows of each file skipped because their vector was null
 * @param nullPositions their positions, file by file
 */
public record ShardRows(ColumnBinding binding, int dim, long[] ids, String[] stringIds,
    float[] vectors, List<DataFileRef> files, int[] rowsPerFile, long[] positions,
    int[] nullsPerFile, long[] nullPositions) {

  public int size() {
    return ids.length;
  }

  /**
   * The bytes its arrays occupy (string ids at two bytes a character plus a reference and a
   * header each), for a cache's budget.
   */
  public long bytes() {
    long bytes = 4L * vectors.length + 8L * (ids.length + positions.length + nullPositions.length)
        + 4L * (rowsPerFile.length + nullsPerFile.length);
    if (stringIds != null) {
      for (String id : stringIds) {
        bytes += 56 + 2L * id.length();
      }
    }
    return bytes;
  }

  /**
   * A 64-bit fingerprint of row {@code r}'s id and vector bits: what tells, on a table without
   * row lineage, that a row a rewrite copied is one the index holds. Equal rows give equal
   * fingerprints wherever they are read.
   */
  public long fingerprint(int r) {
    long h = 0xcbf29ce484222325L;
    if (stringIds != null) {
      String id = stringIds[r];
      for (int i = 0; i < id.length(); i++) {
        h = (h ^ id.charAt(i)) * 0x100000001b3L;
      }
      h = (h ^ id.length()) * 0x100000001b3L;
    } else {
      h = (h ^ ids[r]) * 0x100000001b3L;
    }
    for (int i = r * dim, end = i + dim; i < end; i++) {
      h = (h ^ Float.floatToRawIntBits(vectors[i])) * 0x100000001b3L;
    }
    // Murmur3's finaliser, so that nearby inputs spread over all 64 bits.
    h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL;
    h = (h ^ (h >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return h ^ (h >>> 33);
  }

  /** Rows skipped because their vector was null. */
  public long skippedNulls() {
    return nullPositions.length;
  }

  /** The rows as a vector set for the index builder, named after their table and column. */
  public VectorSet toVectorSet() {
    return VectorSet.of(binding.describe(), ids, vectors, dim);
  }
}
