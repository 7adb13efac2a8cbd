package io.lakeann.iceberg;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows a filtered search may return, as live positions per data file (what a SQL predicate
 * on the base table selects in one snapshot). A data file it does not name contributes no row.
 * Immutable and serializable.
 */
public final class AllowedRows implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final Map<String, long[]> positions;

  private AllowedRows(Map<String, long[]> positions) {
    this.positions = positions;
  }

  /** {@code positions}: for each data file location, its allowed row positions (any order). */
  public static AllowedRows of(Map<String, long[]> positions) {
    Map<String, long[]> sorted = new HashMap<>();
    positions.forEach((file, pos) -> {
      long[] copy = pos.clone();
      Arrays.sort(copy);
      sorted.put(file, copy);
    });
    return new AllowedRows(sorted);
  }

  /** Whether any row of {@code files} is allowed (a shard with none need not be searched). */
  public boolean touches(List<DataFileRef> files) {
    for (DataFileRef file : files) {
      if (positions.containsKey(file.location())) {
        return true;
      }
    }
    return false;
  }

  /** Whether the row at {@code position} of data file {@code file} is allowed. */
  boolean allows(String file, long position) {
    long[] allowed = positions.get(file);
    return allowed != null && Arrays.binarySearch(allowed, position) >= 0;
  }

  /**
   * The rows of a set read file by file — {@code files[f]} gave {@code rowsPerFile[f]} rows at
   * {@code positions} — that are allowed.
   */
  BitSet rowsOf(List<String> files, int[] rowsPerFile, long[] rowPositions) {
    BitSet out = new BitSet(rowPositions.length);
    int row = 0;
    for (int f = 0; f < files.size(); f++) {
      long[] allowed = positions.get(files.get(f));
      for (int i = 0; i < rowsPerFile[f]; i++, row++) {
        if (allowed != null && Arrays.binarySearch(allowed, rowPositions[row]) >= 0) {
          out.set(row);
        }
      }
    }
    return out;
  }
}
