package io.lakeann.core.format;

import io.lakeann.core.IndexConfig;
import io.lakeann.core.Metric;
import io.lakeann.core.VectorChecks;
import io.lakeann.core.quant.HadamardRotation;
import io.lakeann.core.witness.ConfigHash;
import io.lakeann.core.witness.DomainTags;
import io.lakeann.core.witness.Framing;
import io.lakeann.core.witness.Witness;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.codec.digest.Blake3;

/**
 * The header of an rbpx file (see docs/rbpx-format.md): fixed fields, the opaque source identity,
 * the section directory and a BLAKE3 self-hash. {@link #encode()} and {@link #parse} are the only
 * code that lays these bytes out, {@link #witness()} the only code that computes a file's
 * witness, and {@link #configHash(int, IndexConfig)} the one that picks a version's config hash.
 * Immutable.
 *
 * @param version format version
 * @param flags bit 0 originals, bit 1 extended codes, bit 2 deletion mask
 * @param configHash {@link #configHash(int, IndexConfig)} of the build config
 * @param dim input dimension
 * @param metric distance metric
 * @param exBits extended bits per dimension
 * @param nlist IVF lists
 * @param rows row count n
 * @param contentFingerprint fingerprint of the rows, in scan order
 * @param sourceIdentity opaque bytes supplied by the writer's caller
 * @param sections the directory, in file order, contiguous after the header
 */
