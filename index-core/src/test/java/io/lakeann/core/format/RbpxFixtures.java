package io.lakeann.core.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.lakeann.core.IndexConfig;
import io.lakeann.core.RabitqIndex;
import io.lakeann.core.data.SyntheticVectors;
import io.lakeann.core.witness.Witness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.apache.commons.codec.digest.Blake3;

/**
 * Shared pieces of the rbpx refusal tests: a real small file, byte-level surgery on it that keeps
 * the header's self-hash (or a section's hash) valid, as an attacker who knows the format would,
 * and the per-thread allocation counter used to bound what a refused read costs.
 */
final class RbpxFixtures {
  /** Code of the unknown section the fixture carries, as a newer writer would add. */
  static final int FUTURE_CODE = 9_000;
  static final byte[] SOURCE = "table-uuid/snapshot-42/shard-3".getBytes(StandardCharsets.UTF_8);

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private RbpxFixtures() {}

  /**
   * A real index of {@code rows} x 16 dims with 2 extended bits and originals, written with a
   * deletion mask and one unknown section: every optional part of the format is present.
   */
  static Path writeFull(Path dir, String name, int rows) {
    RabitqIndex index = RabitqIndex.build(
        new SyntheticVectors(16, 8, 0.5f, 11).vectorSet("fixture", rows, 1),
        IndexConfig.builder().exBits(2).storeOriginals(true).seed(5).build());
    BitSet deleted = new BitSet();
    deleted.set(7);
    deleted.set(rows - 1);
    byte[] future = new byte[100];
    for (int i = 0; i < future.length; i++) {
      future[i] = (byte) (i * 31 + 7);
    }
    Path file = dir.resolve(name);
    RbpxWriter.write(file, index, SOURCE, deleted, List.of(new RawSection(FUTURE_CODE, future)));
    return file;
  }

  static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path put(Path file, byte[] bytes) {
    try {
      return Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ByteBuffer le(byte[] bytes) {
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Header length as the file's own field says (bytes 12..15). */
  static int headerLength(byte[] file) {
    return le(file).getInt(12);
  }

  /** Byte offset of directory entry {@code i} of {@code header}. */
  static int entryAt(RbpxHeader header, int i) {
    return RbpxHeader.FIXED + header.sourceIdentity().length + i * RbpxHeader.ENTRY;
  }

  /** Recomputes the self-hash of the header in place, from its own length field. */
  static byte[] rehash(byte[] file) {
    int h = headerLength(file);
    if (h < RbpxHeader.SELF_HASH || h > file.length) {
      return file; // a length field the reader refuses before it looks at the self-hash
    }
    byte[] out = new byte[RbpxHeader.SELF_HASH];
    Blake3.initHash().update(file, 0, h - RbpxHeader.SELF_HASH).doFinalize(out);
    System.arraycopy(out, 0, file, h - RbpxHeader.SELF_HASH, out.length);
    return file;
  }

  /** The hash a writer would record for a section of type {@code code} holding {@code bytes}. */
  static Witness sectionHash(int code, byte[] bytes) {
    List<byte[]> digests = new ArrayList<>();
    for (int from = 0; from < bytes.length; from += SectionHash.CHUNK) {
      byte[] chunk = Arrays.copyOfRange(bytes, from, Math.min(bytes.length,
          from + SectionHash.CHUNK));
      digests.add(SectionHash.chunkDigest(chunk, chunk.length));
    }
    return SectionHash.combine(code, bytes.length, digests.toArray(new byte[0][]));
  }

  /** The bytes of every section of {@code file}, in directory order. */
  static List<byte[]> sections(RbpxHeader header, byte[] file) {
    List<byte[]> out = new ArrayList<>();
    for (SectionEntry e : header.sections()) {
      out.add(Arrays.copyOfRange(file, (int) e.offset(), (int) e.end()));
    }
    return out;
  }

  /**
   * A complete file from {@code header}'s fixed fields and the given directory (codes and hashes
   * as given, offsets and lengths laid out contiguously for {@code bodies}), with a valid
   * self-hash: what an attacker who knows the format can produce.
   */
  static byte[] assemble(RbpxHeader header, List<Integer> codes, List<Witness> hashes,
      List<byte[]> bodies) {
    long offset = RbpxHeader.length(header.sourceIdentity().length, bodies.size());
    List<SectionEntry> entries = new ArrayList<>();
    for (int i = 0; i < bodies.size(); i++) {
      entries.add(new SectionEntry(codes.get(i), offset, bodies.get(i).length, hashes.get(i)));
      offset += bodies.get(i).length;
    }
    RbpxHeader forged = new RbpxHeader(header.version(), header.flags(), header.configHash(),
        header.dim(), header.metric(), header.exBits(), header.nlist(), header.rows(),
        header.contentFingerprint(), header.sourceIdentity(), entries);
    ByteBuffer out = ByteBuffer.allocate((int) offset).put(forged.encode());
    bodies.forEach(out::put);
    return out.array();
  }

  /** Bytes allocated on this thread while {@code body} runs. */
  static long allocatedBy(Runnable body) {
    long before = THREADS.getCurrentThreadAllocatedBytes();
    body.run();
    return THREADS.getCurrentThreadAllocatedBytes() - before;
  }

  /** Fails unless the per-thread allocation counter works on this JVM. */
  static void requireAllocationCounter() {
    assertTrue(THREADS.isThreadAllocatedMemorySupported()
        && THREADS.isThreadAllocatedMemoryEnabled(), "per-thread allocation counter");
    long seen = allocatedBy(() -> Arrays.fill(new byte[1 << 20], (byte) 1));
    assertTrue(seen >= 1 << 20, "the counter sees a 1 MiB array, got " + seen);
  }

  /**
   * Reads {@code file} with {@code reader} and returns the refusal, failing on acceptance or on
   * any exception that is not an {@link InvalidRbpxException} naming the file.
   */
  static InvalidRbpxException refusal(Path file, Runnable reader) {
    try {
      reader.run();
    } catch (InvalidRbpxException e) {
      assertEquals(file, e.file(), "the refusal names the file");
      assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
      return e;
    } catch (RuntimeException | Error e) {
      throw new AssertionError("refused with " + e + " instead of an InvalidRbpxException", e);
    }
    return fail("accepted " + file);
  }
}
