package io.lakeann.core.format;

import io.lakeann.core.Calibration;
import io.lakeann.core.IndexConfig;
import io.lakeann.core.IndexParts;
import io.lakeann.core.InvalidRequestException;
import io.lakeann.core.LakeAnnException;
import io.lakeann.core.RabitqIndex;
import io.lakeann.core.quant.HadamardRotation;
import io.lakeann.core.quant.RabitqEncoder;
import io.lakeann.core.util.Parallel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and verifies rbpx files. The header is bounded and self-hash checked before any section
 * is touched; every section length must be exactly what the header implies (checked arithmetic,
 * never more than the file holds) before its array is allocated; sections are read through
 * memory-mapped windows of {@link SectionHash#CHUNK} bytes (so files above 2 GiB work), hashed
 * in parallel and decoded straight into the index's arrays, and nothing is returned unless every
 * hash holds. Any failure is an {@link InvalidRbpxException} naming the file and the reason.
 */
public final class RbpxReader {

  private RbpxReader() {}

  /** The header of {@code file}, bounded and self-hash checked; sections are not read. */
  public static RbpxHeader readHeader(Path file) {
    try (FileChannel ch = open(file)) {
      return header(file, ch);
    } catch (IOException e) {
      throw new InvalidRbpxException(file, "cannot read: " + e, e);
    }
  }

  /**
   * The header of an rbpx file held in memory (e.g. a SQL binary value), bounded and self-hash
   * checked as {@link #readHeader(Path)}; {@code name} stands for the file in messages. Sections
   * are not read: write the bytes to a file and {@link #read} it to verify them.
   */
  public static RbpxHeader readHeader(Path name, byte[] bytes) {
    ByteBuffer all = ByteBuffer.wrap(bytes);
    return RbpxHeader.parse(name, bytes.length,
        all.slice(0, (int) Math.min(bytes.length, RbpxHeader.FIXED)),
        length -> all.slice(0, length));
  }

  /** Reads, verifies and loads {@code file}; {@code threads} hash and decode in parallel. */
  public static RbpxFile read(Path file, int threads) {
    try (FileChannel ch = open(file)) {
      RbpxHeader header = header(file, ch);
      Sections sections = allocate(file, header);
      verifyAndDecode(file, ch, header, sections, threads);
      return assemble(file, header, sections);
    } catch (ClosedByInterruptException e) {
      // Not the file's fault: a cancelled task. Keep the interrupt; do not call the file bad.
      Thread.currentThread().interrupt();
      throw new LakeAnnException("Interrupted while reading " + file, e);
    } catch (IOException e) {
      throw new InvalidRbpxException(file, "cannot read: " + e, e);
    }
  }

  private static FileChannel open(Path file) throws IOException {
    try {
      return FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new InvalidRbpxException(file, "no such file", e);
    }
  }

  private static RbpxHeader header(Path file, FileChannel ch) throws IOException {
    long size = ch.size();
    ByteBuffer prefix = readAt(file, ch, (int) Math.min(size, RbpxHeader.FIXED));
    return RbpxHeader.parse(file, size, prefix, length -> {
      try {
        return readAt(file, ch, length);
      } catch (IOException e) {
        throw new InvalidRbpxException(file, "cannot read the header: " + e, e);
      }
    });
  }

  /** The first {@code length} bytes; a file that shrank while being read is refused. */
  private static ByteBuffer readAt(Path file, FileChannel ch, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length);
    while (buf.hasRemaining()) {
      if (ch.read(buf, buf.position()) < 0) {
        throw RbpxHeader.truncated(file, buf.position(), length, "the header");
      }
    }
    return buf.flip();
  }

  /**
   * Where each section of the directory decodes to, by directory position, allocated once every
   * length is checked: the index's array for a known type, the raw bytes for an unknown one.
   */
  private static final class Sections {
    final Object[] targets;
    final Map<SectionType, Object> arrays = new EnumMap<>(SectionType.class);
    final List<RawSection> unknown = new ArrayList<>();

    Sections(int count) {
      targets = new Object[count];
    }
  }

  private static Sections allocate(Path file, RbpxHeader h) {
    Map<SectionType, Long> expected = expectedLengths(h);
    List<SectionEntry> entries = h.sections();
    Sections s = new Sections(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      SectionEntry e = entries.get(i);
      SectionType type = e.type();
      if (type == null) {
        RbpxHeader.require(file, e.length() <= Integer.MAX_VALUE - 8,
            "section %s: %s bytes is too large to keep", e.label(), e.length());
        byte[] bytes = new byte[(int) e.length()];
        s.unknown.add(new RawSection(e.code(), bytes));
        s.targets[i] = bytes;
        continue;
      }
      // RbpxHeader.parse already refused a known type appearing twice (codes ascend strictly).
      RbpxHeader.require(file, expected.containsKey(type),
          "section %s is present but the header says it should not be", type.label());
      long want = expected.get(type);
      if (type == SectionType.CALIBRATION) {
        RbpxHeader.require(file, CalibrationCodec.validLength(e.length()),
            "section calibration: %s bytes is not 12 + 16 per target (1..%s targets)",
            e.length(), Calibration.MAX_TARGETS);
        want = e.length();
      }
      RbpxHeader.require(file, e.length() == want, "section %s: %s bytes, expected %s",
          type.label(), e.length(), want);
      long elements = want / type.elementBytes();
      RbpxHeader.require(file, elements <= Integer.MAX_VALUE - 8,
          "section %s: %s elements do not fit one array", type.label(), elements);
      s.targets[i] = newArray(type, (int) elements);
      s.arrays.put(type, s.targets[i]);
    }
    for (SectionType type : expected.keySet()) {
      RbpxHeader.require(file, s.arrays.containsKey(type), "section %s is missing",
          type.label());
    }
    return s;
  }

  /** Every known section the header implies, with its exact byte length. */
  private static Map<SectionType, Long> expectedLengths(RbpxHeader h) {
    long n = h.rows();
    long p = h.paddedDim();
    long words = p / 64;
    Map<SectionType, Long> m = new EnumMap<>(SectionType.class);
    m.put(SectionType.CONFIG, (long) ConfigCodec.LENGTH);
    m.put(SectionType.ROTATION_SIGNS, HadamardRotation.ROUNDS * p * Float.BYTES);
    m.put(SectionType.CENTROIDS, (long) h.nlist() * h.dim() * Float.BYTES);
    m.put(SectionType.ROTATED_CENTROIDS, h.nlist() * p * Float.BYTES);
    m.put(SectionType.LIST_STARTS, (h.nlist() + 1L) * Integer.BYTES);
    m.put(SectionType.IDS, n * Long.BYTES);
    m.put(SectionType.ROWS, n * Integer.BYTES);
    m.put(SectionType.SIGN_CODES, n * words * Long.BYTES);
    m.put(SectionType.FACTORS, n * RabitqEncoder.FACTORS * Float.BYTES);
    if (h.exBits() > 0) {
      m.put(SectionType.EXTENDED_PLANES, n * h.exBits() * words * Long.BYTES);
      m.put(SectionType.EXTENDED_FACTORS, n * RabitqEncoder.EX_FACTORS * Float.BYTES);
    }
    if ((h.flags() & RbpxHeader.FLAG_ORIGINALS) != 0) {
      m.put(SectionType.ORIGINALS, n * h.dim() * Float.BYTES);
    }
    if ((h.flags() & RbpxHeader.FLAG_DELETIONS) != 0) {
      m.put(SectionType.DELETION_MASK, (n + 63) / 64 * Long.BYTES);
    }
    if (h.version() >= RbpxHeader.FIRST_CALIBRATED) {
      // Its length varies with the number of targets; checked by CalibrationCodec.validLength.
      m.put(SectionType.CALIBRATION, -1L);
    }
    return m;
  }

  private static Object newArray(SectionType type, int elements) {
    switch (type.elementBytes()) {
      case 1:
        return new byte[elements];
      case Integer.BYTES:
        return type == SectionType.LIST_STARTS || type == SectionType.ROWS
            ? new int[elements] : new float[elements];
      default:
        return new long[elements];
    }
  }

  /** One chunk of one section: where it is and where its bytes go. */
  private record Chunk(SectionEntry entry, int index, Object target, byte[][] digests) {}

  private static void verifyAndDecode(Path file, FileChannel ch, RbpxHeader h, Sections s,
      int threads) {
    List<SectionEntry> entries = h.sections();
    byte[][][] digests = new byte[entries.size()][][];
    List<Chunk> chunks = new ArrayList<>();
    long largest = 0;
    for (int i = 0; i < entries.size(); i++) {
      SectionEntry e = entries.get(i);
      largest = Math.max(largest, e.length());
      digests[i] = new byte[SectionHash.chunks(e.length())][];
      for (int c = 0; c < digests[i].length; c++) {
        chunks.add(new Chunk(e, c, s.targets[i], digests[i]));
      }
    }
    // One scratch buffer per worker, no larger than the largest section.
    int scratchBytes = (int) Math.min(SectionHash.CHUNK, largest);
    try (Parallel parallel = new Parallel(Math.max(1, threads))) {
      parallel.forEachItem(chunks.size(), () -> new byte[scratchBytes],
          (scratch, i) -> readChunk(file, ch, chunks.get(i), scratch));
    }
    for (int i = 0; i < entries.size(); i++) {
      SectionEntry e = entries.get(i);
      if (!SectionHash.combine(e.code(), e.length(), digests[i]).equals(e.hash())) {
        throw new CorruptRbpxException(file, "section " + e.label() + ": hash mismatch");
      }
    }
  }

  private static void readChunk(Path file, FileChannel ch, Chunk c, byte[] scratch) {
    long from = (long) c.index() * SectionHash.CHUNK;
    int length = (int) Math.min(SectionHash.CHUNK, c.entry().length() - from);
    try {
      MappedByteBuffer window = ch.map(FileChannel.MapMode.READ_ONLY,
          c.entry().offset() + from, length);
      window.get(scratch, 0, length);
    } catch (IOException e) {
      throw new InvalidRbpxException(file, "cannot read section " + c.entry().label()
          + ": " + e, e);
    } catch (InternalError e) {
      // A mapped page vanished (SIGBUS): another process truncated the file while we read it.
      throw new CorruptRbpxException(file, "section " + c.entry().label()
          + " changed while being read (" + e.getMessage() + ")", e);
    }
    c.digests()[c.index()] = SectionHash.chunkDigest(scratch, length);
    ByteBuffer bytes = ByteBuffer.wrap(scratch, 0, length).order(ByteOrder.LITTLE_ENDIAN);
    Object t = c.target();
    if (t instanceof float[]) {
      bytes.asFloatBuffer().get((float[]) t, (int) (from / Float.BYTES), length / Float.BYTES);
    } else if (t instanceof int[]) {
      bytes.asIntBuffer().get((int[]) t, (int) (from / Integer.BYTES), length / Integer.BYTES);
    } else if (t instanceof long[]) {
      bytes.asLongBuffer().get((long[]) t, (int) (from / Long.BYTES), length / Long.BYTES);
    } else {
      System.arraycopy(scratch, 0, (byte[]) t, (int) from, length);
    }
  }

  private static RbpxFile assemble(Path file, RbpxHeader h, Sections s) {
    IndexConfig config;
    try {
      config = ConfigCodec.decode((byte[]) s.arrays.get(SectionType.CONFIG));
    } catch (InvalidRequestException e) {
      throw new CorruptRbpxException(file, "section config: " + e.getMessage(), e);
    }
    RbpxHeader.require(file, RbpxHeader.configHash(h.version(), config).equals(h.configHash()),
        "section config does not match the header's config hash");
    RbpxHeader.require(file, config.metric() == h.metric() && config.exBits() == h.exBits()
        && config.storeOriginals() == ((h.flags() & RbpxHeader.FLAG_ORIGINALS) != 0),
        "section config disagrees with the header (metric, extended bits or originals)");
    byte[] calibrationBytes = (byte[]) s.arrays.get(SectionType.CALIBRATION);
    Calibration calibration = null;
    if (calibrationBytes != null) {
      try {
        calibration = CalibrationCodec.decode(calibrationBytes, h.nlist());
      } catch (InvalidRequestException e) {
        throw new CorruptRbpxException(file, "section calibration: " + e.getMessage(), e);
      }
    }
    IndexParts parts = new IndexParts(config, file.toString(), h.dim(),
        (float[]) s.arrays.get(SectionType.ROTATION_SIGNS),
        (float[]) s.arrays.get(SectionType.CENTROIDS),
        (float[]) s.arrays.get(SectionType.ROTATED_CENTROIDS),
        (int[]) s.arrays.get(SectionType.LIST_STARTS), (long[]) s.arrays.get(SectionType.IDS),
        (int[]) s.arrays.get(SectionType.ROWS), (long[]) s.arrays.get(SectionType.SIGN_CODES),
        (float[]) s.arrays.get(SectionType.FACTORS),
        (long[]) s.arrays.getOrDefault(SectionType.EXTENDED_PLANES, new long[0]),
        (float[]) s.arrays.getOrDefault(SectionType.EXTENDED_FACTORS, new float[0]),
        (float[]) s.arrays.get(SectionType.ORIGINALS), h.contentFingerprint(), calibration);
    RabitqIndex index;
    try {
      index = RabitqIndex.fromParts(parts);
    } catch (InvalidRequestException e) {
      throw new CorruptRbpxException(file, "inconsistent index: " + e.getMessage(), e);
    }
    BitSet deleted = null;
    long[] mask = (long[]) s.arrays.get(SectionType.DELETION_MASK);
    if (mask != null) {
      deleted = BitSet.valueOf(mask);
      RbpxHeader.require(file, deleted.length() <= h.rows(),
          "section deletion_mask: row %s is beyond the %s rows", deleted.length() - 1, h.rows());
    }
    return new RbpxFile(file, h, h.witness(), index, deleted, List.copyOf(s.unknown));
  }
}
