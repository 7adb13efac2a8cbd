package io.lakeann.iceberg;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.GenericBlobMetadata;
import org.apache.iceberg.GenericStatisticsFile;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StatisticsFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.SeekableInputStream;
import org.apache.iceberg.puffin.Blob;
import org.apache.iceberg.puffin.BlobMetadata;
import org.apache.iceberg.puffin.Puffin;
import org.apache.iceberg.puffin.PuffinCompressionCodec;
import org.apache.iceberg.puffin.PuffinReader;
import org.apache.iceberg.puffin.PuffinWriter;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.Pair;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bundles as Puffin statistics of their snapshot. Publishing writes one new statistics file
 * holding every blob already registered for the snapshot that is not this column's lakeann
 * bundle (NDV sketches and the like are kept), plus the manifest and the shards, each shard's
 * rbpx split into blobs below {@link #DEFAULT_PART_BYTES}; it then registers the file with
 * {@code UpdateStatistics}, retrying when another writer got there first. A failed publish
 * deletes the file it wrote. Shard bytes are read back by byte range, one part at a time.
 */
public final class BundleStore {
  private static final Logger LOG = LoggerFactory.getLogger(BundleStore.class);
  /** Largest blob a shard part may take: below Puffin's 2 GiB blobs (Java buffers). */
  public static final long DEFAULT_PART_BYTES = 1L << 30;
  static final int COMMIT_ATTEMPTS = 5;
  private static final int COPY_BUFFER = 1 << 20;

  private final Table table;
  private final String tableName;
  private final long partBytes;

  public BundleStore(Table table, long partBytes) {
    if (partBytes <= 0 || partBytes > DEFAULT_PART_BYTES * 2 - 1024) {
      throw new io.lakeann.core.InvalidRequestException(String.format(Locale.ROOT,
          "Invalid part size: %d bytes (must be in (0, 2 GiB))", partBytes));
    }
    this.table = table;
    this.tableName = table.name();
    this.partBytes = partBytes;
  }

  /** The table's name, as Iceberg gives it; the cache counts the table's shards under it. */
  public String tableName() {
    return tableName;
  }

  /** The bundle of the vector field registered with {@code snapshotId}, if any and readable. */
  public Optional<RegisteredBundle> find(long snapshotId, int vectorFieldId) {
    for (StatisticsFile stats : table.statisticsFiles()) {
      if (stats.snapshotId() == snapshotId && hasManifest(stats, vectorFieldId)) {
        return Optional.of(read(stats, vectorFieldId));
      }
    }
    return Optional.empty();
  }

  /**
   * The bundle of the nearest snapshot among {@code snapshotId} and its ancestors that has one.
   * A registered bundle that cannot be read (its file replaced or removed) counts as none, with
   * a warning.
   */
  public Optional<RegisteredBundle> findNearest(long snapshotId, int vectorFieldId) {
    Snapshot snapshot = table.snapshot(snapshotId);
    while (snapshot != null) {
      try {
        Optional<RegisteredBundle> found = find(snapshot.snapshotId(), vectorFieldId);
        if (found.isPresent()) {
          return found;
        }
      } catch (ManifestMismatchException e) {
        LOG.warn("Ignoring the lakeann bundle of snapshot {} of {}: {}", snapshot.snapshotId(),
            tableName, e.getMessage());
      }
      Long parent = snapshot.parentId();
      snapshot = parent == null ? null : table.snapshot(parent);
    }
    return Optional.empty();
  }

  /**
   * Field ids of the columns with a lakeann manifest in any registered statistics file: the
   * table's columns in schema order, then fields no longer in the schema.
   */
  public List<Integer> indexedFields() {
    Set<Integer> found = new LinkedHashSet<>();
    for (StatisticsFile stats : table.statisticsFiles()) {
      for (org.apache.iceberg.BlobMetadata blob : stats.blobMetadata()) {
        if (blob.type().equals(BundleManifest.BLOB_TYPE) && blob.fields().size() == 1) {
          found.add(blob.fields().get(0));
        }
      }
    }
    List<Integer> ordered = new ArrayList<>();
    for (Types.NestedField f : table.schema().columns()) {
      if (found.remove(f.fieldId())) {
        ordered.add(f.fieldId());
      }
    }
    ordered.addAll(found);
    return ordered;
  }

  /**
   * Some readable bundle of the vector field on any snapshot (to learn its id column), or empty;
   * unreadable ones are skipped.
   */
  public Optional<RegisteredBundle> anyReadable(int vectorFieldId) {
    for (StatisticsFile stats : table.statisticsFiles()) {
      try {
        Optional<RegisteredBundle> bundle = find(stats.snapshotId(), vectorFieldId);
        if (bundle.isPresent()) {
          return bundle;
        }
      } catch (ManifestMismatchException e) {
        LOG.debug("Skipping an unreadable lakeann bundle: {}", e.getMessage());
      }
    }
    return Optional.empty();
  }

  private static boolean hasManifest(StatisticsFile stats, int vectorFieldId) {
    for (org.apache.iceberg.BlobMetadata blob : stats.blobMetadata()) {
      if (isOurs(blob.type(), blob.fields(), vectorFieldId)
          && blob.type().equals(BundleManifest.BLOB_TYPE)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isOurs(String type, List<Integer> fields, int vectorFieldId) {
    return (type.equals(BundleManifest.BLOB_TYPE) || type.equals(BundleManifest.SHARD_BLOB_TYPE))
        && fields.size() == 1 && fields.get(0) == vectorFieldId;
  }

  private RegisteredBundle read(StatisticsFile stats, int vectorFieldId) {
    String where = String.format(Locale.ROOT, "statistics file %s of %s (snapshot %d)",
        stats.path(), tableName, stats.snapshotId());
    try (PuffinReader reader = open(stats)) {
      List<BlobMetadata> blobs = reader.fileMetadata().blobs();
      BlobMetadata manifestBlob = null;
      Map<String, List<BlobMetadata>> parts = new HashMap<>();
      for (BlobMetadata blob : blobs) {
        if (!isOurs(blob.type(), blob.inputFields(), vectorFieldId)) {
          continue;
        }
        if (blob.type().equals(BundleManifest.BLOB_TYPE)) {
          manifestBlob = blob;
        } else {
          parts.computeIfAbsent(blob.properties().get("shard"), s -> new ArrayList<>()).add(blob);
        }
      }
      if (manifestBlob == null) {
        throw new ManifestMismatchException(where + ": the registration names a lakeann "
            + "manifest the file does not hold; rebuild the index");
      }
      ByteBuffer json = null;
      for (Pair<BlobMetadata, ByteBuffer> pair : reader.readAll(List.of(manifestBlob))) {
        json = pair.second();
      }
      byte[] bytes = new byte[json.remaining()];
      json.get(bytes);
      BundleManifest manifest = BundleManifest.fromJson(
          new String(bytes, StandardCharsets.UTF_8), where);
      if (manifest.snapshotId() != stats.snapshotId()
          || !manifest.tableUuid().equals(table.uuid().toString())) {
        throw new ManifestMismatchException(where + ": the manifest describes table "
            + manifest.tableUuid() + " snapshot " + manifest.snapshotId()
            + ", not this one; rebuild the index");
      }
      return new RegisteredBundle(stats.path(), stats.fileSizeInBytes(), manifest,
          shardParts(where, manifest, parts));
    } catch (NotFoundException e) {
      throw new ManifestMismatchException(where + ": the file is gone (" + e.getMessage()
          + "); rebuild the index", e);
    } catch (IOException e) {
      throw new ManifestMismatchException(where + ": unreadable (" + e.getMessage()
          + "); rebuild the index", e);
    }
  }

  private static List<List<RegisteredBundle.BlobRange>> shardParts(String where,
      BundleManifest manifest, Map<String, List<BlobMetadata>> parts) {
    List<List<RegisteredBundle.BlobRange>> out = new ArrayList<>();
    for (int s = 0; s < manifest.shards().size(); s++) {
      ShardEntry shard = manifest.shards().get(s);
      List<BlobMetadata> found = new ArrayList<>(parts.getOrDefault(Integer.toString(s), List.of()));
      found.sort((a, b) -> Integer.compare(partIndex(a), partIndex(b)));
      long total = 0;
      for (int p = 0; p < found.size(); p++) {
        BlobMetadata blob = found.get(p);
        if (partIndex(blob) != p || !"none".equals(codec(blob))
            || !String.valueOf(shard.witness()).equals(blob.properties().get("witness"))) {
          throw new ManifestMismatchException(where + ": shard " + s + " part " + p
              + " does not match the manifest; rebuild the index");
        }
        total += blob.length();
      }
      if (total != shard.bytes()) {
        throw new ManifestMismatchException(String.format(Locale.ROOT,
            "%s: shard %d has %d bytes of blobs, the manifest says %d; rebuild the index",
            where, s, total, shard.bytes()));
      }
      out.add(found.stream().map(b -> new RegisteredBundle.BlobRange(b.offset(), b.length()))
          .toList());
    }
    return out;
  }

  /** The codec a blob was written with; Iceberg names "no compression" by a null codec. */
  private static PuffinCompressionCodec compression(BlobMetadata blob) {
    return blob.compressionCodec() == null ? PuffinCompressionCodec.NONE
        : PuffinCompressionCodec.forName(blob.compressionCodec());
  }

  private static String codec(BlobMetadata blob) {
    return blob.compressionCodec() == null ? "none" : blob.compressionCodec();
  }

  private static int partIndex(BlobMetadata blob) {
    String part = blob.properties().get("part");
    return part == null ? -1 : Integer.parseInt(part);
  }

  private PuffinReader open(StatisticsFile stats) {
    InputFile input = table.io().newInputFile(stats.path(), stats.fileSizeInBytes());
    return Puffin.read(input).withFileSize(stats.fileSizeInBytes())
        .withFooterSize(stats.fileFooterSizeInBytes()).build();
  }

  /**
   * Copies the rbpx bytes of shard {@code index} of {@code bundle} into {@code target}
   * (atomically: a temporary file renamed into place), reading each part by byte range.
   */
  public void fetchShard(RegisteredBundle bundle, int index, Path target) {
    List<RegisteredBundle.BlobRange> parts = bundle.shardBlobs().get(index);
    try {
      Files.createDirectories(target.toAbsolutePath().getParent());
      Path temp = Files.createTempFile(target.toAbsolutePath().getParent(),
          target.getFileName().toString(), ".part");
      try {
        try (SeekableInputStream in = table.io()
                .newInputFile(bundle.statisticsPath(), bundle.statisticsSize()).newStream();
            FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
          byte[] buffer = new byte[COPY_BUFFER];
          for (RegisteredBundle.BlobRange part : parts) {
            in.seek(part.offset());
            copy(in, out, part.length(), buffer, bundle.statisticsPath());
          }
          out.force(true);
        }
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (NotFoundException e) {
      throw new ManifestMismatchException("statistics file " + bundle.statisticsPath() + " of "
          + tableName + " is gone; rebuild the index", e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot fetch shard " + index + " of the lakeann bundle in "
          + bundle.statisticsPath() + " of " + tableName, e);
    }
  }

  private static void copy(InputStream in, FileChannel out, long length, byte[] buffer,
      String file) throws IOException {
    long left = length;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new IOException(file + " ends " + left + " bytes before the blob does");
      }
      ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
      while (chunk.hasRemaining()) {
        out.write(chunk);
      }
      left -= n;
    }
  }

  /**
   * What {@link #publish} did.
   *
   * @param bundle the bundle registered with the snapshot now
   * @param alreadyRegistered true when the snapshot already had a bundle with the same witness
   *     (registered earlier, or by a concurrent build that committed first): this call wrote
   *     nothing
   */
  public record Published(RegisteredBundle bundle, boolean alreadyRegistered) {
  }

  /**
   * Registers {@code manifest} with its snapshot, the rbpx of shard {@code i} read from
   * {@code shardFiles.get(i)} (null for empty shards). A no-op when the snapshot already has a
   * bundle with the same witness for this column; a concurrent publish of another bundle makes
   * the commit conflict, and the retry replaces it, so one bundle per column stays registered.
   *
   * @throws PublishException if the snapshot is gone or the commit keeps failing; the new
   *     statistics file is deleted and whatever was registered before stays registered
   */
  public Published publish(BundleManifest manifest, List<Path> shardFiles) {
    return publish(manifest, shardFiles, false);
  }

  /**
   * {@link #publish(BundleManifest, List)}; with {@code replaceEqual} a new statistics file is
   * written and registered even when the snapshot's bundle has the same witness, as a repair
   * does: the manifest is the same but the registered file's bytes are damaged.
   */
  public Published publish(BundleManifest manifest, List<Path> shardFiles,
      boolean replaceEqual) {
    int fieldId = manifest.binding().vectorFieldId();
    long snapshotId = manifest.snapshotId();
    String witness = manifest.witness().toString();
    RuntimeException lastConflict = null;
    for (int attempt = 1; attempt <= COMMIT_ATTEMPTS; attempt++) {
      table.refresh();
      Snapshot snapshot = table.snapshot(snapshotId);
      if (snapshot == null) {
        throw new PublishException(String.format(Locale.ROOT,
            "Cannot publish the lakeann bundle of %s: snapshot %d no longer exists (expired or "
                + "rolled back); build again on a live snapshot", tableName, snapshotId));
      }
      StatisticsFile base = statisticsOf(snapshotId);
      Optional<RegisteredBundle> existing = base != null && hasManifest(base, fieldId)
          ? readQuietly(base, fieldId) : Optional.empty();
      if (!replaceEqual && existing.isPresent()
          && existing.get().manifest().witness().toString().equals(witness)) {
        LOG.info("lakeann bundle {} of {} snapshot {} is already registered", witness, tableName,
            snapshotId);
        return new Published(existing.get(), true);
      }
      String location = metadataLocation(String.format(Locale.ROOT, "%d-%s-lakeann.stats",
          snapshotId, UUID.randomUUID()));
      StatisticsFile written = null;
      boolean keep = false;
      try {
        written = write(location, snapshot, manifest, shardFiles, base);
        commit(snapshotId, base, written);
        keep = true;
        LOG.info("Published lakeann bundle {} of {} snapshot {}: {} shards, {} rows, in {}",
            witness, tableName, snapshotId, manifest.shards().size(), manifest.liveRows(),
            location);
        return new Published(find(snapshotId, fieldId).orElseThrow(() -> new PublishException(
            "The lakeann bundle of " + tableName + " snapshot " + snapshotId
                + " vanished right after it was registered; publish again")), false);
      } catch (CommitStateUnknownException e) {
        keep = true;
        throw new PublishException("Cannot tell whether the lakeann bundle of " + tableName
            + " snapshot " + snapshotId + " was registered (" + e.getMessage() + "); look it "
            + "up before publishing again; " + location + " was kept", e);
      } catch (CommitFailedException e) {
        lastConflict = e;
        LOG.info("Registering the lakeann bundle of {} snapshot {} conflicted; retrying: {}",
            tableName, snapshotId, e.getMessage());
      } catch (IOException e) {
        throw new PublishException("Cannot write the lakeann bundle of " + tableName
            + " snapshot " + snapshotId + " to " + location + ": " + e.getMessage(), e);
      } finally {
        if (!keep) {
          deleteQuietly(location);
        }
      }
    }
    throw new PublishException("Cannot register the lakeann bundle of " + tableName
        + " snapshot " + snapshotId + ": its statistics kept changing during " + COMMIT_ATTEMPTS
        + " attempts; publish again", lastConflict);
  }

  /**
   * What {@link #drop} did.
   *
   * @param bundles bundles unregistered (one per snapshot that had one for the column)
   * @param deletedFiles the statistics files deleted: each held this column's bundle (another
   *     column's bundle or another engine's blobs, if any, were first copied into a new file
   *     registered in its place)
   */
  public record Dropped(int bundles, List<String> deletedFiles) {
    public Dropped {
      deletedFiles = List.copyOf(deletedFiles);
    }
  }

  /**
   * Unregisters every bundle of the vector field, on every snapshot, in one metadata commit
   * (retried on conflict), then deletes the statistics files that held them through the table's
   * FileIO. Blobs of other columns and other engines in those files are kept: they are copied
   * into a new statistics file registered in place of the old one. A no-op when the column has
   * no bundle.
   *
   * @throws PublishException if the commit keeps conflicting or a new file cannot be written
   */
  public Dropped drop(int vectorFieldId) {
    RuntimeException lastConflict = null;
    for (int attempt = 1; attempt <= COMMIT_ATTEMPTS; attempt++) {
      table.refresh();
      List<StatisticsFile> ours = new ArrayList<>();
      for (StatisticsFile stats : table.statisticsFiles()) {
        if (holdsOurs(stats, vectorFieldId)) {
          ours.add(stats);
        }
      }
      if (ours.isEmpty()) {
        return new Dropped(0, List.of());
      }
      List<String> written = new ArrayList<>();
      boolean keep = false;
      try {
        List<StatisticsFile> replacements = new ArrayList<>();
        for (StatisticsFile stats : ours) {
          if (holdsOthers(stats, vectorFieldId)) {
            String location = metadataLocation(String.format(Locale.ROOT,
                "%d-%s-lakeann.stats", stats.snapshotId(), UUID.randomUUID()));
            written.add(location);
            replacements.add(writeOthers(location, stats, vectorFieldId));
          }
        }
        commitDrop(ours, replacements);
        keep = true;
        List<String> deleted = new ArrayList<>();
        for (StatisticsFile stats : ours) {
          table.io().deleteFile(stats.path());
          deleted.add(stats.path());
        }
        LOG.info("Dropped the lakeann bundles of field {} of {}: {} statistics files deleted",
            vectorFieldId, tableName, deleted.size());
        return new Dropped(ours.size(), deleted);
      } catch (CommitStateUnknownException e) {
        keep = true;
        throw new PublishException("Cannot tell whether the lakeann bundles of " + tableName
            + " were unregistered (" + e.getMessage() + "); look at the table's statistics "
            + "before dropping again", e);
      } catch (CommitFailedException e) {
        lastConflict = e;
        LOG.info("Unregistering the lakeann bundles of {} conflicted; retrying: {}", tableName,
            e.getMessage());
      } catch (IOException e) {
        throw new PublishException("Cannot drop the lakeann bundles of " + tableName + ": "
            + e.getMessage(), e);
      } finally {
        if (!keep) {
          written.forEach(this::deleteQuietly);
        }
      }
    }
    throw new PublishException("Cannot unregister the lakeann bundles of " + tableName
        + ": its statistics kept changing during " + COMMIT_ATTEMPTS + " attempts; drop again",
        lastConflict);
  }

  private static boolean holdsOurs(StatisticsFile stats, int vectorFieldId) {
    for (org.apache.iceberg.BlobMetadata blob : stats.blobMetadata()) {
      if (isOurs(blob.type(), blob.fields(), vectorFieldId)) {
        return true;
      }
    }
    return false;
  }

  private static boolean holdsOthers(StatisticsFile stats, int vectorFieldId) {
    for (org.apache.iceberg.BlobMetadata blob : stats.blobMetadata()) {
      if (!isOurs(blob.type(), blob.fields(), vectorFieldId)) {
        return true;
      }
    }
    return false;
  }

  private StatisticsFile writeOthers(String location, StatisticsFile base, int vectorFieldId)
      throws IOException {
    PuffinWriter writer = Puffin.write(table.io().newOutputFile(location))
        .createdBy("lakeann").build();
    try (writer) {
      copyOthers(base, vectorFieldId, writer);
      writer.finish();
    }
    return new GenericStatisticsFile(base.snapshotId(), location, writer.fileSize(),
        writer.footerSize(), GenericBlobMetadata.from(writer.writtenBlobsMetadata()));
  }

  /**
   * Removes the registrations {@code dropped} and registers {@code replacements}, as one
   * compare-and-swap on the metadata the statistics were read from.
   */
  private void commitDrop(List<StatisticsFile> dropped, List<StatisticsFile> replacements) {
    if (!(table instanceof HasTableOperations withOps)) {
      org.apache.iceberg.UpdateStatistics update = table.updateStatistics();
      dropped.forEach(stats -> update.removeStatistics(stats.snapshotId()));
      replacements.forEach(update::setStatistics);
      update.commit();
      return;
    }
    TableOperations ops = withOps.operations();
    TableMetadata current = ops.current();
    List<String> registered = current.statisticsFiles().stream().map(StatisticsFile::path)
        .toList();
    for (StatisticsFile stats : dropped) {
      if (!registered.contains(stats.path())) {
        throw new CommitFailedException("statistics of snapshot %d changed while dropping",
            stats.snapshotId());
      }
    }
    TableMetadata.Builder updated = TableMetadata.buildFrom(current);
    dropped.forEach(stats -> updated.removeStatistics(stats.snapshotId()));
    replacements.forEach(updated::setStatistics);
    ops.commit(current, updated.build());
    table.refresh();
  }

  /**
   * Registers {@code written} only if the snapshot's statistics are still {@code base}: through
   * the table's operations, a compare-and-swap on the metadata that fails with
   * {@link CommitFailedException} when anyone committed in between (Iceberg's
   * {@code UpdateStatistics} would instead re-apply onto the newer metadata and so replace a
   * statistics file registered meanwhile). Tables without operations use {@code UpdateStatistics}.
   */
  private void commit(long snapshotId, StatisticsFile base, StatisticsFile written) {
    if (!(table instanceof HasTableOperations withOps)) {
      table.updateStatistics().setStatistics(written).commit();
      return;
    }
    TableOperations ops = withOps.operations();
    TableMetadata current = ops.refresh();
    StatisticsFile now = null;
    for (StatisticsFile stats : current.statisticsFiles()) {
      if (stats.snapshotId() == snapshotId) {
        now = stats;
      }
    }
    if (!samePath(now, base)) {
      throw new CommitFailedException("statistics of snapshot %d changed while publishing",
          snapshotId);
    }
    ops.commit(current, TableMetadata.buildFrom(current).setStatistics(written).build());
    table.refresh();
  }

  private Optional<RegisteredBundle> readQuietly(StatisticsFile stats, int fieldId) {
    try {
      return Optional.of(read(stats, fieldId));
    } catch (ManifestMismatchException e) {
      LOG.warn("Replacing an unreadable lakeann bundle: {}", e.getMessage());
      return Optional.empty();
    }
  }

  private static boolean samePath(StatisticsFile a, StatisticsFile b) {
    return a == null ? b == null : b != null && a.path().equals(b.path());
  }

  StatisticsFile statisticsOf(long snapshotId) {
    for (StatisticsFile stats : table.statisticsFiles()) {
      if (stats.snapshotId() == snapshotId) {
        return stats;
      }
    }
    return null;
  }

  private StatisticsFile write(String location, Snapshot snapshot, BundleManifest manifest,
      List<Path> shardFiles, StatisticsFile base) throws IOException {
    int fieldId = manifest.binding().vectorFieldId();
    PuffinWriter writer = Puffin.write(table.io().newOutputFile(location))
        .createdBy("lakeann").build();
    List<FileChannel> channels = new ArrayList<>();
    try (writer) {
      if (base != null) {
        copyOthers(base, fieldId, writer);
      }
      Map<String, String> common = Map.of(
          "metric", manifest.config().metric().name(),
          "dimension", Integer.toString(manifest.dim()),
          "config", manifest.config().toString(),
          "bundle-witness", manifest.witness().toString());
      for (int s = 0; s < manifest.shards().size(); s++) {
        ShardEntry shard = manifest.shards().get(s);
        if (shard.isEmpty()) {
          continue;
        }
        FileChannel ch = FileChannel.open(shardFiles.get(s), StandardOpenOption.READ);
        channels.add(ch);
        if (ch.size() != shard.bytes()) {
          throw new IOException("shard file " + shardFiles.get(s) + " has " + ch.size()
              + " bytes, the manifest says " + shard.bytes());
        }
        int parts = (int) ((shard.bytes() + partBytes - 1) / partBytes);
        for (int p = 0; p < parts; p++) {
          long offset = p * partBytes;
          MappedByteBuffer bytes = ch.map(FileChannel.MapMode.READ_ONLY, offset,
              Math.min(partBytes, shard.bytes() - offset));
          Map<String, String> props = new HashMap<>(common);
          props.put("witness", shard.witness().toString());
          props.put("rows", Long.toString(shard.liveRows()));
          props.put("shard", Integer.toString(s));
          props.put("part", Integer.toString(p));
          props.put("parts", Integer.toString(parts));
          writer.add(new Blob(BundleManifest.SHARD_BLOB_TYPE, List.of(fieldId),
              snapshot.snapshotId(), snapshot.sequenceNumber(), bytes,
              PuffinCompressionCodec.NONE, props));
        }
      }
      Map<String, String> props = new HashMap<>(common);
      props.put("witness", manifest.witness().toString());
      props.put("rows", Long.toString(manifest.liveRows()));
      props.put("shards", Integer.toString(manifest.shards().size()));
      writer.add(new Blob(BundleManifest.BLOB_TYPE, List.of(fieldId), snapshot.snapshotId(),
          snapshot.sequenceNumber(),
          ByteBuffer.wrap(manifest.toJson().getBytes(StandardCharsets.UTF_8)),
          PuffinCompressionCodec.NONE, props));
      writer.finish();
    } finally {
      for (FileChannel ch : channels) {
        ch.close();
      }
    }
    return new GenericStatisticsFile(snapshot.snapshotId(), location, writer.fileSize(),
        writer.footerSize(), GenericBlobMetadata.from(writer.writtenBlobsMetadata()));
  }

  /** Copies every blob of {@code base} except this column's lakeann blobs, as they were. */
  private void copyOthers(StatisticsFile base, int fieldId, PuffinWriter writer)
      throws IOException {
    try (PuffinReader reader = open(base)) {
      List<BlobMetadata> others = new ArrayList<>();
      for (BlobMetadata blob : reader.fileMetadata().blobs()) {
        if (!isOurs(blob.type(), blob.inputFields(), fieldId)) {
          others.add(blob);
        }
      }
      for (Pair<BlobMetadata, ByteBuffer> pair : reader.readAll(others)) {
        BlobMetadata m = pair.first();
        writer.add(new Blob(m.type(), m.inputFields(), m.snapshotId(), m.sequenceNumber(),
            pair.second(), compression(m), m.properties()));
      }
    } catch (NotFoundException e) {
      throw new IOException("the statistics file registered before, " + base.path()
          + ", is gone", e);
    }
  }

  private String metadataLocation(String name) {
    if (table instanceof HasTableOperations ops) {
      return ops.operations().metadataFileLocation(name);
    }
    return table.location() + "/metadata/" + name;
  }

  private void deleteQuietly(String location) {
    try {
      table.io().deleteFile(location);
    } catch (RuntimeException e) {
      LOG.debug("Could not delete {}: {}", location, e.toString());
    }
  }
}
