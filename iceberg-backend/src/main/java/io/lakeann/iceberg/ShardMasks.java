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
      Map<String, int[]> counts = new HashMap<>();
      for (String file : files) {
        counts.computeIfAbsent(file, f -> new int[1])[0]++;
      }
      Map<String, long[]> out = new HashMap<>();
      counts.forEach((file, n) -> out.put(file, new long[n[0]]));
      counts.values().forEach(n -> n[0] = 0);
      for (int i = 0; i < files.length; i++) {
        out.get(files[i])[counts.get(files[i])[0]++] = positions[i];
      }
      out.values().forEach(Arrays::sort);
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
    GoneRows byPrint = new GoneRows(gone, sections.fingerprints());
    ShardRows found = reader.read(successors, 0);
    MovedRows moved = new MovedRows();
    int row = 0;
    for (int f = 0; f < successors.size(); f++) {
      FileScanTask task = successors.get(f);
      int before = moved.size();
      for (int i = 0; i < found.rowsPerFile()[f]; i++, row++) {
        int r = byPrint.take(found.fingerprint(row), x -> true);
        if (r >= 0) {
          moved.add(r, task, found.positions()[row]);
        }
      }
      if (moved.size() - before < found.rowsPerFile()[f] + found.nullsPerFile()[f]) {
        reread.add(task);
      }
    }
    return moved.build();
  }

  /**
   * The rows of {@code gone} that live on, unchanged, in a carrier: same row id, same last
   * update, at or before the bundle's snapshot.
   */
  private static Moved moved(ShardReader reader, ShardSections sections, BitSet gone,
      RowLineage lineage, List<SnapshotPlan.Carrier> carriers) {
    GoneRows byRowId = new GoneRows(gone, sections.rowIds());
    MovedRows moved = new MovedRows();
    for (SnapshotPlan.Carrier carrier : carriers) {
      if (!carrier.overlaps(byRowId.min(), byRowId.max())) {
        continue;
      }
      RowLineage.Rows live = RowLineage.read(reader.io(), reader.tableSchema(),
          carrier.task());
      for (int i = 0; live != null && i < live.size(); i++) {
        long updated = live.updated()[i];
        if (!lineage.carried(live.rowIds()[i], updated)) {
          continue;
        }
        int r = byRowId.take(live.rowIds()[i], x -> sections.lastUpdated()[x] == updated);
        if (r >= 0) {
          moved.add(r, carrier.task(), live.positions()[i]);
        }
      }
    }
    return moved.build();
  }

  /**
   * The rows of a shard whose files are gone, by a key per row (row id, fingerprint), each of
   * which a match takes once. Keys may repeat (two equal rows have equal fingerprints).
   */
  private static final class GoneRows {
    private final long[] keys;
    private final int[] rows;
    private final boolean[] taken;

    /** Rows {@code gone}, with {@code keyOf[r]} the key of row r. */
    GoneRows(BitSet gone, long[] keyOf) {
      int n = gone.cardinality();
      keys = new long[n];
      int k = 0;
      for (int r = gone.nextSetBit(0); r >= 0; r = gone.nextSetBit(r + 1)) {
        keys[k++] = keyOf[r];
      }
      Arrays.sort(keys);
      // Each row goes to the first free slot of its key's run.
      rows = new int[n];
      Arrays.fill(rows, -1);
      for (int r = gone.nextSetBit(0); r >= 0; r = gone.nextSetBit(r + 1)) {
        int at = first(keyOf[r]);
        while (rows[at] >= 0) {
          at++;
        }
        rows[at] = r;
      }
      taken = new boolean[n];
    }

    long min() {
      return keys[0];
    }

    long max() {
      return keys[keys.length - 1];
    }

    /** A row of {@code key} not taken yet that {@code accept}s, now taken; or -1. */
    int take(long key, java.util.function.IntPredicate accept) {
      int at = first(key);
      for (; at >= 0 && at < keys.length && keys[at] == key; at++) {
        if (!taken[at] && accept.test(rows[at])) {
          taken[at] = true;
          return rows[at];
        }
      }
      return -1;
    }

    /** The first index of {@code key}'s run, or -1 if no row has it. */
    private int first(long key) {
      int at = Arrays.binarySearch(keys, key);
      while (at > 0 && keys[at - 1] == key) {
        at--;
      }
      return at;
    }
  }

  /** Collects moved rows with their new places, in the order found. */
  private static final class MovedRows {
    private int[] rows = new int[16];
    private String[] files = new String[16];
    private long[] positions = new long[16];
    private final Set<FileScanTask> tasks = new LinkedHashSet<>();
    private int count;

    void add(int row, FileScanTask task, long position) {
      if (count == rows.length) {
        rows = Arrays.copyOf(rows, 2 * count);
        files = Arrays.copyOf(files, 2 * count);
        positions = Arrays.copyOf(positions, 2 * count);
      }
      rows[count] = row;
      files[count] = task.file().location();
      positions[count] = position;
      tasks.add(task);
      count++;
    }

    int size() {
      return count;
    }

    Moved build() {
      return new Moved(Arrays.copyOf(rows, count), Arrays.copyOf(files, count),
          Arrays.copyOf(positions, count), List.copyOf(tasks));
    }
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
