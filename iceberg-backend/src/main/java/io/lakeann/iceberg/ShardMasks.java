package io.lakeann.iceberg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.FileScanTask;

/**
 * Brings one built shard up to a later snapshot: rows of data files that are gone are masked,
 * rows deleted since (position deletes, equality deletes, deletion vectors) are masked, and a
 * file that now holds a live row the shard lacks (a delete file was removed) is masked whole and
 * handed back to be read as new rows. Files whose deletes are unchanged are not read at all. On
 * a table with row lineage, rows of removed files that a rewrite copied unchanged into a carrier
 * ({@link RowLineage}) stay unmasked; on a table without, so do rows found with the same
 * fingerprint in the shard's successors, whose other rows are handed back to be read as new
 * ones. Where moved rows live now is kept for the filter.
 *
 * @param deleted the shard's rows to mask (its own deletion mask included)
 * @param reread scan tasks of files to read again as new rows, but for the moved rows
 * @param newlyMasked rows masked here beyond the shard's own mask
 * @param moved the rows found in carriers
 */
public record ShardMasks(BitSet deleted, List<FileScanTask> reread, long newlyMasked,
    Moved moved) {

  /**
   * The shard's rows that a rewrite moved into carriers, with their new places.
   *
   * @param rows the shard's rows
   * @param files the data file each is in now
   * @param positions its position there
   * @param tasks the scan tasks of those files
   */
  public record Moved(int[] rows, String[] files, long[] positions, List<FileScanTask> tasks) {
    static final Moved NONE = new Moved(new int[0], new String[0], new long[0], List.of());

    public int size() {
      return rows.length;
    }

    /** The moved rows' positions in each file, ascending: what a read of the file skips. */
    public Map<String, long[]> positionsByFile() {
      Map<String, List<Long>> byFile = new HashMap<>();
      for (int i = 0; i < rows.length; i++) {
        byFile.computeIfAbsent(files[i], f -> new ArrayList<>()).add(positions[i]);
      }
      Map<String, long[]> out = new HashMap<>();
      byFile.forEach((file, list) -> out.put(file,
          list.stream().mapToLong(Long::longValue).sorted().toArray()));
      return out;
    }
  }

  /** The masks of a shard at a snapshot, without carriers to look for moved rows in. */
  public static ShardMasks compute(ShardReader reader, ShardEntry entry, ShardSections sections,
      BitSet ownMask, Map<String, FileScanTask> live) {
    return compute(reader, entry, sections, ownMask, live, null, List.of(), List.of());
  }

  /**
   * @param entry the shard as its manifest records it
   * @param sections its row sources
   * @param ownMask its rbpx deletion mask, or null
   * @param live the scan tasks of the later snapshot, by data file location
   * @param lineage the row lineage of the shard's bundle, or null
   * @param carriers the files that may hold rows of removed files
   * @param successors the files rewrites wrote in place of the shard's (no lineage)
   */
  public static ShardMasks compute(ShardReader reader, ShardEntry entry, ShardSections sections,
      BitSet ownMask, Map<String, FileScanTask> live, RowLineage lineage,
      List<SnapshotPlan.Carrier> carriers, List<FileScanTask> successors) {
    BitSet deleted = ownMask == null ? new BitSet() : (BitSet) ownMask.clone();
    BitSet gone = new BitSet();
    int before = deleted.cardinality();
    List<FileScanTask> reread = new ArrayList<>();
    long[] positions = sections.positions();
    int end = 0;
    int nullsEnd = 0;
    for (int f = 0; f < entry.files().size(); f++) {
      // Rows and null-vector positions of file f are the next runs of the sections' arrays.
      int first = end;
      end += sections.rowsPerFile()[f];
      int nullsFirst = nullsEnd;
      nullsEnd += sections.nullsPerFile()[f];
      DataFileRef file = entry.files().get(f);
      FileScanTask task = live.get(file.location());
      if (task == null) {
        deleted.set(first, end);
        gone.set(first, end);
        continue;
      }
      if (DataFileRef.of(task).equals(file)) {
        continue;
      }
      long[] livePositions = reader.livePositions(task);
      if (hasRevived(livePositions, positions, first, end, sections.nullPositions(), nullsFirst,
          nullsEnd)) {
        deleted.set(first, end);
        reread.add(task);
        continue;
      }
      for (int r = first; r < end; r++) {
        if (Arrays.binarySearch(livePositions, positions[r]) < 0) {
          deleted.set(r);
        }
      }
    }
    if (ownMask != null) {
      gone.andNot(ownMask);
    }
    Moved moved = Moved.NONE;
    if (lineage != null && !gone.isEmpty() && !carriers.isEmpty()) {
      if (!sections.hasLineage()) {
        // The exact pass leaves this shard's carried rows to it: it must be able to find them.
        throw new ManifestMismatchException(String.format(java.util.Locale.ROOT,
            "A shard of %s is listed as recording row lineage but its rbpx has no row-lineage "
                + "section; rebuild the index (build --repair)", entry.files().isEmpty()
                ? "the bundle" : "the bundle over " + entry.files().get(0).location()));
      }
      moved = moved(reader, sections, gone, lineage, carriers);
    } else if (!successors.isEmpty() && sections.fingerprints() != null && !gone.isEmpty()) {
      moved = recognised(reader, sections, gone, successors, reread);
    } else {
      reread.addAll(successors);
    }
    for (int r : moved.rows()) {
      deleted.clear(r);
    }
    return new ShardMasks(deleted, List.copyOf(reread), deleted.cardinality() - before, moved);
  }

  /**
   * The rows of {@code gone} whose fingerprint (id and vector) a live row of the successors
   * has; each such row of the successors stands for one row of the shard. A successor with
   * other live rows is added to {@code reread}, to be read again for those.
   */
  private static Moved recognised(ShardReader reader, ShardSections sections, BitSet gone,
      List<FileScanTask> successors, List<FileScanTask> reread) {
    Map<Long, List<Integer>> byPrint = new HashMap<>();
    for (int r = gone.nextSetBit(0); r >= 0; r = gone.nextSetBit(r + 1)) {
      byPrint.computeIfAbsent(sections.fingerprints()[r], p -> new ArrayList<>()).add(r);
    }
    ShardRows found = reader.read(successors, 0);
    List<Integer> rows = new ArrayList<>();
    List<String> files = new ArrayList<>();
    List<Long> positions = new ArrayList<>();
    Set<FileScanTask> tasks = new LinkedHashSet<>();
    int row = 0;
    for (int f = 0; f < successors.size(); f++) {
      FileScanTask task = successors.get(f);
      int before = rows.size();
      for (int i = 0; i < found.rowsPerFile()[f]; i++, row++) {
        List<Integer> same = byPrint.get(found.fingerprint(row));
        if (same != null && !same.isEmpty()) {
          rows.add(same.remove(same.size() - 1));
          files.add(task.file().location());
          positions.add(found.positions()[row]);
          tasks.add(task);
        }
      }
      if (rows.size() - before < found.rowsPerFile()[f] + found.nullsPerFile()[f]) {
        reread.add(task);
      }
    }
    return new Moved(rows.stream().mapToInt(Integer::intValue).toArray(),
        files.toArray(new String[0]), positions.stream().mapToLong(Long::longValue).toArray(),
        List.copyOf(tasks));
  }

  /**
   * The rows of {@code gone} that live on, unchanged, in a carrier: same row id, same last
   * update, at or before the bundle's snapshot.
   */
  private static Moved moved(ShardReader reader, ShardSections sections, BitSet gone,
      RowLineage lineage, List<SnapshotPlan.Carrier> carriers) {
    // The gone rows' row ids ascending (unique: a build refuses lineage otherwise), and the
    // shard row of each.
    long[] rowIds = new long[gone.cardinality()];
    int n = 0;
    for (int r = gone.nextSetBit(0); r >= 0; r = gone.nextSetBit(r + 1)) {
      rowIds[n++] = sections.rowIds()[r];
    }
    Arrays.sort(rowIds);
    int[] rowOf = new int[n];
    for (int r = gone.nextSetBit(0); r >= 0; r = gone.nextSetBit(r + 1)) {
      rowOf[Arrays.binarySearch(rowIds, sections.rowIds()[r])] = r;
    }
    long min = rowIds[0];
    long max = rowIds[n - 1];
    boolean[] found = new boolean[n];
    int[] rows = new int[n];
    String[] files = new String[rows.length];
    long[] positions = new long[rows.length];
    List<FileScanTask> tasks = new ArrayList<>();
    int count = 0;
    for (SnapshotPlan.Carrier carrier : carriers) {
      if (!carrier.overlaps(min, max)) {
        continue;
      }
      RowLineage.Rows live = RowLineage.read(reader.io(), reader.tableSchema(),
          carrier.task());
      int before = count;
      for (int i = 0; live != null && i < live.size(); i++) {
        int at = Arrays.binarySearch(rowIds, live.rowIds()[i]);
        if (at >= 0 && !found[at] && lineage.carried(live.rowIds()[i], live.updated()[i])
            && sections.lastUpdated()[rowOf[at]] == live.updated()[i]) {
          found[at] = true;
          rows[count] = rowOf[at];
          files[count] = carrier.task().file().location();
          positions[count] = live.positions()[i];
          count++;
        }
      }
      if (count > before) {
        tasks.add(carrier.task());
      }
    }
    return new Moved(Arrays.copyOf(rows, count), Arrays.copyOf(files, count),
        Arrays.copyOf(positions, count), List.copyOf(tasks));
  }

  /**
   * Whether {@code live} has a position that is neither among the shard's rows of the file
   * ({@code indexed[from, to)}) nor among its null vectors ({@code nulls[nullsFrom, nullsTo)}),
   * both ascending: a row the build saw deleted that is live again.
   */
  private static boolean hasRevived(long[] live, long[] indexed, int from, int to, long[] nulls,
      int nullsFrom, int nullsTo) {
    for (long pos : live) {
      if (Arrays.binarySearch(indexed, from, to, pos) < 0
          && Arrays.binarySearch(nulls, nullsFrom, nullsTo, pos) < 0) {
        return true;
      }
    }
    return false;
  }
}
