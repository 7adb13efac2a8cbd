package io.lakeann.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.InvalidVectorException;
import io.lakeann.core.LakeAnnException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link VecsFiles} reads what the TEXMEX format defines (little-endian int32 dimension, then that
 * many values, per record) and refuses anything else with a message naming the file.
 */
class VecsFilesTest {
  @TempDir
  Path dir;

  @Test
  void fvecsRoundTripsEveryFloatBitForBit() throws IOException {
    float[][] rows = {
        {1.5f, -2f, 0f},
        {Float.MIN_VALUE, -0f, Float.MAX_VALUE},
        {3.25f, 1e-30f, -7f}};
    Path file = dir.resolve("base.fvecs");
    Files.write(file, fvecs(rows));
    VecsFiles.Floats read = VecsFiles.readFvecs(file);
    assertEquals(3, read.dim);
    assertEquals(3, read.count());
    for (int r = 0; r < rows.length; r++) {
      for (int d = 0; d < 3; d++) {
        assertEquals(Float.floatToRawIntBits(rows[r][d]),
            Float.floatToRawIntBits(read.data[r * 3 + d]), "record " + r + " component " + d);
      }
    }
  }

  @Test
  void ivecsRoundTripsEveryInt() throws IOException {
    int[][] rows = {{7, 0, -1, Integer.MAX_VALUE}, {Integer.MIN_VALUE, 3, 2, 1}};
    Path file = dir.resolve("gt.ivecs");
    Files.write(file, ivecs(rows));
    assertArrayEquals(rows, VecsFiles.readIvecs(file));
  }

  @Test
  void singleDimensionRecordsAreRead() throws IOException {
    Path file = dir.resolve("one.fvecs");
    Files.write(file, fvecs(new float[][] {{4f}, {5f}}));
    VecsFiles.Floats read = VecsFiles.readFvecs(file);
    assertEquals(1, read.dim);
    assertArrayEquals(new float[] {4f, 5f}, read.data);
  }

  @Test
  void truncatedFileIsRefusedNamingTheFileTheRecordAndItsSize() throws IOException {
    byte[] whole = fvecs(new float[][] {{1, 2, 3}, {4, 5, 6}});
    Path file = dir.resolve("cut.fvecs");
    Files.write(file, Arrays.copyOf(whole, whole.length - 2));
    InvalidVectorException e = assertThrows(InvalidVectorException.class,
        () -> VecsFiles.readFvecs(file));
    assertContains(e, file.toString(), "record 1 (at byte 16) is truncated", "ends at byte 30");
  }

  @Test
  void recordWithAnotherDimensionIsRefusedNamingFileAndRecord() throws IOException {
    // Dimensions 2, 3, 1 take 12 + 16 + 8 = 36 bytes, three whole 12-byte records of
    // dimension 2, so only the per-record check can catch record 1.
    ByteBuffer b = le(36);
    b.putInt(2).putFloat(1).putFloat(2);
    b.putInt(3).putFloat(1).putFloat(2).putFloat(3);
    b.putInt(1).putFloat(1);
    Path file = dir.resolve("mixed.fvecs");
    Files.write(file, b.array());
    InvalidVectorException e = assertThrows(InvalidVectorException.class,
        () -> VecsFiles.readFvecs(file));
    assertContains(e, file.toString(), "record 1 (at byte 12) has dimension 3", "record 0 has 2");
    Path ints = dir.resolve("mixed.ivecs");
    Files.write(ints, b.array());
    assertContains(assertThrows(InvalidVectorException.class, () -> VecsFiles.readIvecs(ints)),
        ints.toString(), "has dimension 3");
  }

  @Test
  void recordWithAnotherDimensionIsNamedEvenWhenTheLengthsDoNotAddUp() throws IOException {
    // The common case of a mixed file: 20 + 16 = 36 bytes is no whole number of 20-byte
    // records. The class promises such a file "is refused with the record number".
    Path file = Files.write(dir.resolve("mixed2.fvecs"),
        concat(fvecs(new float[][] {{1, 2, 3, 4}}), fvecs(new float[][] {{1, 2, 3}})));
    InvalidVectorException e = assertThrows(InvalidVectorException.class,
        () -> VecsFiles.readFvecs(file));
    assertContains(e, file.toString(), "record 1");
  }

  @Test
  void emptyFileIsRefusedNamingTheFile() throws IOException {
    Path file = Files.write(dir.resolve("empty.fvecs"), new byte[0]);
    assertContains(assertThrows(InvalidVectorException.class, () -> VecsFiles.readFvecs(file)),
        file.toString(), "empty or truncated");
    assertContains(assertThrows(InvalidVectorException.class, () -> VecsFiles.readIvecs(file)),
        file.toString());
  }

  @Test
  void implausibleFirstDimensionIsRefusedAsNotAVecsFile() throws IOException {
    for (int dim : new int[] {0, -4, (1 << 16) + 1}) {
      ByteBuffer b = le(8).putInt(dim).putInt(0);
      Path file = Files.write(dir.resolve("bad" + dim + ".fvecs"), b.array());
      assertContains(assertThrows(InvalidVectorException.class, () -> VecsFiles.readFvecs(file)),
          file.toString(), "record 0 declares dimension " + dim);
    }
  }

  @Test
  void missingFileIsALakeAnnExceptionNamingIt() {
    Path file = dir.resolve("absent.fvecs");
    assertContains(assertThrows(LakeAnnException.class, () -> VecsFiles.readFvecs(file)),
        "Cannot read", file.toString());
  }

  // ---- writing the format, independently of the reader ----

  private static byte[] fvecs(float[][] rows) {
    int dim = rows[0].length;
    ByteBuffer b = le(rows.length * (4 + 4 * dim));
    for (float[] row : rows) {
      b.putInt(row.length);
      for (float v : row) {
        b.putFloat(v);
      }
    }
    return b.array();
  }

  private static byte[] ivecs(int[][] rows) {
    int dim = rows[0].length;
    ByteBuffer b = le(rows.length * (4 + 4 * dim));
    for (int[] row : rows) {
      b.putInt(row.length);
      for (int v : row) {
        b.putInt(v);
      }
    }
    return b.array();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static ByteBuffer le(int bytes) {
    return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void assertContains(Exception e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part),
          () -> "message lacks \"" + part + "\": " + e.getMessage());
    }
  }
}
