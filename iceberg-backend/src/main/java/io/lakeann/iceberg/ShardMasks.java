package io.lakeann.iceberg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.FileScanTask;

/**
 * Brings one built shard up to a later snapshot: rows of data files that are gone are masked,
 * rows deleted since (position deletes, equality deletes, deletion vectors) are masked, and a
 * file that now holds a live row the shard lacks (a delete file was removed) is masked whole and
 * handed back to be read as new rows. Files whose deletes are unchanged are not read at all.
 *
 * @param deleted the shard's rows to mask (its own deletion mask included)
 * @param reread scan tasks of files to read again as new rows
 * @param newlyMasked rows masked here beyond the shard's own mask
 */
public record ShardMasks(BitSet deleted, List<FileScanTask> reread, long newlyMasked) {

  /**
   * @param entry the shard as its manifest records it
   * @param sections its row sources
   * @param ownMask its rbpx deletion mask, or null
   * @param live the scan tasks of the later snapshot, by data file location
   */
  public static ShardMasks compute(ShardReader reader, ShardEntry entry, ShardSections sections,
      BitSet ownMask, Map<String, FileScanTask> live) {
    BitSet deleted = ownMask == null ? new BitSet() : (BitSet) ownMask.clone();
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
    return new ShardMasks(deleted, List.copyOf(reread), deleted.cardinality() - before);
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
