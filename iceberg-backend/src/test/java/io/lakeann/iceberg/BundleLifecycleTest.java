package io.lakeann.iceberg;

import static io.lakeann.iceberg.IcebergFixture.DIM;
import static io.lakeann.iceberg.IcebergFixture.EXHAUSTIVE;
import static io.lakeann.iceberg.IcebergFixture.K;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.lakeann.core.ExactSearch;
import io.lakeann.core.LakeAnnException;
import io.lakeann.core.Metric;
import io.lakeann.core.VectorSet;
import io.lakeann.core.format.InvalidRbpxException;
import io.lakeann.core.format.RbpxReader;
import io.lakeann.core.format.SectionEntry;
import io.lakeann.core.search.Neighbors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.GenericBlobMetadata;
import org.apache.iceberg.GenericStatisticsFile;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StatisticsFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.puffin.Blob;
import org.apache.iceberg.puffin.BlobMetadata;
import org.apache.iceberg.puffin.Puffin;
import org.apache.iceberg.puffin.PuffinCompressionCodec;
import org.apache.iceberg.puffin.PuffinReader;
import org.apache.iceberg.puffin.PuffinWriter;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.Pair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The life of a bundle as a Puffin statistics file of its snapshot, on real Iceberg tables: it
 * goes when its snapshot is expired, it keeps whatever other engines registered for the snapshot,
 * a replaced registration counts as no index, large shards travel in parts, damaged shard bytes
 * are refused, a failed publish leaves nothing behind, and publishing again is a no-op.
 */
class BundleLifecycleTest {
  private static final String THETA = "apache-datasketches-theta-v1";
  private static final String FOREIGN_ZSTD = "other-engine-histogram-v1";

  @TempDir
  Path dir;

  // --- 1 ---

