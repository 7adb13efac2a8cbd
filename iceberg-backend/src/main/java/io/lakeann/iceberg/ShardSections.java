package io.lakeann.iceberg;

import io.lakeann.core.format.CorruptBundleException;
import io.lakeann.core.format.RawSection;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The two rbpx sections this layer adds to a shard (codes from 1024 up are reserved for layers
 * above index-core; index-core keeps them byte for byte). Both are covered by the section hashes
 * and so by the witness.
 * <ul>
 *   <li>{@link #ROW_SOURCES} (1024): u32 file count F, F × u32 rows taken from each file, then
 *       n × u64 the row's position in its data file, rows in build order.</li>
 *   <li>{@link #STRING_IDS} (1025, string id columns only): u32 n, then per row u32 length and
 *       that many UTF-8 bytes; row {@code r}'s index id is {@code r}.</li>
 * </ul>
 *
 * @param rowsPerFile rows of the shard from each of its files, in order
 * @param positions each row's position in its data file
 * @param stringIds each row's string id, or null for numeric ids
 */
public record ShardSections(int[] rowsPerFile, long[] positions, String[] stringIds) {
  public static final int ROW_SOURCES = 1024;
  public static final int STRING_IDS = 1025;

  public static ShardSections of(ShardRows rows) {
    return new ShardSections(rows.rowsPerFile(), rows.positions(), rows.stringIds());
  }

  /** The sections to write. */
  public List<RawSection> encode() {
    List<RawSection> out = new ArrayList<>(2);
    ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(
        4 + 4L * rowsPerFile.length + 8L * positions.length)).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(rowsPerFile.length);
    for (int count : rowsPerFile) {
      b.putInt(count);
    }
    for (long pos : positions) {
      b.putLong(pos);
    }
    out.add(new RawSection(ROW_SOURCES, b.array()));
    if (stringIds != null) {
      byte[][] utf8 = new byte[stringIds.length][];
      long length = 4;
      for (int i = 0; i < utf8.length; i++) {
        utf8[i] = stringIds[i].getBytes(StandardCharsets.UTF_8);
        length += 4 + utf8[i].length;
      }
      ByteBuffer s = ByteBuffer.allocate(Math.toIntExact(length)).order(ByteOrder.LITTLE_ENDIAN);
      s.putInt(utf8.length);
      for (byte[] id : utf8) {
        s.putInt(id.length).put(id);
      }
      out.add(new RawSection(STRING_IDS, s.array()));
    }
    return out;
  }

  /**
   * Reads the sections of a shard of {@code rows} rows from {@code sections}.
   *
   * @param stringIds whether the shard must have string ids
   * @throws CorruptBundleException if a section is missing or malformed
   */
  public static ShardSections decode(Path file, List<RawSection> sections, int rows,
      boolean stringIds) {
    byte[] sources = find(sections, ROW_SOURCES);
    require(file, sources != null, "has no row-sources section; it was not written by the "
        + "lakeann Iceberg layer");
    ByteBuffer b = ByteBuffer.wrap(sources).order(ByteOrder.LITTLE_ENDIAN);
    require(file, sources.length >= 4, "row-sources section is truncated");
    int files = b.getInt();
    require(file, files >= 0 && sources.length == 4 + 4L * files + 8L * rows,
        "row-sources section of %d bytes does not fit %d files and %d rows", sources.length,
        files, rows);
    int[] rowsPerFile = new int[files];
    long total = 0;
    for (int f = 0; f < files; f++) {
      rowsPerFile[f] = b.getInt();
      total += rowsPerFile[f];
      require(file, rowsPerFile[f] >= 0, "negative row count for file %d", f);
    }
    require(file, total == rows, "row-sources section counts %d rows, the index has %d", total,
        rows);
    long[] positions = new long[rows];
    b.asLongBuffer().get(positions);
    String[] ids = null;
    byte[] strings = find(sections, STRING_IDS);
    require(file, (strings != null) == stringIds, stringIds
        ? "has no string-ids section but its id column is a string"
        : "has a string-ids section but its id column is numeric");
    if (strings != null) {
      ids = decodeStrings(file, strings, rows);
    }
    return new ShardSections(rowsPerFile, positions, ids);
  }

  private static String[] decodeStrings(Path file, byte[] bytes, int rows) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    require(file, bytes.length >= 4 && b.getInt() == rows,
        "string-ids section does not hold %d ids", rows);
    String[] ids = new String[rows];
    for (int r = 0; r < rows; r++) {
      require(file, b.remaining() >= 4, "string-ids section is truncated at row %d", r);
      int length = b.getInt();
      require(file, length >= 0 && length <= b.remaining(),
          "string-ids section: id %d has a bad length %d", r, length);
      ids[r] = new String(bytes, b.position(), length, StandardCharsets.UTF_8);
      b.position(b.position() + length);
    }
    require(file, !b.hasRemaining(), "string-ids section has %d trailing bytes", b.remaining());
    return ids;
  }

  private static byte[] find(List<RawSection> sections, int code) {
    for (RawSection s : sections) {
      if (s.code() == code) {
        return s.bytes();
      }
    }
    return null;
  }

  private static void require(Path file, boolean ok, String format, Object... args) {
    if (!ok) {
      throw new CorruptBundleException(file,
          String.format(java.util.Locale.ROOT, format, args));
    }
  }

  /** The row of the shard at {@code position} in file {@code fileIndex}, or -1. */
  public int rowOf(int fileIndex, long position) {
    int start = 0;
    for (int f = 0; f < fileIndex; f++) {
      start += rowsPerFile[f];
    }
    int found = java.util.Arrays.binarySearch(positions, start, start + rowsPerFile[fileIndex],
        position);
    return found >= 0 ? found : -1;
  }

  /** The first row of file {@code fileIndex}. */
  public int firstRow(int fileIndex) {
    int start = 0;
    for (int f = 0; f < fileIndex; f++) {
      start += rowsPerFile[f];
    }
    return start;
  }
}
