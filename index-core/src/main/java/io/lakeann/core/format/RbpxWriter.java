package io.lakeann.core.format;

import io.lakeann.core.IndexParts;
import io.lakeann.core.LakeAnnException;
import io.lakeann.core.RabitqIndex;
import io.lakeann.core.util.Parallel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Writes an index as an rbpx file, atomically: the bytes go to a temporary file in the same
 * directory, which is forced to disk and then renamed over the final name (and the directory
 * forced), so a crash never leaves a readable partial file under that name. Sections are written
 * a {@link SectionHash#CHUNK} at a time, chunks filled, hashed and written in parallel.
 */
public final class RbpxWriter {

  private RbpxWriter() {}

  /** One section to write: its type code and a way to produce its bytes chunk by chunk. */
  private record Pending(int code, long length, ChunkSource source) {}

  /** Fills {@code dst} (little-endian, empty) with the section's bytes from {@code offset}. */
  @FunctionalInterface
  private interface ChunkSource {
    void fill(ByteBuffer dst, long offset);
  }

  /**
   * Writes {@code index} to {@code file}.
   *
   * @param sourceIdentity opaque bytes naming where the rows came from (at most
   *     {@link RbpxHeader#MAX_SOURCE_IDENTITY}); part of the witness
   * @param deletedRows rows to mask out (row numbers of the build input), or null for none
   * @param preserved sections of types index-core does not know, written as given: read from an
   *     older file, or a layer's own (codes from 1024 up, see docs/rbpx-format.md)
   * @return the header written, whose {@link RbpxHeader#witness()} identifies the file
   */
  public static RbpxHeader write(Path file, RabitqIndex index, byte[] sourceIdentity,
      BitSet deletedRows, List<RawSection> preserved) {
    if (sourceIdentity.length > RbpxHeader.MAX_SOURCE_IDENTITY) {
      throw new LakeAnnException("Cannot write " + file + ": source identity of "
          + sourceIdentity.length + " bytes exceeds " + RbpxHeader.MAX_SOURCE_IDENTITY);
    }
    IndexParts parts = index.parts();
    int n = index.size();
    if (deletedRows != null && deletedRows.length() > n) {
      throw new LakeAnnException("Cannot write " + file + ": deletion mask names row "
          + (deletedRows.length() - 1) + " but the index has " + n + " rows");
    }
    List<Pending> pending = sections(parts, deletedRows, preserved);
    if (pending.size() > RbpxHeader.MAX_SECTIONS) {
      throw new LakeAnnException("Cannot write " + file + ": " + pending.size()
          + " sections exceed the format's " + RbpxHeader.MAX_SECTIONS + " (too many preserved "
          + "sections of unknown types)");
    }
    Path dir = file.toAbsolutePath().getParent();
    Path temp = null;
    try {
      Files.createDirectories(dir);
      temp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp");
      RbpxHeader header = writeTo(temp, parts, index, sourceIdentity, deletedRows, pending);
      move(temp, file);
      try {
        forceDirectory(dir);
      } catch (IOException e) {
        // The rename may not be durable: take the file back so no caller trusts it.
        Files.deleteIfExists(file);
        throw e;
      }
      return header;
    } catch (IOException e) {
      throw new LakeAnnException("Cannot write " + file + ": " + e, e);
    } catch (UncheckedIOException e) {
      throw new LakeAnnException("Cannot write " + file + ": " + e.getCause(), e.getCause());
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // The temporary name is never read as an rbpx file; a leftover is only litter.
        }
      }
    }
  }

  private static RbpxHeader writeTo(Path temp, IndexParts parts, RabitqIndex index,
      byte[] sourceIdentity, BitSet deletedRows, List<Pending> pending) throws IOException {
    long[] offsets = new long[pending.size()];
    byte[][][] digests = new byte[pending.size()][][];
    List<Chunk> chunks = new ArrayList<>();
    long offset = RbpxHeader.length(sourceIdentity.length, pending.size());
    long largest = 0;
    for (int s = 0; s < pending.size(); s++) {
      Pending p = pending.get(s);
      offsets[s] = offset;
      digests[s] = new byte[SectionHash.chunks(p.length())][];
      for (int c = 0; c < digests[s].length; c++) {
        chunks.add(new Chunk(p, offset, c, digests[s]));
      }
      offset += p.length();
      largest = Math.max(largest, p.length());
    }
    int bufferBytes = (int) Math.min(SectionHash.CHUNK, largest);
    try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE);
        Parallel parallel = new Parallel(Runtime.getRuntime().availableProcessors())) {
      // Chunks are filled, hashed and written in parallel; each worker reuses one buffer.
      parallel.forEachItem(chunks.size(),
          () -> ByteBuffer.allocate(bufferBytes).order(ByteOrder.LITTLE_ENDIAN),
          (buffer, i) -> writeChunk(ch, chunks.get(i), buffer));
      List<SectionEntry> entries = new ArrayList<>(pending.size());
      for (int s = 0; s < pending.size(); s++) {
        Pending p = pending.get(s);
        entries.add(new SectionEntry(p.code(), offsets[s], p.length(),
            SectionHash.combine(p.code(), p.length(), digests[s])));
      }
      long flags = (parts.originals() != null ? RbpxHeader.FLAG_ORIGINALS : 0)
          | (parts.config().exBits() > 0 ? RbpxHeader.FLAG_EXTENDED : 0)
          | (deletedRows != null ? RbpxHeader.FLAG_DELETIONS : 0);
      // An index read from a version 1 file (no calibration) is written as version 1 again,
      // with that version's config hash.
      int version = parts.calibration() != null ? RbpxHeader.VERSION : 1;
      RbpxHeader header = new RbpxHeader(version, flags,
          RbpxHeader.configHash(version, parts.config()), parts.dim(), parts.config().metric(),
          parts.config().exBits(), index.nlist(), index.size(), parts.contentFingerprint(),
          sourceIdentity.clone(), List.copyOf(entries));
      writeFully(ch, ByteBuffer.wrap(header.encode()), 0);
      ch.force(true);
      return header;
    }
  }

  /** Chunk {@code index} of a section that starts at {@code sectionOffset} in the file. */
  private record Chunk(Pending section, long sectionOffset, int index, byte[][] digests) {}

  /** Fills, hashes and writes one chunk through {@code buffer}. */
  private static void writeChunk(FileChannel ch, Chunk c, ByteBuffer buffer) {
    long from = (long) c.index() * SectionHash.CHUNK;
    buffer.clear().limit((int) Math.min(SectionHash.CHUNK, c.section().length() - from));
    c.section().source().fill(buffer, from);
    c.digests()[c.index()] = SectionHash.chunkDigest(buffer.array(), buffer.limit());
    buffer.flip();
    try {
      writeFully(ch, buffer, c.sectionOffset() + from);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Pending> sections(IndexParts parts, BitSet deletedRows,
      List<RawSection> preserved) {
    List<Pending> out = new ArrayList<>();
    byte[] config = ConfigCodec.encode(parts.config());
    out.add(bytes(SectionType.CONFIG.code(), config));
    out.add(floats(SectionType.ROTATION_SIGNS, parts.rotationSigns()));
    out.add(floats(SectionType.CENTROIDS, parts.centroids()));
    out.add(floats(SectionType.ROTATED_CENTROIDS, parts.rotatedCentroids()));
    out.add(ints(SectionType.LIST_STARTS, parts.listStart()));
    out.add(longs(SectionType.IDS, parts.ids()));
    out.add(ints(SectionType.ROWS, parts.rows()));
    out.add(longs(SectionType.SIGN_CODES, parts.signCodes()));
    out.add(floats(SectionType.FACTORS, parts.factors()));
    if (parts.config().exBits() > 0) {
      out.add(longs(SectionType.EXTENDED_PLANES, parts.exPlanes()));
      out.add(floats(SectionType.EXTENDED_FACTORS, parts.exFactors()));
    }
    if (parts.originals() != null) {
      out.add(floats(SectionType.ORIGINALS, parts.originals()));
    }
    if (deletedRows != null) {
      long[] words = new long[(parts.ids().length + 63) / 64];
      long[] set = deletedRows.toLongArray();
      System.arraycopy(set, 0, words, 0, set.length);
      out.add(longs(SectionType.DELETION_MASK, words));
    }
    if (parts.calibration() != null) {
      out.add(bytes(SectionType.CALIBRATION.code(),
          CalibrationCodec.encode(parts.calibration())));
    }
    for (RawSection raw : preserved) {
      if (SectionType.byCode(raw.code()) != null) {
        throw new LakeAnnException("Cannot preserve section code " + raw.code()
            + ": it is a known type, written from the index itself");
      }
      out.add(bytes(raw.code(), raw.bytes()));
    }
    return out;
  }

  private static Pending bytes(int code, byte[] values) {
    return new Pending(code, values.length,
        (dst, from) -> dst.put(values, (int) from, dst.remaining()));
  }

  private static Pending floats(SectionType type, float[] values) {
    return array(type, values.length,
        (dst, first, count) -> dst.asFloatBuffer().put(values, first, count));
  }

  private static Pending ints(SectionType type, int[] values) {
    return array(type, values.length,
        (dst, first, count) -> dst.asIntBuffer().put(values, first, count));
  }

  private static Pending longs(SectionType type, long[] values) {
    return array(type, values.length,
        (dst, first, count) -> dst.asLongBuffer().put(values, first, count));
  }

  /** Puts {@code count} elements from {@code first} on at the buffer's position. */
  @FunctionalInterface
  private interface BulkPut {
    void put(ByteBuffer dst, int first, int count);
  }

  /** A section of {@code elements} values of the type's element size, put in bulk. */
  private static Pending array(SectionType type, int elements, BulkPut put) {
    int size = type.elementBytes();
    return new Pending(type.code(), (long) elements * size, (dst, from) -> {
      int count = dst.remaining() / size;
      put.put(dst, (int) (from / size), count);
      dst.position(dst.position() + count * size);
    });
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf, long position)
      throws IOException {
    long at = position;
    while (buf.hasRemaining()) {
      at += ch.write(buf, at);
    }
  }

  private static void move(Path temp, Path file) throws IOException {
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system cannot rename atomically; write to a local or "
          + "POSIX file system", e);
    }
  }

  /** Makes the rename durable; a no-op where directories cannot be opened (e.g. Windows). */
  private static void forceDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      if (!System.getProperty("os.name", "").startsWith("Windows")) {
        throw e instanceof IOException ? (IOException) e : new IOException(e);
      }
    }
  }
}
