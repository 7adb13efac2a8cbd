package io.lakeann.sql;

import io.lakeann.core.DimensionMismatchException;
import io.lakeann.core.IndexConfig;
import io.lakeann.core.LakeAnnException;
import io.lakeann.core.RabitqIndex;
import io.lakeann.core.VectorSet;
import io.lakeann.core.format.RbpxWriter;
import io.lakeann.iceberg.LocalFiles;
import io.lakeann.spark.ExecutorSide;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The rows of one {@code lakeann_index} group: ids and vectors as they arrive (flat primitive
 * arrays, no boxing), rows with a NULL vector counted and skipped. {@link #build} turns them
 * into one verified rbpx index, built in id order so the same rows give the same bytes in any
 * order and partitioning. Mutable; one per aggregation buffer.
 */
public final class IndexRows {
  static final String FUNCTION = "lakeann_index";

  private long[] ids = new long[16];
  private float[] data = new float[0];
  private int dim = -1;
  private int size;
  private long skippedNulls;

  public void skipNull() {
    skippedNulls++;
  }

  /** Adds one row; refuses a vector of another dimension than the group's first. */
  public void add(long id, float[] vector) {
    if (dim < 0) {
      dim = vector.length;
      data = new float[16 * Math.max(dim, 1)];
    }
    if (vector.length != dim) {
      throw new DimensionMismatchException(String.format(Locale.ROOT,
          "%s: the vector of id %d has %d elements but the group's first vector has %d; all "
              + "vectors of one index must have one dimension", FUNCTION, id, vector.length,
          dim));
    }
    if (size == ids.length) {
      ids = Arrays.copyOf(ids, Math.multiplyExact(size, 2));
      data = Arrays.copyOf(data, Math.multiplyExact(data.length, 2));
    }
    ids[size] = id;
    System.arraycopy(vector, 0, data, size * dim, dim);
    size++;
  }

  public void merge(IndexRows other) {
    skippedNulls += other.skippedNulls;
    float[] v = new float[Math.max(other.dim, 0)];
    for (int r = 0; r < other.size; r++) {
      System.arraycopy(other.data, r * other.dim, v, 0, other.dim);
      add(other.ids[r], v);
    }
  }

  /**
   * The rbpx bytes of the index over these rows, or null when the group has no vector. The
   * source identity records the function, the row count and the NULL vectors skipped.
   */
  public byte[] build(IndexConfig config) {
    if (size == 0) {
      return null;
    }
    Integer[] order = new Integer[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(ids[a], ids[b]));
    VectorSet.Builder rows = VectorSet.builder(FUNCTION, dim);
    float[] v = new float[dim];
    for (int i : order) {
      System.arraycopy(data, i * dim, v, 0, dim);
      rows.add(ids[i], v);
    }
    RabitqIndex index = RabitqIndex.build(rows.build(),
        config.toBuilder().threads(ExecutorSide.taskThreads()).build());
    byte[] identity = String.format(Locale.ROOT, "%s rows=%d skipped_null_vectors=%d",
        FUNCTION, size, skippedNulls).getBytes(StandardCharsets.UTF_8);
    Path dir = LocalFiles.tempDir("lakeann-index-");
    try {
      Path file = dir.resolve("index.rbpx");
      RbpxWriter.write(file, index, identity, null, List.of());
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (LakeAnnException e) {
      throw new LakeAnnException(FUNCTION + ": " + e.getMessage(), e);
    } finally {
      LocalFiles.deleteTree(dir);
    }
  }

  /** skipped nulls, dim, size, then ids and vectors. */
  public byte[] serialize() {
    int d = Math.max(dim, 0);
    ByteBuffer b = ByteBuffer.allocate(Math.addExact(16,
        Math.multiplyExact(size, 8 + 4 * d)));
    b.putLong(skippedNulls).putInt(dim).putInt(size);
    for (int r = 0; r < size; r++) {
      b.putLong(ids[r]);
    }
    for (int i = 0; i < size * d; i++) {
      b.putFloat(data[i]);
    }
    return b.array();
  }

  public static IndexRows deserialize(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    IndexRows out = new IndexRows();
    out.skippedNulls = b.getLong();
    out.dim = b.getInt();
    out.size = b.getInt();
    out.ids = new long[Math.max(out.size, 16)];
    for (int r = 0; r < out.size; r++) {
      out.ids[r] = b.getLong();
    }
    int d = Math.max(out.dim, 0);
    out.data = new float[Math.max(out.size, 16) * Math.max(d, 1)];
    for (int i = 0; i < out.size * d; i++) {
      out.data[i] = b.getFloat();
    }
    return out;
  }
}
