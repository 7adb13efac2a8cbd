package io.lakeann.iceberg;

import io.lakeann.core.format.CorruptRbpxException;
import io.lakeann.core.format.RawSection;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
 *   <li>{@link #NULL_ROWS} (1026): u32 file count F, F × u32 live rows of each file skipped for a
 *       null vector, then their positions (u64), file by file. With these, a later snapshot's
 *       live positions alone tell deleted rows from revived ones, without reading vectors.</li>
 *   <li>{@link #ROW_LINEAGE} (1027, tables with row lineage only): u32 n, then n × u64 each
 *       row's {@code _row_id}, then n × u64 its {@code _last_updated_sequence_number}. With
 *       these, rows a rewrite copied into new files are found there ({@link RowLineage}).</li>
 *   <li>{@link #ROW_FINGERPRINTS} (1028): u32 n, then n × u64 each row's {@link
 *       ShardRows#fingerprint}, with which rows a rewrite copied are recognised in the files
 *       that replaced the shard's when the bundle cannot use lineage.</li>
 * </ul>
 *
 * @param rowsPerFile rows of the shard from each of its files, in order
 * @param positions each row's position in its data file
 * @param stringIds each row's string id, or null for numeric ids
 * @param nullsPerFile live rows of each file skipped for a null vector
 * @param nullPositions their positions, file by file
 * @param rowIds each row's {@code _row_id}, or null when the shard has no lineage
 * @param lastUpdated each row's {@code _last_updated_sequence_number}, or null likewise
 * @param fingerprints each row's fingerprint, or null for a shard written before they were
 */
public record ShardSections(int[] rowsPerFile, long[] positions, String[] stringIds,
    int[] nullsPerFile, long[] nullPositions, long[] rowIds, long[] lastUpdated,
    long[] fingerprints) {
  public static final int ROW_SOURCES = 1024;
  public static final int STRING_IDS = 1025;
  public static final int NULL_ROWS = 1026;
  public static final int ROW_LINEAGE = 1027;
  public static final int ROW_FINGERPRINTS = 1028;

  /**
   * The sections of {@code rows}, with each row's fingerprint, and with its row lineage
   * ({@link RowLineage#read} of each of its files, in order) unless {@code lineage} is null.
   *
   * @throws IllegalStateException if the lineage read does not hold a row the rows hold
   */
  public static ShardSections of(ShardRows rows, List<RowLineage.Rows> lineage) {
    long[] rowIds = null;
    long[] lastUpdated = null;
    long[] fingerprints = new long[rows.size()];
    for (int r = 0; r < fingerprints.length; r++) {
      fingerprints[r] = rows.fingerprint(r);
    }
    if (lineage != null) {
      // Lineage only with unique row ids, as Iceberg assigns them: a search relies on that.
      rowIds = new long[rows.size()];
      lastUpdated = new long[rows.size()];
      int row = 0;
      for (int f = 0; f < rows.rowsPerFile().length; f++) {
        RowLineage.Rows file = lineage.get(f);
        int at = 0;
        for (int i = 0; i < rows.rowsPerFile()[f]; i++, row++) {
          // Both ascend by position, and every row read is live, so each is found in turn.
          while (at < file.size() && file.positions()[at] != rows.positions()[row]) {
            at++;
          }
          if (at == file.size()) {
            throw new IllegalStateException(String.format(java.util.Locale.ROOT,
                "%s: the row at position %d of %s was read with its vector but not with its "
                    + "row lineage; rebuild once the file can be read", rows.binding().describe(),
                rows.positions()[row], rows.files().get(f).location()));
          }
          rowIds[row] = file.rowIds()[at];
          lastUpdated[row] = file.updated()[at];
        }
      }
    }
    if (rowIds != null && !unique(rowIds)) {
      rowIds = null;
      lastUpdated = null;
    }
    return new ShardSections(rows.rowsPerFile(), rows.positions(), rows.stringIds(),
        rows.nullsPerFile(), rows.nullPositions(), rowIds, lastUpdated, fingerprints);
  }

  private static boolean unique(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i] == sorted[i - 1]) {
        return false;
      }
    }
    return true;
  }

  /** Whether the shard knows its rows' lineage. */
  public boolean hasLineage() {
    return rowIds != null;
  }

  /** The sections to write. */
  public List<RawSection> encode() {
    List<RawSection> out = new ArrayList<>(2);
    out.add(new RawSection(ROW_SOURCES, countsAndPositions(rowsPerFile, positions)));
    out.add(new RawSection(NULL_ROWS, countsAndPositions(nullsPerFile, nullPositions)));
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
    if (rowIds != null) {
      out.add(new RawSection(ROW_LINEAGE, perRow(rowIds, lastUpdated)));
    }
    if (fingerprints != null) {
      out.add(new RawSection(ROW_FINGERPRINTS, perRow(fingerprints)));
    }
    return out;
  }

  /** u32 n, then each of {@code columns} (n values each) as u64s, one column after another. */
  private static byte[] perRow(long[]... columns) {
    int n = columns[0].length;
    ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(4 + 8L * n * columns.length))
        .order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(n);
    for (long[] column : columns) {
      b.asLongBuffer().put(column);
      b.position(b.position() + 8 * n);
    }
    return b.array();
  }

  /**
   * The {@code count} columns of {@code rows} u64s of section {@code code} as {@link #perRow}
   * wrote them, or null when the shard has no such section.
   */
  private static long[][] readPerRow(Path file, List<RawSection> sections, int code,
      String name, int rows, int count) {
    byte[] bytes = find(sections, code);
    if (bytes == null) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    require(file, bytes.length == 4 + 8L * count * rows && b.getInt() == rows,
        "%s section of %d bytes does not hold %d rows", name, bytes.length, rows);
    long[][] columns = new long[count][rows];
    for (long[] column : columns) {
      b.asLongBuffer().get(column);
      b.position(b.position() + 8 * rows);
    }
    return columns;
  }

  /**
   * Reads the sections of a shard of {@code rows} rows from {@code sections}.
   *
   * @param stringIds whether the shard must have string ids
   * @throws CorruptRbpxException if a section is missing or malformed
   */
  public static ShardSections decode(Path file, List<RawSection> sections, int rows,
      boolean stringIds) {
    CountsAndPositions sources = readCounts(file, sections, ROW_SOURCES, "row-sources");
    require(file, sources.total() == rows, "row-sources section counts %d rows, the index has %d",
        sources.total(), rows);
    CountsAndPositions nulls = readCounts(file, sections, NULL_ROWS, "null-rows");
    require(file, nulls.counts().length == sources.counts().length,
        "null-rows section names %d files, row-sources %d", nulls.counts().length,
        sources.counts().length);
    String[] ids = null;
    byte[] strings = find(sections, STRING_IDS);
    require(file, (strings != null) == stringIds, stringIds
        ? "has no string-ids section but its id column is a string"
        : "has a string-ids section but its id column is numeric");
    if (strings != null) {
      ids = decodeStrings(file, strings, rows);
    }
    long[][] lineage = readPerRow(file, sections, ROW_LINEAGE, "row-lineage", rows, 2);
    long[][] prints = readPerRow(file, sections, ROW_FINGERPRINTS, "row-fingerprints", rows, 1);
    return new ShardSections(sources.counts(), sources.positions(), ids, nulls.counts(),
        nulls.positions(), lineage == null ? null : lineage[0],
        lineage == null ? null : lineage[1], prints == null ? null : prints[0]);
  }

  /** Per-file counts and the positions they count, as sections 1024 and 1026 hold them. */
  private record CountsAndPositions(int[] counts, long[] positions) {
    long total() {
      return positions.length;
    }
  }

  private static byte[] countsAndPositions(int[] counts, long[] positions) {
    ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(
        4 + 4L * counts.length + 8L * positions.length)).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(counts.length);
    for (int count : counts) {
      b.putInt(count);
    }
    for (long pos : positions) {
      b.putLong(pos);
    }
    return b.array();
  }

  private static CountsAndPositions readCounts(Path file, List<RawSection> sections, int code,
      String name) {
    byte[] bytes = find(sections, code);
    require(file, bytes != null, "has no %s section; it was not written by the lakeann Iceberg "
        + "layer", name);
    require(file, bytes.length >= 4, "%s section is truncated", name);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int files = b.getInt();
    require(file, files >= 0 && (bytes.length - 4L - 4L * files) >= 0
        && (bytes.length - 4L - 4L * files) % 8 == 0, "%s section of %d bytes does not fit %d "
        + "files", name, bytes.length, files);
    int[] counts = new int[files];
    long total = 0;
    for (int f = 0; f < files; f++) {
      counts[f] = b.getInt();
      require(file, counts[f] >= 0, "%s section: negative count for file %d", name, f);
      total += counts[f];
    }
    long[] positions = new long[(bytes.length - 4 - 4 * files) / 8];
    require(file, total == positions.length, "%s section counts %d rows but holds %d positions",
        name, total, positions.length);
    b.asLongBuffer().get(positions);
    return new CountsAndPositions(counts, positions);
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
      throw new CorruptRbpxException(file,
          String.format(java.util.Locale.ROOT, format, args));
    }
  }
}
