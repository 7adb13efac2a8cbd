package io.lakeann.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * The join planner: the one place that decides what a search of an indexed column reads, for
 * the local {@link Searcher} and for the Spark ANN join alike. It resolves the snapshot a
 * {@link Consistency} asks for ({@link #resolve}: every mode, once), then plans that snapshot
 * ({@link #plan}): the registered bundle serving it (its own or its nearest ancestor's), each
 * shard with the live scan tasks of its files (to mask what was deleted since), and the rows
 * added since in groups to search exactly. The local searcher opens the plan in its own JVM;
 * the Spark join distributes its pieces. Stateless but for the EVENTUAL clock, which all
 * searchers and joins of a JVM share per table. Thread-safe.
 */
public final class JoinPlanner {
  /** Rows per group of rows added since the bundle, each searched exactly as one piece. */
  public static final long DELTA_GROUP_ROWS = 250_000;
  /** Per table uuid and ttl: the snapshot EVENTUAL consistency last saw, and when. */
  private static final Map<String, Seen> SEEN = new ConcurrentHashMap<>();

  private record Seen(long snapshotId, long atNanos) {}

  /**
   * The data files one overwrite or replace commit removed and added, by location; per table
   * uuid and snapshot id (commits never change), emptied when full.
   */
  private static final Map<String, Rewrite> REWRITES = new ConcurrentHashMap<>();
  private static final int MAX_REWRITES = 4096;
  private static final int MAX_REWRITE_FILES = 10_000;

  private record Rewrite(List<String> removed, List<String> added) {}

  private JoinPlanner() {}

  /**
   * The snapshot to search in {@code table} under {@code consistency}: FRESH the current one;
   * EVENTUAL the one this JVM last saw for the table if it looked less than ttl ago (and the
   * snapshot still exists), else the current one; FROZEN the one its ref names now.
   *
   * @throws NoIndexException if the table has no snapshot yet
   * @throws UnknownSnapshotException if a FROZEN ref names no snapshot of the table
   */
  public static long resolve(Table table, Consistency consistency) {
    Snapshot snapshot;
    switch (consistency.mode()) {
      case FROZEN -> {
        table.refresh();
        snapshot = consistency.ref().resolve(table);
      }
      case EVENTUAL -> {
        long now = System.nanoTime();
        String key = table.uuid() + "/" + consistency.ttl().toNanos();
        Seen last = SEEN.get(key);
        // Within the ttl the table's metadata is not even refreshed.
        if (last != null && now - last.atNanos() < consistency.ttl().toNanos()
            && table.snapshot(last.snapshotId()) != null) {
          return last.snapshotId();
        }
        table.refresh();
        snapshot = table.currentSnapshot();
        if (snapshot != null) {
          SEEN.put(key, new Seen(snapshot.snapshotId(), now));
        }
      }
      default -> {
        table.refresh();
        snapshot = table.currentSnapshot();
      }
    }
    if (snapshot == null) {
      throw new NoIndexException(String.format(Locale.ROOT,
          "Table %s has no snapshot yet, so no index; append rows and build", table.name()));
    }
    return snapshot.snapshotId();
  }

  /**
   * The plan of a search of snapshot {@code snapshotId}, of the vector column with field id
   * {@code vectorFieldId}; the id column is the one its bundle indexed.
   *
   * @param filter the rows a filtered search may return, collected beforehand, or null: shards
   *     none of whose files it touches are left out
   * @param predicate the filter as an expression, evaluated later where the rows are read, or
   *     null: shards and added files whose column statistics rule it out are left out (planning
   *     reads file metadata only, never rows)
   * @throws NoIndexException if neither the snapshot nor any ancestor has a bundle
   */
  public static SnapshotPlan plan(Table table, long snapshotId, int vectorFieldId,
      BundleStore store, AllowedRows filter, RowPredicate predicate) {
    RegisteredBundle bundle = store.findNearest(snapshotId, vectorFieldId)
        .orElseThrow(() -> noIndex(table, snapshotId, vectorFieldId));
    BundleManifest manifest = bundle.manifest();
    Map<String, FileScanTask> live = liveFiles(table, snapshotId);
    // Planned with the predicate: the files whose metadata does not rule it out.
    Set<String> mayMatch = predicate == null ? null
        : planFiles(table, snapshotId, predicate.expression()).keySet();
    List<FileScanTask> uncovered = uncovered(manifest, live);
    Map<String, Integer> rewritten = bundle.snapshotId() == snapshotId ? Map.of()
        : rewritten(table, bundle.snapshotId(), snapshotId, manifest);
    // Lineage serves only if every shard records it (one written before may hold moved rows).
    RowLineage lineage = rewritten.isEmpty()
        || manifest.shards().stream().anyMatch(e -> !e.isEmpty() && !e.rowLineage()) ? null
        : RowLineage.of(table, bundle.snapshotId());
    List<SnapshotPlan.Carrier> carriers = new ArrayList<>();
    Map<Integer, List<FileScanTask>> successors = new HashMap<>();
    for (FileScanTask task : uncovered) {
      Integer owner = rewritten.get(task.file().location());
      if (owner == null) {
        continue;
      }
      if (lineage == null) {
        successors.computeIfAbsent(owner, x -> new ArrayList<>()).add(task);
      } else {
        long[] range = lineage.carriedRange(table.io(), task);
        if (range != null) {
          carriers.add(new SnapshotPlan.Carrier(task, range[0], range[1]));
        }
      }
    }
    List<SnapshotPlan.Shard> shards = new ArrayList<>();
    long nullsStillLive = 0;
    for (int s = 0; s < manifest.shards().size(); s++) {
      ShardEntry entry = manifest.shards().get(s);
      Map<String, FileScanTask> files = new HashMap<>();
      for (DataFileRef file : entry.files()) {
        FileScanTask task = live.get(file.location());
        if (task != null) {
          files.put(file.location(), task);
        }
      }
      if (files.size() == entry.files().size()) {
        // Null-vector rows counted at build time in files still live (an estimate once deleted).
        nullsStillLive += entry.skippedNulls();
      }
      // A shard whose files a rewrite replaced may have rows in the carriers or its successors,
      // which only it serves, so the filter's file statistics cannot rule it out.
      List<FileScanTask> own = successors.getOrDefault(s, List.of());
      boolean moved = !own.isEmpty()
          || (!carriers.isEmpty() && files.size() < entry.files().size());
      if (!entry.isEmpty() && (moved || ((filter == null || filter.touches(entry.files()))
          && (mayMatch == null
              || entry.files().stream().anyMatch(f -> mayMatch.contains(f.location())))))) {
        shards.add(new SnapshotPlan.Shard(s, files, own));
      }
    }
    Set<String> owned = new HashSet<>();
    successors.values().forEach(l -> l.forEach(t -> owned.add(t.file().location())));
    return new SnapshotPlan(snapshotId, bundle, manifest.binding().renamedIn(table.schema()),
        shards, deltaGroups(uncovered.stream()
            .filter(t -> !owned.contains(t.file().location()))
            .filter(t -> mayMatch == null || mayMatch.contains(t.file().location())).toList()),
        filter, predicate, nullsStillLive, lineage, carriers);
  }

  /**
   * The data files that rewrites since the bundle wrote in place of its files, by the shard
   * they belong to: a file added by an overwrite or replace commit that removed files of a
   * shard (or files that such commits wrote before) belongs to that shard, the lowest-numbered
   * one when the removed files were of several. Only these can hold rows of the bundle: on a
   * table with row lineage they are the candidate carriers, on one without the shards'
   * successors, which a shard recognises its rows in ({@link ShardRows#fingerprint}) and
   * searches the rest of exactly. Reads the file lists of overwrite and replace commits only.
   */
  private static Map<String, Integer> rewritten(Table table, long bundleSnapshotId,
      long snapshotId, BundleManifest manifest) {
    Map<String, Integer> owner = new HashMap<>();
    for (int s = 0; s < manifest.shards().size(); s++) {
      ShardEntry entry = manifest.shards().get(s);
      if (!entry.isEmpty()) {
        for (DataFileRef file : entry.files()) {
          owner.put(file.location(), s);
        }
      }
    }
    Map<String, Integer> out = new HashMap<>();
    List<Snapshot> since = new ArrayList<>();
    SnapshotUtil.ancestorsBetween(table, snapshotId, bundleSnapshotId).forEach(since::add);
    for (int i = since.size() - 1; i >= 0; i--) {
      Snapshot snapshot = since.get(i);
      if (!DataOperations.OVERWRITE.equals(snapshot.operation())
          && !DataOperations.REPLACE.equals(snapshot.operation())) {
        continue;
      }
      Rewrite rewrite = rewrite(table, snapshot);
      Integer from = null;
      for (String removed : rewrite.removed()) {
        Integer s = owner.get(removed);
        if (s != null && (from == null || s < from)) {
          from = s;
        }
      }
      if (from != null) {
        for (String added : rewrite.added()) {
          owner.put(added, from);
          out.put(added, from);
        }
      }
    }
    return out;
  }

  private static NoIndexException noIndex(Table table, long snapshotId, int vectorFieldId) {
    String column = table.schema().findColumnName(vectorFieldId);
    return new NoIndexException(String.format(Locale.ROOT,
        "No lakeann index for %s.%s at snapshot %d nor at any ancestor (none was built, or its "
            + "registration was replaced or expired); build one: bin/lakeann build --table %s "
            + "--column %s --id ID_COLUMN, or in SQL CALL lakeann.system.build_index(table => "
            + "'%s', column => '%s', id => 'ID_COLUMN'), or in Java LakeAnn.build(spark, \"%s\")"
            + ".column(\"%s\").id(...).run()", table.name(), column, snapshotId, table.name(),
        column, table.name(), column, table.name(), column));
  }

  /** The data files {@code snapshot} (an overwrite or a replace) removed and added. */
  private static Rewrite rewrite(Table table, Snapshot snapshot) {
    String key = table.uuid() + "/" + snapshot.snapshotId();
    Rewrite rewrite = REWRITES.get(key);
    if (rewrite == null) {
      List<String> removed = new ArrayList<>();
      snapshot.removedDataFiles(table.io()).forEach(f -> removed.add(f.location()));
      List<String> added = new ArrayList<>();
      if (!removed.isEmpty()) {
        snapshot.addedDataFiles(table.io()).forEach(f -> added.add(f.location()));
      }
      rewrite = new Rewrite(List.copyOf(removed), List.copyOf(added));
      if (REWRITES.size() >= MAX_REWRITES) {
        REWRITES.clear();
      }
      // A table-wide rewrite of very many files is read again rather than kept.
      if (removed.size() + added.size() <= MAX_REWRITE_FILES) {
        REWRITES.put(key, rewrite);
      }
    }
    return rewrite;
  }

  /** {@code tasks} in order, cut into groups of at most {@link #DELTA_GROUP_ROWS} rows. */
  private static List<List<FileScanTask>> deltaGroups(List<FileScanTask> tasks) {
    List<List<FileScanTask>> groups = new ArrayList<>();
    List<FileScanTask> group = new ArrayList<>();
    long rows = 0;
    for (FileScanTask task : tasks) {
      if (!group.isEmpty() && rows + task.file().recordCount() > DELTA_GROUP_ROWS) {
        groups.add(group);
        group = new ArrayList<>();
        rows = 0;
      }
      group.add(task);
      rows += task.file().recordCount();
    }
    if (!group.isEmpty()) {
      groups.add(group);
    }
    return groups;
  }

  /**
   * The scan tasks of {@code live} files no shard of {@code manifest} covers, and of covered
   * files whose shard had no vectors but whose deletes changed: all to be searched exactly.
   * Sorted by location, so every reader sees them in the same order.
   */
  static List<FileScanTask> uncovered(BundleManifest manifest, Map<String, FileScanTask> live) {
    Set<String> covered = new HashSet<>();
    List<FileScanTask> out = new ArrayList<>();
    for (ShardEntry entry : manifest.shards()) {
      for (DataFileRef file : entry.files()) {
        covered.add(file.location());
        FileScanTask task = live.get(file.location());
        if (entry.isEmpty() && task != null && !DataFileRef.of(task).equals(file)) {
          out.add(task);
        }
      }
    }
    for (FileScanTask task : live.values()) {
      if (!covered.contains(task.file().location())) {
        out.add(task);
      }
    }
    out.sort((a, b) -> a.file().location().compareTo(b.file().location()));
    return out;
  }

  /** The whole-file scan tasks of a snapshot, by data file location. */
  static Map<String, FileScanTask> liveFiles(Table table, long snapshotId) {
    return planFiles(table, snapshotId, Expressions.alwaysTrue());
  }

  /**
   * The whole-file scan tasks of a snapshot whose metadata does not rule {@code filter} out
   * (column names case-insensitive), by data file location.
   */
  private static Map<String, FileScanTask> planFiles(Table table, long snapshotId,
      Expression filter) {
    Map<String, FileScanTask> live = new HashMap<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(snapshotId)
        .filter(filter).caseSensitive(false).planFiles()) {
      for (FileScanTask task : tasks) {
        live.put(task.file().location(), task);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot plan the files of " + table.name()
          + " snapshot " + snapshotId, e);
    }
    return live;
  }
}
