package io.lakeann.spark;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.Metric;
import io.lakeann.iceberg.BuildResult;
import io.lakeann.spark.cli.LakeAnnProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.iceberg.StatisticsFile;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * lakeann's builds under faults, on real Spark and Iceberg: two builds racing on one table, and
 * builds killed outright (a real JVM halted) between staging their shards and committing them.
 * Every answer is checked against the exact answer over the rows of the snapshot it reports.
 */
class FaultsTest {
  static final int K = 10;
  static final float[][] QUERIES = SparkFixture.vectors(40, 9);

  @TempDir
  static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void start() {
    System.setProperty("lakeann.shard.dir", dir.resolve("shards").toString());
    // spark.testing lets remove_orphan_files take an older_than less than a day ago.
    spark = SparkFixture.builder(dir.resolve("wh"), "local[2]")
        .config("spark.testing", "true")
        .getOrCreate();
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.db");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void racingBuildsRegisterOneBundleAndLeaveNoFileBehind() throws Exception {
    String table = "lake.db.raced";
    SparkFixture.createDocs(spark, table, 3, 400);
    Set<Path> before = metadataFiles(table);

    CyclicBarrier start = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<BuildResult> results = new ArrayList<>();
    try {
      List<Future<BuildResult>> running = new ArrayList<>();
      for (int b = 0; b < 2; b++) {
        running.add(pool.submit(() -> {
          start.await();
          return build(table).run();
        }));
      }
      for (Future<BuildResult> f : running) {
        results.add(f.get());
      }
    } finally {
      pool.shutdownNow();
    }

    long snapshot = icebergTable(table).currentSnapshot().snapshotId();
    assertEquals(1, results.stream().filter(r -> !r.alreadyRegistered()).count(),
        "exactly one build registered its bundle, the other says it found it: " + results);
    assertEquals(results.get(0).bundle().statisticsPath(),
        results.get(1).bundle().statisticsPath(), "both name the one registered bundle");
    List<StatisticsFile> stats = icebergTable(table).statisticsFiles();
    assertEquals(1, stats.size(), stats.toString());
    assertEquals(snapshot, stats.get(0).snapshotId());
    assertEquals(1, stats.get(0).blobMetadata().stream()
        .filter(b -> b.type().equals("lakeann-manifest-v1")).count(), "one manifest");

    Set<Path> added = metadataFiles(table);
    added.removeAll(before);
    added.removeIf(p -> p.getFileName().toString().endsWith(".metadata.json")
        || p.getFileName().toString().startsWith("."));
    assertEquals(Set.of(Path.of(SparkFixture.localPath(stats.get(0).path()))), added,
        "the registered statistics file is the only new file besides table metadata (and "
            + "checksums): no staged shard and no second statistics file is left");
    assertJoinIsExact(table);
  }

  @Test
  void aBuildKilledBeforeItsCommitLeavesTheIndexServingAndItsStagingRemovable()
      throws Exception {
    LakeAnnProcess.assumeRunnable();
    String table = "lake.db.killed";
    long s1 = indexedThenAppended(table);

    for (int kill = 0; kill < 2; kill++) {
      LakeAnnProcess.Result killed = cliBuild(table, HaltBeforeCommitFileIO.class);
      assertEquals(HaltBeforeCommitFileIO.HALT_STATUS, killed.code(), killed.toString());
    }
    List<Path> leaked = stagingFolders(table);
    assertEquals(2, leaked.size(), "each killed build left its staged shards: " + leaked);
    for (Path folder : leaked) {
      assertFalse(filesUnder(folder).isEmpty(), folder.toString());
    }

    JoinStats served = assertJoinIsExact(table);
    assertEquals(s1, served.bundleSnapshotId(), "the previous bundle keeps serving: " + served);
    assertEquals(300, served.deltaRows(), served.toString());

    // The first killed build's folder has been unchanged for longer than a build may run.
    Path dead = leaked.get(0);
    FileTime old = FileTime.from(Instant.now().minus(Duration.ofHours(7)));
    for (Path file : filesUnder(dead)) {
      Files.setLastModifiedTime(file, old);
    }
    BuildResult next = build(table).run();
    assertFalse(next.alreadyRegistered());
    assertEquals(icebergTable(table).currentSnapshot().snapshotId(),
        next.bundle().snapshotId());
    assertEquals(List.of(leaked.get(1)), stagingFolders(table),
        "the next build removed the dead build's folder, and left the recent one alone");

    List<Path> young = filesUnder(leaked.get(1));
    List<Path> removed = new ArrayList<>();
    for (Row row : spark.sql("CALL lake.system.remove_orphan_files(table => 'db.killed', "
        + "older_than => TIMESTAMP '" + SparkFixture.inADay() + "')").collectAsList()) {
      removed.add(Path.of(SparkFixture.localPath(row.getString(0))));
    }
    assertTrue(removed.containsAll(young), "remove_orphan_files removes staged shards: "
        + removed + " " + young);
    assertTrue(stagingFolders(table).stream().allMatch(f -> filesUnder(f).isEmpty()));
    JoinStats rebuilt = assertJoinIsExact(table);
    assertEquals(next.bundle().snapshotId(), rebuilt.bundleSnapshotId());
    assertEquals(0, rebuilt.deltaRows(), rebuilt.toString());
  }

