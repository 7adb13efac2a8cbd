package io.lakeann.iceberg;

import io.lakeann.core.InvalidRequestException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.FileScanTask;

/**
 * Plans the shards of a snapshot by bin-packing its data files by record count. Files are taken
 * in (data sequence number, location) order and packed next-fit up to the target, so appended
 * files land in new shards and never move older ones. Given the bundle of an earlier snapshot,
 * every old shard whose files are all still live is kept (as is, or re-masked when its files
 * gained deletes); the files of other shards and the new files are packed into new shards.
 * Pure planning: reads nothing but the task list.
 */
public final class ShardPlanner {
  /** Default target rows per shard. */
  public static final long DEFAULT_TARGET_ROWS = 1_000_000;

  /** What to do for one shard of the plan. */
  public enum Action {
    /** Build from the files' rows. */
    BUILD,
    /** Reuse the earlier bundle's shard unchanged. */
    REUSE,
    /** Reuse the earlier shard with a deletion mask for rows deleted since. */
    REMASK
  }

  /**
   * One shard of a plan.
   *
   * @param action what to do
   * @param tasks the current scan tasks of its files, in shard order
   * @param previousShard the earlier bundle's shard index for REUSE and REMASK, else -1
   */
  public record PlannedShard(Action action, List<FileScanTask> tasks, int previousShard)
      implements java.io.Serializable {
    public PlannedShard {
      tasks = List.copyOf(tasks);
    }
  }

  private final long targetRows;

  public ShardPlanner(long targetRows) {
    InvalidRequestException.check(targetRows > 0,
        "Invalid target rows per shard: %s (must be > 0)", targetRows);
    this.targetRows = targetRows;
  }

  /** Plans {@code tasks} (one per data file) from scratch. */
  public List<PlannedShard> plan(List<FileScanTask> tasks) {
    return plan(tasks, null);
  }

  /** Plans {@code tasks}, keeping what it can of {@code previous} (may be null). */
  public List<PlannedShard> plan(List<FileScanTask> tasks, BundleManifest previous) {
    Map<String, FileScanTask> byLocation = new HashMap<>();
    for (FileScanTask task : tasks) {
      if (byLocation.put(task.file().location(), task) != null) {
        throw new IllegalArgumentException("data file " + task.file().location()
            + " appears in two scan tasks; plan with whole-file tasks (planFiles)");
      }
    }
    List<PlannedShard> out = new ArrayList<>();
    Set<String> kept = new HashSet<>();
    if (previous != null) {
      for (int s = 0; s < previous.shards().size(); s++) {
        ShardEntry shard = previous.shards().get(s);
        List<FileScanTask> current = new ArrayList<>();
        boolean changed = false;
        for (DataFileRef file : shard.files()) {
          FileScanTask task = byLocation.get(file.location());
          if (task == null) {
            current = null;
            break;
          }
          current.add(task);
          changed |= !DataFileRef.of(task).equals(file);
        }
        if (current == null) {
          continue;
        }
        Action action = !changed ? Action.REUSE : shard.isEmpty() ? Action.BUILD : Action.REMASK;
        out.add(new PlannedShard(action, current, action == Action.BUILD ? -1 : s));
        shard.files().forEach(f -> kept.add(f.location()));
      }
    }
    List<FileScanTask> pool = new ArrayList<>();
    for (FileScanTask task : tasks) {
      if (!kept.contains(task.file().location())) {
        pool.add(task);
      }
    }
    pool.sort(Comparator
        .comparingLong((FileScanTask t) -> DeleteFileRef.orMinusOne(t.file().dataSequenceNumber()))
        .thenComparing(t -> t.file().location()));
    // Files in order, a shard closed before the file that would take it past the target, but
    // only once it holds half the target: a small file joins the next one, however big, rather
    // than make a small shard. Files are not split. The last shard may be small: more files may
    // follow, and the earlier shards must not move when they do.
    List<FileScanTask> current = new ArrayList<>();
    long rows = 0;
    for (FileScanTask task : pool) {
      long records = task.file().recordCount();
      if (!current.isEmpty() && rows + records > targetRows && 2 * rows >= targetRows) {
        out.add(new PlannedShard(Action.BUILD, current, -1));
        current = new ArrayList<>();
        rows = 0;
      }
      current.add(task);
      rows += records;
    }
    if (!current.isEmpty()) {
      out.add(new PlannedShard(Action.BUILD, current, -1));
    }
    return out;
  }
}
