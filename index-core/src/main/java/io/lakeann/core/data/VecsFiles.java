package io.lakeann.core.data;

import io.lakeann.core.InvalidVectorException;
import io.lakeann.core.LakeAnnException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Reads the TEXMEX {@code .fvecs} / {@code .ivecs} formats: each record is a little-endian int32
 * dimension d followed by d float32 (fvecs) or int32 (ivecs) values. Every record must have the
 * dimension of the first; a file that does not is refused with the record number.
 */
public final class VecsFiles {
  private VecsFiles() {}

  /** Vectors of an fvecs file, row-major, with their dimension. */
  public static final class Floats {
    public final int dim;
    public final float[] data;

    Floats(int dim, float[] data) {
      this.dim = dim;
      this.data = data;
    }

    public int count() {
      return data.length / dim;
    }
  }

  public static Floats readFvecs(Path file) {
    ByteBuffer buf = readAll(file);
    int dim = firstDim(buf, file);
    int records = recordCount(buf, dim, file);
    float[] data = new float[Math.multiplyExact(records, dim)];
    for (int r = 0; r < records; r++) {
      buf.getInt(); // the dimension, checked by recordCount
      for (int d = 0; d < dim; d++) {
        data[r * dim + d] = buf.getFloat();
      }
    }
    return new Floats(dim, data);
  }

  /** Rows of an ivecs file (e.g. ground-truth neighbour lists). */
  public static int[][] readIvecs(Path file) {
    ByteBuffer buf = readAll(file);
    int dim = firstDim(buf, file);
    int records = recordCount(buf, dim, file);
    int[][] rows = new int[records][dim];
    for (int r = 0; r < records; r++) {
      buf.getInt(); // the dimension, checked by recordCount
      for (int d = 0; d < dim; d++) {
        rows[r][d] = buf.getInt();
      }
    }
    return rows;
  }

  private static ByteBuffer readAll(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > Integer.MAX_VALUE) {
        throw new LakeAnnException(file + ": " + size + " bytes is too large to read at once; "
            + "split the file");
      }
      ByteBuffer buf = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
      while (buf.hasRemaining()) {
        if (ch.read(buf) < 0) {
          throw new LakeAnnException(file + ": file shrank while being read");
        }
      }
      return buf.flip();
    } catch (IOException e) {
      throw new LakeAnnException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static int firstDim(ByteBuffer buf, Path file) {
    if (buf.remaining() < 4) {
      throw new InvalidVectorException(file + ": empty or truncated vecs file");
    }
    int dim = buf.getInt(0);
    if (dim <= 0 || dim > 1 << 16) {
      throw new InvalidVectorException(String.format(Locale.ROOT,
          "%s: record 0 declares dimension %d (must be 1..65536); is this a vecs file?",
          file, dim));
    }
    return dim;
  }

  /**
   * Walks every record header: each must declare {@code dim} and be complete. Returns the number
   * of records; the buffer position is left unchanged.
   */
  private static int recordCount(ByteBuffer buf, int dim, Path file) {
    long recordBytes = 4L + 4L * dim;
    int records = 0;
    for (long pos = 0; pos < buf.limit(); pos += recordBytes, records++) {
      if (pos + 4 > buf.limit()) {
        throw truncated(file, records, pos, buf.limit());
      }
      int d = buf.getInt((int) pos);
      if (d != dim) {
        throw new InvalidVectorException(String.format(Locale.ROOT,
            "%s: record %d (at byte %d) has dimension %d but record 0 has %d", file, records,
            pos, d, dim));
      }
      if (pos + recordBytes > buf.limit()) {
        throw truncated(file, records, pos, buf.limit());
      }
    }
    return records;
  }

  private static InvalidVectorException truncated(Path file, int record, long pos, int size) {
    return new InvalidVectorException(String.format(Locale.ROOT,
        "%s: record %d (at byte %d) is truncated: the file ends at byte %d; the file is "
            + "incomplete, copy it again", file, record, pos, size));
  }

}