  @Test
  void aBuildWhoseJvmExitsBeforeItsCommitDeletesItsStagedShards() throws Exception {
    LakeAnnProcess.assumeRunnable();
    String table = "lake.db.exited";
    long s1 = indexedThenAppended(table);

    LakeAnnProcess.Result exited = cliBuild(table, HaltBeforeCommitFileIO.Exit.class);
    assertEquals(HaltBeforeCommitFileIO.Exit.EXIT_STATUS, exited.code(), exited.toString());
    assertTrue(String.join("\n", exited.err()).contains("1/1 shards done"),
        "the build staged its shard before it stopped: " + exited);
    assertTrue(stagingFolders(table).stream().allMatch(f -> filesUnder(f).isEmpty()),
        "the shutdown hook deleted the staged shards: " + stagingFolders(table));
    assertEquals(s1, assertJoinIsExact(table).bundleSnapshotId());
  }

  @ParameterizedTest(name = "format v{0}, deletes {1}")
  @CsvSource({"2, merge-on-read", "3, copy-on-write"})
  void freshJoinsDuringCommitsAnswerExactlyOnTheSnapshotTheyReport(int formatVersion,
      String deleteMode) throws Exception {
    String table = "lake.db.busy_v" + formatVersion;
    SparkFixture.createDocs(spark, table, formatVersion);
    spark.sql("ALTER TABLE " + table + " SET TBLPROPERTIES ('write.delete.mode'='" + deleteMode
        + "', 'write.update.mode'='" + deleteMode + "')");
    boolean copyOnWrite = deleteMode.equals("copy-on-write");
    SparkFixture.append(spark, table, 0, SparkFixture.vectors(400, 1));
    SparkFixture.append(spark, table, 400, SparkFixture.vectors(400, 2));
    build(table).run();

    // The writer: appends, deletes and overwrites (updates of vectors when copy-on-write, whose
    // deletes mix files, as whole-file overwrites cannot), one commit each.
    int commits = 9;
    ExecutorService writer = Executors.newSingleThreadExecutor();
    Future<Set<Long>> written = writer.submit(() -> {
      Set<Long> snapshots = new HashSet<>();
      for (int c = 0; c < commits; c++) {
        long first = 1000L + 100L * c;
        switch (c % 3) {
          case 0 -> SparkFixture.append(spark, table, first, SparkFixture.vectors(100, 20 + c));
          case 1 -> spark.sql("DELETE FROM " + table + " WHERE doc_id % 9 = " + c);
          // Replaces the file appended two commits before (Iceberg overwrites whole files).
          default -> {
            if (copyOnWrite) {
              spark.sql("UPDATE " + table + " SET embedding = transform(embedding, x -> x + 0.5)"
                  + " WHERE doc_id BETWEEN " + (first - 200) + " AND " + (first - 101));
            } else {
              SparkFixture.docs(spark, first - 200, SparkFixture.vectors(50, 40 + c))
                  .coalesce(1).writeTo(table).overwrite(col("doc_id").between(first - 200,
                      first - 101));
            }
          }
        }
        snapshots.add(icebergTable(table).currentSnapshot().snapshotId());
      }
      return snapshots;
    });
    Set<Long> joined = new HashSet<>();
    try {
      // Joins run until the writer is done, and at least twice after it.
      int after = 0;
      JoinStats last = null;
      while (after < 2) {
        boolean done = written.isDone();
        last = assertJoinIsExact(table);
        joined.add(last.snapshotId());
        after += done ? 1 : 0;
      }
      // The 800 indexed rows the deletes kept stay indexed, whether masked (merge-on-read) or
      // copied into new files (copy-on-write).
      assertTrue(last.indexedRows() > 500, last.toString());
      assertEquals(commits, written.get().size(), "every commit made a snapshot");
    } finally {
      writer.shutdownNow();
    }
    long last = icebergTable(table).currentSnapshot().snapshotId();
    assertTrue(joined.contains(last), "the joins after the writer saw its last commit: " + joined);
  }