  @ParameterizedTest(name = "v{0}")
  @ValueSource(ints = {2, 3})
  void expireSnapshotsRemovesBundlesOfExpiredSnapshotsAndKeepsTheCurrent(int version) {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table table = docs(wh, version, 300);
      LakeAnnTable index = IcebergFixture.indexed(table, dir.resolve("shards"), Metric.L2);
      BuildResult first = index.build();
      long s1 = first.bundle().snapshotId();
      Path s1File = local(first.bundle().statisticsPath());
      assertTrue(Files.isRegularFile(s1File), "S1's bundle is written: " + s1File);

      wh.append(table, IcebergFixture.ids(300, 100), IcebergFixture.vectors(100, 2));
      BuildResult second = index.build();
      long s2 = table.currentSnapshot().snapshotId();
      assertEquals(s2, second.bundle().snapshotId());
      Path s2File = local(second.bundle().statisticsPath());
      assertNotEquals(s1File, s2File);

      table.expireSnapshots().expireSnapshotId(s1).commit();
      table.refresh();

      assertFalse(Files.exists(s1File), "the expired snapshot's bundle is deleted: " + s1File);
      assertTrue(table.statisticsFiles().stream().noneMatch(s -> s.snapshotId() == s1),
          "no statistics file of the expired snapshot stays registered");
      assertTrue(table.statisticsFiles().stream()
          .noneMatch(s -> local(s.path()).equals(s1File)));
      assertTrue(Files.isRegularFile(s2File), "the current snapshot's bundle is kept");
      assertEquals(List.of(s2), index.bundles().stream().map(RegisteredBundle::snapshotId)
          .toList());

      float[][] queries = IcebergFixture.queries(20);
      try (SnapshotIndex open = index.open(SnapshotRef.current())) {
        assertEquals(s2, open.coverage().bundleSnapshotId());
        assertEquals(0, open.coverage().deltaRows());
        assertEquals(400, open.coverage().indexedRows());
        IcebergFixture.assertSameNeighbours(
            IcebergFixture.exact(wh, table, s2, Metric.L2, queries),
            IcebergFixture.search(open, queries, EXHAUSTIVE), wh.liveIds(table, s2));
      }
    }
  }

  // --- 2 ---

  @ParameterizedTest(name = "v{0}")
  @ValueSource(ints = {2, 3})
  void othersStatisticsSurviveOurPublish(int version) throws IOException {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table table = docs(wh, version, 300);
      long snapshotId = table.currentSnapshot().snapshotId();
      StatisticsFile foreign = registerForeignStatistics(table, snapshotId);
      Map<String, Pair<BlobMetadata, byte[]>> foreignBlobs = blobs(table, foreign.path());

      LakeAnnTable index = IcebergFixture.indexed(table, dir.resolve("shards"), Metric.L2);
      BuildResult built = index.build();
      assertFalse(built.alreadyRegistered());

      table.refresh();
      List<StatisticsFile> registered = statisticsOf(table, snapshotId);
      assertEquals(1, registered.size(), "one statistics file per snapshot");
      StatisticsFile now = registered.get(0);
      assertEquals(built.bundle().statisticsPath(), now.path());
      Map<String, Pair<BlobMetadata, byte[]>> after = blobs(table, now.path());
      for (String type : List.of(THETA, FOREIGN_ZSTD)) {
        assertSameBlob(foreignBlobs.get(type), after.get(type));
      }
      Set<String> registeredTypes = now.blobMetadata().stream()
          .map(org.apache.iceberg.BlobMetadata::type).collect(Collectors.toSet());
      assertTrue(registeredTypes.containsAll(List.of(THETA, FOREIGN_ZSTD,
          BundleManifest.BLOB_TYPE, BundleManifest.SHARD_BLOB_TYPE)),
          "the registration lists every blob: " + registeredTypes);
      assertTrue(after.containsKey(BundleManifest.BLOB_TYPE));
      assertTrue(after.containsKey(BundleManifest.SHARD_BLOB_TYPE));

      BuildResult again = index.build();
      assertTrue(again.alreadyRegistered());
      assertEquals(now.path(), again.bundle().statisticsPath());
      table.refresh();
      assertEquals(List.of(now.path()),
          statisticsOf(table, snapshotId).stream().map(StatisticsFile::path).toList());
    }
  }

  // --- 3 ---

  @Test
  void replacedRegistrationIsReportedAsNoIndex() throws IOException {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table table = docs(wh, 2, 300);
      long snapshotId = table.currentSnapshot().snapshotId();
      LakeAnnTable index = IcebergFixture.indexed(table, dir.resolve("shards"), Metric.L2);
      index.build();

      // Another engine's compute_table_stats replaces the snapshot's statistics file.
      StatisticsFile foreign = registerForeignStatistics(table, snapshotId);
      table.refresh();
      assertEquals(List.of(foreign.path()),
          statisticsOf(table, snapshotId).stream().map(StatisticsFile::path).toList());

      NoIndexException e = assertThrows(NoIndexException.class,
          () -> index.open(SnapshotRef.current()).close());
      assertTrue(e.getMessage().contains(table.name()), "names the table: " + e.getMessage());
      assertTrue(e.getMessage().contains("embedding"), "names the column: " + e.getMessage());
      assertTrue(e.getMessage().contains(Long.toString(snapshotId)),
          "names the snapshot: " + e.getMessage());
      assertTrue(index.bundles().isEmpty());

      BuildResult rebuilt = index.build();
      assertFalse(rebuilt.alreadyRegistered());
      assertEquals(snapshotId, rebuilt.bundle().snapshotId());
      float[][] queries = IcebergFixture.queries(20);
      try (SnapshotIndex open = index.open(SnapshotRef.current())) {
        assertEquals(snapshotId, open.coverage().bundleSnapshotId());
        IcebergFixture.assertSameNeighbours(
            IcebergFixture.exact(wh, table, snapshotId, Metric.L2, queries),
            IcebergFixture.search(open, queries, EXHAUSTIVE), wh.liveIds(table, snapshotId));
      }
      // The rebuild keeps the other engine's statistics too.
      assertTrue(blobs(table, rebuilt.bundle().statisticsPath()).containsKey(THETA));
    }
  }

  // --- 4 ---

  @Test
  void largeShardsAreSplitIntoPartsAndReadBack() throws IOException {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table table = docs(wh, 3, 300);
      wh.append(table, IcebergFixture.ids(300, 300), IcebergFixture.vectors(300, 2));
      long snapshotId = table.currentSnapshot().snapshotId();
      int partBytes = 4096;
      LakeAnnTable index = IcebergFixture.indexed(table, dir.resolve("build-shards"), Metric.L2)
          .targetRowsPerShard(300).partBytes(partBytes);
      BuildResult built = index.build();
      BundleManifest manifest = built.bundle().manifest();
      assertEquals(2, manifest.shards().size(), "two files of 300 rows at 300 per shard");

      List<BlobMetadata> all;
      try (PuffinReader reader = Puffin.read(table.io().newInputFile(
          built.bundle().statisticsPath())).build()) {
        all = reader.fileMetadata().blobs();
      }
      for (int s = 0; s < manifest.shards().size(); s++) {
        String shard = Integer.toString(s);
        List<BlobMetadata> parts = all.stream()
            .filter(b -> b.type().equals(BundleManifest.SHARD_BLOB_TYPE))
            .filter(b -> shard.equals(b.properties().get("shard")))
            .sorted((a, b) -> Integer.compare(Integer.parseInt(a.properties().get("part")),
                Integer.parseInt(b.properties().get("part"))))
            .toList();
        long bytes = manifest.shards().get(s).bytes();
        long expectedParts = (bytes + partBytes - 1) / partBytes;
        assertTrue(expectedParts >= 3, "shard " + s + " of " + bytes + " bytes spans parts");
        assertEquals(expectedParts, parts.size(), "shard " + s + " parts");
        long total = 0;
        for (int p = 0; p < parts.size(); p++) {
          BlobMetadata part = parts.get(p);
          assertEquals(Integer.toString(p), part.properties().get("part"));
          assertEquals(Long.toString(expectedParts), part.properties().get("parts"));
          assertEquals(List.of(TestWarehouse.VECTOR_FIELD_ID), part.inputFields());
          assertTrue(part.length() <= partBytes);
          if (p < parts.size() - 1) {
            assertEquals(partBytes, part.length(), "every part but the last is full");
          }
          total += part.length();
        }
        assertEquals(bytes, total, "shard " + s + " parts add up to its rbpx");
      }

      Path fresh = dir.resolve("fresh-shards");
      LakeAnnTable reader = IcebergFixture.indexed(table, fresh, Metric.L2);
      float[][] queries = IcebergFixture.queries(20);
      try (SnapshotIndex open = reader.open(SnapshotRef.current())) {
        assertEquals(snapshotId, open.coverage().bundleSnapshotId());
        assertEquals(2, open.coverage().shards());
        assertEquals(0, open.coverage().deltaRows());
        IcebergFixture.assertSameNeighbours(
            IcebergFixture.exact(wh, table, snapshotId, Metric.L2, queries),
            IcebergFixture.search(open, queries, EXHAUSTIVE), wh.liveIds(table, snapshotId));
      }
      try (Stream<Path> files = Files.list(fresh)) {
        assertEquals(2, files.filter(p -> p.toString().endsWith(".rbpx")).count(),
            "both shards were fetched from the Puffin file");
      }
    }
  }

  // --- 5 ---

  @Test
  void tamperedShardBlobIsRefused() throws IOException {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table table = docs(wh, 2, 300);
      LakeAnnTable index = IcebergFixture.indexed(table, dir.resolve("shards"), Metric.L2)
          .partBytes(4096);
      RegisteredBundle bundle = index.build().bundle();

      // Pick a byte in the middle of the shard's largest section, so it is covered by a hash.
      Path copy = dir.resolve("inspect/shard-0.rbpx");
      index.store().fetchShard(bundle, 0, copy);
      SectionEntry largest = RbpxReader.readHeader(copy).sections().stream()
          .max((a, b) -> Long.compare(a.length(), b.length())).orElseThrow();
      long inShard = largest.offset() + largest.length() / 2;
      long inFile = -1;
      long start = 0;
      for (RegisteredBundle.BlobRange part : bundle.shardBlobs().get(0)) {
        if (inShard < start + part.length()) {
          inFile = part.offset() + (inShard - start);
          break;
        }
        start += part.length();
      }
      assertTrue(inFile >= 0);
      Path puffin = local(bundle.statisticsPath());
      flipByte(puffin, inFile);

      Path emptyDir = dir.resolve("empty-shards");
      LakeAnnTable reader = IcebergFixture.indexed(table, emptyDir, Metric.L2);
      String name = puffin.getFileName().toString();
      for (int attempt = 0; attempt < 2; attempt++) { // a refusal is not cached as a success
        LakeAnnException e = assertThrows(LakeAnnException.class, () -> {
          try (SnapshotIndex open = reader.open(SnapshotRef.current())) {
            fail("a tampered shard was opened and served " + open.search(
                IcebergFixture.queries(1)[0], EXHAUSTIVE).size() + " hits");
          }
        });
        assertTrue(e instanceof InvalidRbpxException || e instanceof ManifestMismatchException,
            "refused with a typed exception, got " + describe(e));
        assertTrue(e.getMessage().contains(name),
            "the refusal names the Puffin file " + name + ": " + describe(e));
      }
    }
  }

  // --- 6 ---

  @Test
  void failedPublishLeavesNothingUnregisteredAndThePreviousBundleUsable() throws IOException {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table table = docs(wh, 2, 300);
      LakeAnnTable index = IcebergFixture.indexed(table, dir.resolve("shards"), Metric.L2);
      RegisteredBundle b1 = index.build().bundle();
      long s1 = b1.snapshotId();
      wh.append(table, IcebergFixture.ids(300, 100), IcebergFixture.vectors(100, 2));
      long s2 = table.currentSnapshot().snapshotId();
      Path metadata = local(table.location()).resolve("metadata");
      Set<Path> before = lakeannStats(metadata);
      assertEquals(Set.of(local(b1.statisticsPath())), before);
      BundleManifest m1 = b1.manifest();

      // a) the snapshot does not exist
      BundleManifest ghost = withSnapshot(m1, s2 + 987_654_321L);
      assertThrows(PublishException.class,
          () -> index.store().publish(ghost, Collections.nCopies(m1.shards().size(), null)));
      assertNothingLeft(table, metadata, before, s1);

      // b) writing fails half-way: the shard file is not what the manifest says
      Path wrong = Files.writeString(dir.resolve("wrong.rbpx"), "not an rbpx file");
      BundleManifest forS2 = withSnapshot(m1, s2);
      assertThrows(PublishException.class, () -> index.store().publish(forS2,
          Collections.nCopies(m1.shards().size(), wrong)));
      assertNothingLeft(table, metadata, before, s1);

      // c) every commit conflicts (another writer keeps winning)
      AtomicInteger commits = new AtomicInteger();
      Table conflicting = withStatisticsCommit(table, update -> {
        commits.incrementAndGet();
        throw new CommitFailedException("simulated conflict");
      });
      LakeAnnTable viaConflicts = LakeAnnTable.of(conflicting).column("embedding").id("id")
          .config(index.config()).targetRowsPerShard(700)
          .cache(new ShardCache(new io.lakeann.core.cache.IndexCache<>(1L << 30),
              dir.resolve("shards"), 2));
      assertThrows(PublishException.class, viaConflicts::build);
      assertEquals(BundleStore.COMMIT_ATTEMPTS, commits.get(), "every attempt was tried");
      assertNothingLeft(table, metadata, before, s1);

      float[][] queries = IcebergFixture.queries(20);
      try (SnapshotIndex open = index.open(SnapshotRef.id(s1))) {
        assertEquals(s1, open.coverage().bundleSnapshotId());
        assertEquals(0, open.coverage().deltaRows());
        IcebergFixture.assertSameNeighbours(
            IcebergFixture.exact(wh, table, s1, Metric.L2, queries),
            IcebergFixture.search(open, queries, EXHAUSTIVE), wh.liveIds(table, s1));
      }
      try (SnapshotIndex open = index.open(SnapshotRef.current())) {
        assertEquals(s1, open.coverage().bundleSnapshotId(), "S2 falls back to S1's bundle");
        assertEquals(100, open.coverage().deltaRows());
        IcebergFixture.assertSameNeighbours(
            IcebergFixture.exact(wh, table, s2, Metric.L2, queries),
            IcebergFixture.search(open, queries, EXHAUSTIVE), wh.liveIds(table, s2));
      }
    }
  }

  /** Another writer registers its statistics just before our commit; the retry keeps them. */
  @Test
  void concurrentStatisticsCommitIsMergedOnRetry() throws IOException {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table table = docs(wh, 2, 300);
      long snapshotId = table.currentSnapshot().snapshotId();
      Path metadata = local(table.location()).resolve("metadata");
      AtomicInteger commits = new AtomicInteger();
      Table racing = withStatisticsCommit(table, update -> {
        if (commits.incrementAndGet() == 1) {
          try {
            registerForeignStatistics(table, snapshotId);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          throw new CommitFailedException("simulated: another writer committed first");
        }
        update.run();
      });
      LakeAnnTable index = IcebergFixture.indexed(racing, dir.resolve("shards"), Metric.L2);
      BuildResult built = index.build();
      assertEquals(2, commits.get());
      table.refresh();
      List<StatisticsFile> registered = statisticsOf(table, snapshotId);
      assertEquals(1, registered.size());
      assertEquals(built.bundle().statisticsPath(), registered.get(0).path());
      Map<String, Pair<BlobMetadata, byte[]>> after = blobs(table, registered.get(0).path());
      assertTrue(after.keySet().containsAll(List.of(THETA, FOREIGN_ZSTD,
          BundleManifest.BLOB_TYPE)), "both writers' blobs: " + after.keySet());
      assertEquals(Set.of(local(registered.get(0).path())), lakeannStats(metadata),
          "the first attempt's file was deleted");
    }
  }

  // --- 7 ---

  @Test
  void republishingAnUnchangedSnapshotIsANoOp() throws IOException {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Table table = docs(wh, 3, 300);
      LakeAnnTable index = IcebergFixture.indexed(table, dir.resolve("shards"), Metric.L2);
      BuildResult first = index.build();
      assertFalse(first.alreadyRegistered());
      Path metadata = local(table.location()).resolve("metadata");
      Set<Path> before = allFiles(metadata);
      String metadataJson = ((HasTableOperations) table).operations().current()
          .metadataFileLocation();

      BuildResult second = index.build();
      assertTrue(second.alreadyRegistered());
      assertEquals(0, second.shardsBuilt());
      assertEquals(0, second.shardsReused());
      assertEquals(0, second.shardsRemasked());
      assertEquals(0, second.rowsRead());
      assertEquals(first.bundle().statisticsPath(), second.bundle().statisticsPath());

      // A fresh handle on the table (another process) sees the same.
      Table reloaded = wh.loadTable("docs");
      BuildResult third = IcebergFixture.indexed(reloaded, dir.resolve("other-shards"),
          Metric.L2).build();
      assertTrue(third.alreadyRegistered());
      assertEquals(first.bundle().statisticsPath(), third.bundle().statisticsPath());

      // Publishing the same manifest directly is a no-op as well.
      BundleManifest manifest = first.bundle().manifest();
      BundleStore.Published republished = index.store().publish(manifest,
          Collections.nCopies(manifest.shards().size(), null));
      assertTrue(republished.alreadyRegistered());
      assertEquals(first.bundle().statisticsPath(), republished.bundle().statisticsPath());

      assertEquals(before, allFiles(metadata), "no file was added to the metadata directory");
      table.refresh();
      assertEquals(metadataJson, ((HasTableOperations) table).operations().current()
          .metadataFileLocation(), "no commit was made");
    }
  }

  // --- 8 ---

  @Test
  void bundlesOfTwoVectorColumnsShareOneStatisticsFile() throws IOException {
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      Schema schema = new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "vec_a", Types.ListType.ofOptional(4,
              Types.FloatType.get())),
          Types.NestedField.optional(3, "vec_b", Types.ListType.ofOptional(5,
              Types.FloatType.get())));
      Table table = wh.catalog().createTable(TestWarehouse.identifier("two"), schema,
          PartitionSpec.unpartitioned(), Map.of(TableProperties.FORMAT_VERSION, "2"));
      int n = 300;
      long[] ids = IcebergFixture.ids(0, n);
      float[][] a = IcebergFixture.vectors(n, 5);
      float[][] b = IcebergFixture.vectors(n, 6);
      appendTwoColumns(table, ids, a, b);
      long snapshotId = table.currentSnapshot().snapshotId();

      LakeAnnTable indexA = twoColumnIndex(table, "vec_a");
      LakeAnnTable indexB = twoColumnIndex(table, "vec_b");
      RegisteredBundle bundleA = indexA.build().bundle();
      RegisteredBundle bundleB = indexB.build().bundle();

      table.refresh();
      List<StatisticsFile> registered = statisticsOf(table, snapshotId);
      assertEquals(1, registered.size());
      assertEquals(bundleB.statisticsPath(), registered.get(0).path());
      Set<Integer> manifestFields = registered.get(0).blobMetadata().stream()
          .filter(m -> m.type().equals(BundleManifest.BLOB_TYPE))
          .map(m -> m.fields().get(0)).collect(Collectors.toSet());
      int fieldA = table.schema().findField("vec_a").fieldId();
      int fieldB = table.schema().findField("vec_b").fieldId();
      assertEquals(Set.of(fieldA, fieldB), manifestFields);

      BuildResult againA = indexA.build();
      assertTrue(againA.alreadyRegistered(), "column a's bundle survived column b's publish");
      assertEquals(bundleA.manifest().witness(), againA.bundle().manifest().witness());
      assertEquals(registered.get(0).path(), againA.bundle().statisticsPath());
      assertTrue(indexB.build().alreadyRegistered());

      float[][] queries = IcebergFixture.queries(20);
      Set<Long> live = new HashSet<>();
      for (long id : ids) {
        live.add(id);
      }
      for (Map.Entry<LakeAnnTable, float[][]> c : List.of(Map.entry(indexA, a),
          Map.entry(indexB, b))) {
        try (SnapshotIndex open = c.getKey().open(SnapshotRef.current())) {
          assertEquals(snapshotId, open.coverage().bundleSnapshotId());
          assertEquals(0, open.coverage().deltaRows());
          IcebergFixture.assertSameNeighbours(exact(ids, c.getValue(), queries),
              IcebergFixture.search(open, queries, EXHAUSTIVE), live);
        }
      }
    }
  }

  // --- helpers ---

  /** Table {@code db.docs} with {@code rows} rows, ids from 0. */
  private static Table docs(TestWarehouse wh, int version, int rows) {
    Table table = wh.createTable("docs", version, TestWarehouse.VectorType.LIST_FLOAT,
        TestWarehouse.IdType.LONG);
    wh.append(table, IcebergFixture.ids(0, rows), IcebergFixture.vectors(rows, 1));
    return table;
  }

  private LakeAnnTable twoColumnIndex(Table table, String column) {
    return LakeAnnTable.of(table).column(column).id("id")
        .config(IcebergFixture.config(Metric.L2)).targetRowsPerShard(700)
        .cache(new ShardCache(new io.lakeann.core.cache.IndexCache<>(1L << 30),
            dir.resolve("shards-" + column), 2));
  }

  private static void appendTwoColumns(Table table, long[] ids, float[][] a, float[][] b)
      throws IOException {
    GenericFileWriterFactory factory = new GenericFileWriterFactory.Builder(table)
        .dataFileFormat(FileFormat.PARQUET).dataSchema(table.schema()).build();
    OutputFileFactory files = OutputFileFactory.builderFor(table, 1, 1)
        .format(FileFormat.PARQUET).build();
    DataWriter<Record> writer = factory.newDataWriter(files.newOutputFile(), table.spec(), null);
    try (writer) {
      for (int i = 0; i < ids.length; i++) {
        GenericRecord row = GenericRecord.create(table.schema());
        row.setField("id", ids[i]);
        row.setField("vec_a", TestWarehouse.vectorValue(TestWarehouse.VectorType.LIST_FLOAT,
            a[i]));
        row.setField("vec_b", TestWarehouse.vectorValue(TestWarehouse.VectorType.LIST_FLOAT,
            b[i]));
        writer.write(row);
      }
    }
    DataFile file = writer.toDataFile();
    table.newAppend().appendFile(file).commit();
    table.refresh();
  }

  private static List<List<Long>> exact(long[] ids, float[][] vectors, float[][] queries) {
    float[] data = new float[ids.length * DIM];
    for (int i = 0; i < ids.length; i++) {
      System.arraycopy(vectors[i], 0, data, i * DIM, DIM);
    }
    ExactSearch exact = new ExactSearch(VectorSet.of("oracle", ids, data, DIM), Metric.L2);
    List<List<Long>> out = new ArrayList<>();
    for (float[] q : queries) {
      Neighbors found = exact.search(q, K, null);
      List<Long> top = new ArrayList<>();
      for (int i = 0; i < found.size(); i++) {
        top.add(found.id(i));
      }
      out.add(top);
    }
    return out;
  }

  /**
   * Writes a statistics file as another engine would (an uncompressed theta sketch and a
   * zstd-compressed blob) and registers it for {@code snapshotId}, replacing any registration.
   */
  static StatisticsFile registerForeignStatistics(Table table, long snapshotId)
      throws IOException {
    table.refresh();
    long sequence = table.snapshot(snapshotId).sequenceNumber();
    String location = table.location() + "/metadata/" + snapshotId + "-" + UUID.randomUUID()
        + "-other.stats";
    PuffinWriter writer = Puffin.write(table.io().newOutputFile(location))
        .createdBy("other-engine 1.0").build();
    try (writer) {
      writer.add(new Blob(THETA, List.of(TestWarehouse.ID_FIELD_ID), snapshotId, sequence,
          ByteBuffer.wrap("theta sketch bytes \u0000\u0001\u00ff".getBytes(
              StandardCharsets.ISO_8859_1)), null, Map.of("ndv", "300")));
      writer.add(new Blob(FOREIGN_ZSTD, List.of(TestWarehouse.VECTOR_FIELD_ID), snapshotId,
          sequence, ByteBuffer.wrap("histogram ".repeat(50).getBytes(StandardCharsets.UTF_8)),
          PuffinCompressionCodec.ZSTD, Map.of("buckets", "50", "engine", "other")));
      writer.finish();
    }
    StatisticsFile stats = new GenericStatisticsFile(snapshotId, location, writer.fileSize(),
        writer.footerSize(), GenericBlobMetadata.from(writer.writtenBlobsMetadata()));
    table.updateStatistics().setStatistics(stats).commit();
    table.refresh();
    return stats;
  }

  /** Every blob of a Puffin file by type (the last of each type), with its decompressed bytes. */
  private static Map<String, Pair<BlobMetadata, byte[]>> blobs(Table table, String path)
      throws IOException {
    Map<String, Pair<BlobMetadata, byte[]>> out = new HashMap<>();
    try (PuffinReader reader = Puffin.read(table.io().newInputFile(path)).build()) {
      for (Pair<BlobMetadata, ByteBuffer> pair : reader.readAll(reader.fileMetadata().blobs())) {
        ByteBuffer buf = pair.second();
        byte[] bytes = new byte[buf.remaining()];
        buf.get(bytes);
        out.put(pair.first().type(), Pair.of(pair.first(), bytes));
      }
    }
    return out;
  }

  private static void assertSameBlob(Pair<BlobMetadata, byte[]> expected,
      Pair<BlobMetadata, byte[]> actual) {
    assertNotNull(expected);
    String type = expected.first().type();
    assertNotNull(actual, "blob " + type + " was kept");
    assertEquals(expected.first().inputFields(), actual.first().inputFields(), type);
    assertEquals(expected.first().snapshotId(), actual.first().snapshotId(), type);
    assertEquals(expected.first().sequenceNumber(), actual.first().sequenceNumber(), type);
    assertEquals(expected.first().properties(), actual.first().properties(), type);
    assertEquals(expected.first().compressionCodec(), actual.first().compressionCodec(), type);
    assertArrayEquals(expected.second(), actual.second(), type + " bytes");
  }

  private static List<StatisticsFile> statisticsOf(Table table, long snapshotId) {
    return table.statisticsFiles().stream().filter(s -> s.snapshotId() == snapshotId).toList();
  }

  private static BundleManifest withSnapshot(BundleManifest m, long snapshotId) {
    return new BundleManifest(m.tableUuid(), snapshotId, m.binding(), m.dim(), m.config(),
        m.targetRowsPerShard(), m.shards());
  }

  private static void assertNothingLeft(Table table, Path metadata, Set<Path> before, long s1) {
    assertEquals(before, lakeannStats(metadata), "no unregistered lakeann statistics file left");
    table.refresh();
    assertEquals(1, table.statisticsFiles().size());
    assertEquals(s1, table.statisticsFiles().get(0).snapshotId());
  }

  /** lakeann statistics files in {@code metadata} (Hadoop's hidden .crc files aside). */
  private static Set<Path> lakeannStats(Path metadata) {
    return allFiles(metadata).stream()
        .filter(p -> p.getFileName().toString().endsWith("-lakeann.stats"))
        .filter(p -> !p.getFileName().toString().startsWith("."))
        .collect(Collectors.toSet());
  }

  private static Set<Path> allFiles(Path metadata) {
    try (Stream<Path> files = Files.list(metadata)) {
      return files.collect(Collectors.toSet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A local path for a warehouse location ({@code file:/...} or a plain path). */
  static Path local(String location) {
    return location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
  }

  /**
   * Flips one byte of {@code file} on disk, as damage in storage would. Hadoop's local
   * checksum sidecar is removed, so the damage reaches the reader (object stores have none).
   */
  static void flipByte(Path file, long offset) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      assertEquals(1, ch.read(one, offset));
      one.put(0, (byte) (one.get(0) ^ 0x5A)).rewind();
      assertEquals(1, ch.write(one, offset));
    }
    Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
  }

  private static String describe(Throwable e) {
    StringBuilder out = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      out.append(out.length() == 0 ? "" : " <- ").append(t.getClass().getSimpleName())
          .append(": ").append(t.getMessage());
    }
    return out.toString();
  }

  /** What a proxied metadata commit does instead; it may run {@code real}, the real commit. */
  private interface CommitHook {
    void commit(Runnable real);
  }

  /**
   * {@code table} with every call passed through, except that a metadata commit through its
   * operations runs {@code hook} (which may throw, as a conflicting commit would).
   */
  private static Table withStatisticsCommit(Table table, CommitHook hook) {
    TableOperations realOps = ((HasTableOperations) table).operations();
    TableOperations ops = (TableOperations) Proxy.newProxyInstance(
        BundleLifecycleTest.class.getClassLoader(), new Class<?>[] {TableOperations.class},
        (p, m, a) -> {
          if (m.getName().equals("commit")) {
            hook.commit(() -> realOps.commit((TableMetadata) a[0], (TableMetadata) a[1]));
            return null;
          }
          return invoke(realOps, m, a);
        });
    InvocationHandler handler = (proxy, method, args) -> method.getName().equals("operations")
        ? ops : invoke(table, method, args);
    return (Table) Proxy.newProxyInstance(BundleLifecycleTest.class.getClassLoader(),
        new Class<?>[] {Table.class, HasTableOperations.class}, handler);
  }

  private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args)
      throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