public record RbpxHeader(int version, long flags, Witness configHash, int dim, Metric metric,
    int exBits, int nlist, long rows, Witness contentFingerprint, byte[] sourceIdentity,
    List<SectionEntry> sections) {

  /** Copies the source identity in and out, so a header never changes after it is made. */
  public RbpxHeader {
    sourceIdentity = sourceIdentity.clone();
  }

  @Override
  public byte[] sourceIdentity() {
    return sourceIdentity.clone();
  }

  /** First bytes of every rbpx file. */
  static final byte[] MAGIC = {(byte) 0x89, 'R', 'B', 'P', 'X', 0x0D, 0x0A, 0x1A};
  /** The format version this code writes and the newest it reads. */
  public static final int VERSION = 3;
  /** The first version whose files hold a calibration section. */
  public static final int FIRST_CALIBRATED = 2;
  /** The first version whose config hash is over the CONFIG section's bytes. */
  static final int FIRST_CODEC_CONFIG_HASH = 3;
  /** Bytes before the source identity. */
  static final int FIXED = 120;
  /** Bytes of one directory entry. */
  static final int ENTRY = 56;
  /** Bytes of the self-hash that ends the header. */
  static final int SELF_HASH = 32;
  /** Most sections a file may declare. */
  public static final int MAX_SECTIONS = 64;
  /** Largest source identity block, in bytes. */
  public static final int MAX_SOURCE_IDENTITY = 1 << 20;
  /** Most rows one file may hold (one Java array per section). */
  public static final long MAX_ROWS = Integer.MAX_VALUE - 8;

  static final long FLAG_ORIGINALS = 1;
  static final long FLAG_EXTENDED = 2;
  static final long FLAG_DELETIONS = 4;
  private static final long KNOWN_FLAGS = FLAG_ORIGINALS | FLAG_EXTENDED | FLAG_DELETIONS;

  /** Bytes of the header with {@code sourceBytes} of identity and {@code sectionCount} entries. */
  static long length(int sourceBytes, int sectionCount) {
    return FIXED + (long) sourceBytes + (long) ENTRY * sectionCount + SELF_HASH;
  }

  /** Padded dimension of the rotated codes. */
  public int paddedDim() {
    return HadamardRotation.paddedDim(dim);
  }

  /** Header length in bytes; the first section starts here. */
  public long length() {
    return length(sourceIdentity.length, sections.size());
  }

  /**
   * The config hash a file of format {@code version} records for {@code config}, the one rule
   * writer and reader share: {@link ConfigHash#of} (over {@link ConfigCodec#encode}) from version
   * {@value #FIRST_CODEC_CONFIG_HASH}, {@link ConfigHash#legacyFields} before it.
   */
  static Witness configHash(int version, IndexConfig config) {
    return version >= FIRST_CODEC_CONFIG_HASH
        ? ConfigHash.of(config) : ConfigHash.legacyFields(config);
  }

  /**
   * The file's witness: BLAKE3 over the domain tag, the format version, the config hash, the
   * source identity (length-framed), the content fingerprint, the row count, and for every
   * section its type code, length and hash. Equal witnesses mean interchangeable indexes.
   */
  public Witness witness() {
    Framing hash = new Framing(DomainTags.RBPX_WITNESS).u32(version).witness(configHash)
        .bytes(sourceIdentity).witness(contentFingerprint).u64(rows).u32(sections.size());
    for (SectionEntry s : sections) {
      hash.u32(s.code()).u64(s.length()).witness(s.hash());
    }
    return hash.finish();
  }

  /** The header's bytes, ending with its self-hash. */
  byte[] encode() {
    ByteBuffer b = ByteBuffer.allocate((int) length()).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).putShort((short) version).putShort((short) 0).putInt((int) length())
        .putLong(flags).put(configHash.bytes()).putInt(dim).putInt(paddedDim())
        .put((byte) metric.code()).put((byte) exBits).putShort((short) 0).putInt(nlist)
        .putLong(rows).put(contentFingerprint.bytes()).putInt(sourceIdentity.length)
        .putInt(sections.size()).put(sourceIdentity);
    for (SectionEntry s : sections) {
      b.putInt(s.code()).putInt(0).putLong(s.offset()).putLong(s.length())
          .put(s.hash().bytes());
    }
    b.put(selfHash(b.array(), b.position()));
    return b.array();
  }

  private static byte[] selfHash(byte[] bytes, int length) {
    byte[] out = new byte[SELF_HASH];
    Blake3.initHash().update(bytes, 0, length).doFinalize(out);
    return out;
  }

  /**
   * Parses and checks a header: {@code prefix} holds the first {@code min(fileSize, FIXED)}
   * bytes; {@code readRest} reads the whole header once its length is known. Every field is
   * bounded before anything is allocated from it.
   */
  static RbpxHeader parse(Path file, long fileSize, ByteBuffer prefix, HeaderReader readRest) {
    ByteBuffer p = prefix.order(ByteOrder.LITTLE_ENDIAN);
    int magicBytes = (int) Math.min(MAGIC.length, p.limit());
    for (int i = 0; i < magicBytes; i++) {
      if (p.get(i) != MAGIC[i]) {
        throw new NotAnRbpxFileException(file, "not an rbpx file (bad magic at byte " + i
            + "); is this the right path?");
      }
    }
    if (fileSize < FIXED) {
      throw truncated(file, fileSize, FIXED, "the fixed header");
    }
    int version = Short.toUnsignedInt(p.getShort(8));
    if (version > VERSION) {
      throw new UnsupportedRbpxVersionException(file, version, VERSION);
    }
    if (version < 1) {
      throw new CorruptRbpxException(file, "format version " + version + " is not valid");
    }
    long headerLength = Integer.toUnsignedLong(p.getInt(12));
    int sourceBytes = p.getInt(112);
    int sectionCount = p.getInt(116);
    require(file, sourceBytes >= 0 && sourceBytes <= MAX_SOURCE_IDENTITY,
        "source identity of %s bytes (must be 0..%s)", sourceBytes, MAX_SOURCE_IDENTITY);
    require(file, sectionCount >= 0 && sectionCount <= MAX_SECTIONS,
        "%s sections (must be 0..%s)", sectionCount, MAX_SECTIONS);
    long expected = length(sourceBytes, sectionCount);
    require(file, headerLength == expected,
        "header length %s does not match its %s sections and %s-byte source identity (%s)",
        headerLength, sectionCount, sourceBytes, expected);
    if (fileSize < headerLength) {
      throw truncated(file, fileSize, headerLength, "the header");
    }
    ByteBuffer h = readRest.read((int) headerLength).order(ByteOrder.LITTLE_ENDIAN);
    byte[] all = new byte[(int) headerLength];
    h.get(0, all);
    byte[] stored = Arrays.copyOfRange(all, all.length - SELF_HASH, all.length);
    if (!Arrays.equals(stored, selfHash(all, all.length - SELF_HASH))) {
      throw new CorruptRbpxException(file, "header: hash mismatch");
    }
    return fields(file, fileSize, version, h, sourceBytes, sectionCount);
  }

  private static RbpxHeader fields(Path file, long fileSize, int version, ByteBuffer h,
      int sourceBytes, int sectionCount) {
    long flags = h.getLong(16);
    require(file, (flags & ~KNOWN_FLAGS) == 0, "unknown flags %s", Long.toHexString(flags));
    Witness configHash = witnessAt(h, 24);
    int dim = h.getInt(56);
    require(file, dim >= 1 && dim <= VectorChecks.MAX_DIM, "dimension %s (must be 1..%s)", dim,
        VectorChecks.MAX_DIM);
    require(file, h.getInt(60) == HadamardRotation.paddedDim(dim),
        "padded dimension %s for dimension %s", h.getInt(60), dim);
    Metric metric = Metric.ofCode(h.get(64));
    require(file, metric != null, "metric code %s (must be 0..2)", h.get(64));
    int exBits = h.get(65);
    require(file, exBits >= 0 && exBits <= IndexConfig.MAX_EX_BITS,
        "extended bits %s (must be 0..%s)", exBits, IndexConfig.MAX_EX_BITS);
    require(file, ((flags & FLAG_EXTENDED) != 0) == (exBits > 0),
        "flags say extended codes %s but extended bits are %s",
        (flags & FLAG_EXTENDED) != 0 ? "present" : "absent", exBits);
    require(file, h.getShort(66) == 0 && h.getShort(10) == 0, "reserved bytes are not zero");
    int nlist = h.getInt(68);
    long rows = h.getLong(72);
    require(file, rows >= 1 && rows <= MAX_ROWS, "row count %s (must be 1..%s)", rows,
        MAX_ROWS);
    require(file, nlist >= 1 && nlist <= Math.min(rows, IndexConfig.MAX_NLIST),
        "%s lists for %s rows", nlist, rows);
    Witness fingerprint = witnessAt(h, 80);
    byte[] source = new byte[sourceBytes];
    h.get(FIXED, source);
    List<SectionEntry> sections = new ArrayList<>(sectionCount);
    long next = length(sourceBytes, sectionCount);
    SectionType previous = null;
    boolean unknownSeen = false;
    for (int i = 0; i < sectionCount; i++) {
      int at = FIXED + sourceBytes + i * ENTRY;
      int code = h.getInt(at);
      require(file, h.getInt(at + 4) == 0, "section %s: reserved bytes are not zero", i);
      // One order per content (the writer's): known types by ascending code, then unknown ones.
      SectionType type = SectionType.byCode(code);
      if (type == null) {
        unknownSeen = true;
      } else {
        require(file, type != previous, "section %s appears twice", type.label());
        require(file, !unknownSeen && (previous == null || code > previous.code()),
            "section %s is out of order (known types come first, by ascending code)",
            type.label());
        previous = type;
      }
      long offset = h.getLong(at + 8);
      long length = h.getLong(at + 16);
      require(file, offset == next, "section %s starts at byte %s, expected %s (sections are "
          + "contiguous)", i, offset, next);
      // Only overflow is refused here: a section past the end of the file is a truncation,
      // reported below with the size the header implies.
      require(file, length >= 0 && length <= Long.MAX_VALUE - offset,
          "section %s (type %s) has an impossible length of %s bytes at byte %s", i, code,
          length, offset);
      sections.add(new SectionEntry(code, offset, length, witnessAt(h, at + 24)));
      next = offset + length;
    }
    if (next != fileSize) {
      throw new CorruptRbpxException(file, fileSize < next
          ? "truncated at byte " + fileSize + " of " + next
          : (fileSize - next) + " unexpected bytes after the last section (file has "
              + fileSize + ", expected " + next + ")");
    }
    return new RbpxHeader(version, flags, configHash, dim, metric, exBits, nlist, rows,
        fingerprint, source, List.copyOf(sections));
  }

  private static Witness witnessAt(ByteBuffer b, int offset) {
    byte[] w = new byte[Witness.LENGTH];
    b.get(offset, w);
    return Witness.of(w);
  }

  static CorruptRbpxException truncated(Path file, long size, long needed, String what) {
    return new CorruptRbpxException(file, "truncated at byte " + size + " of " + needed
        + " (" + what + ")");
  }

  static void require(Path file, boolean ok, String format, Object... args) {
    if (!ok) {
      throw new CorruptRbpxException(file, String.format(java.util.Locale.ROOT, format, args));
    }
  }

  /** Reads the first {@code length} bytes of the file. */
  @FunctionalInterface
  interface HeaderReader {
    ByteBuffer read(int length);
  }
}