  @Test
  void anIdTwoFilesShareIsReturnedOnceAndCounted() throws Exception {
    String table = "lake.db.shared_ids";
    SparkFixture.createDocs(spark, table, 2);
    float[][] first = SparkFixture.vectors(300, 1);
    float[][] second = SparkFixture.vectors(300, 2);
    // Row 0 of the second file has id 5 too, and nearly the vector of the first file's id 5.
    second[0] = first[5].clone();
    second[0][0] += 1e-3f;
    SparkFixture.append(spark, table, 0, first);
    SparkFixture.docs(spark, 5, new float[][] {second[0]}).union(
        SparkFixture.docs(spark, 300, second).where("doc_id > 300")).coalesce(1)
        .writeTo(table).append();
    assertEquals(2, build(table).run().bundle().manifest().shards().size());

    JoinResult join = LakeAnn.annJoin(SparkFixture.queries(spark, new float[][] {first[5]}),
        "qvec").against(table, "embedding").k(K).recall(1.0).run();
    List<Long> ids = SparkFixture.neighbours(join.rows()).get(0);
    assertEquals(K, ids.size(), ids.toString());
    assertEquals(K, new HashSet<>(ids).size(), "no neighbour twice: " + ids);
    assertEquals(5L, ids.get(0));
    assertEquals(1, join.stats().repeatedIds(), join.stats().toString());
  }

  /** A new table of 600 rows, indexed, then 300 rows appended; returns the bundle's snapshot. */
  private static long indexedThenAppended(String table) {
    SparkFixture.createDocs(spark, table, 2);
    SparkFixture.append(spark, table, 0, SparkFixture.vectors(600, 1));
    long indexed = build(table).run().bundle().snapshotId();
    SparkFixture.append(spark, table, 600, SparkFixture.vectors(300, 2));
    return indexed;
  }

  /** {@code bin/lakeann build} of {@code table}, its catalog reading through {@code io}. */
  private static LakeAnnProcess.Result cliBuild(String table, Class<?> io) throws Exception {
    return LakeAnnProcess.runWithTestClasses(dir, "--warehouse", dir.resolve("wh").toString(),
        "build", "--table", table, "--column", "embedding", "--id", "doc_id", "--target-rows",
        "300", "--conf", "spark.sql.catalog.lake.io-impl=" + io.getName());
  }

  private static BuildJob build(String table) {
    return LakeAnn.build(spark, table).column("embedding").id("doc_id").metric(Metric.L2)
        .targetRowsPerShard(300);
  }

  private static JoinStats assertJoinIsExact(String table) {
    return SparkFixture.assertJoinIsExact(spark, table, QUERIES, K);
  }

  private static Table icebergTable(String table) {
    return SparkTables.load(spark, table);
  }

  private static Path metadataDir(String table) {
    return Path.of(SparkFixture.localPath(icebergTable(table).location()), "metadata");
  }

  private static Set<Path> metadataFiles(String table) throws IOException {
    try (Stream<Path> files = Files.walk(metadataDir(table))) {
      return new HashSet<>(files.filter(Files::isRegularFile).toList());
    }
  }

  /** The build folders under the table's staging root, by name. */
  private static List<Path> stagingFolders(String table) throws IOException {
    Path root = metadataDir(table).resolve("lakeann-staging");
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> folders = Files.list(root)) {
      return folders.sorted().toList();
    }
  }

  /** The files under {@code folder}, without the local file system's hidden checksum files. */
  private static List<Path> filesUnder(Path folder) {
    try (Stream<Path> files = Files.walk(folder)) {
      return files.filter(f -> Files.isRegularFile(f)
          && !f.getFileName().toString().startsWith(".")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

}
