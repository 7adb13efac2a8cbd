package io.lakeann.core.format;

import static io.lakeann.core.format.RbpxFixtures.allocatedBy;
import static io.lakeann.core.format.RbpxFixtures.entryAt;
import static io.lakeann.core.format.RbpxFixtures.le;
import static io.lakeann.core.format.RbpxFixtures.put;
import static io.lakeann.core.format.RbpxFixtures.refusal;
import static io.lakeann.core.format.RbpxFixtures.rehash;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.IndexConfig;
import io.lakeann.core.RabitqIndex;
import io.lakeann.core.VectorChecks;
import io.lakeann.core.data.SyntheticVectors;
import io.lakeann.core.quant.HadamardRotation;
import io.lakeann.core.witness.Witness;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 2 for targeted damage: every single-byte change of the header, truncation, trailing
 * bytes, foreign and too-new files, and hostile headers whose self-hash an attacker recomputed
 * are refused with an {@link InvalidRbpxException} that names the file and the reason, and a
 * hostile header never makes the reader allocate more than a small bound.
 */
class RbpxRefusalTest {
  /** Most a refused hostile header may cost the reader, in bytes allocated. */
  private static final long HOSTILE_BUDGET = 16L << 20;

  @TempDir
  static Path dir;

  private static Path original;
  private static byte[] good;
  private static RbpxHeader header;

  @BeforeAll
  static void writeFixture() {
    RbpxFixtures.requireAllocationCounter();
    original = RbpxFixtures.writeFull(dir, "good.rbpx", 300);
    good = RbpxFixtures.bytes(original);
    header = RbpxReader.readHeader(original);
    RbpxReader.read(original, 1); // the fixture itself is accepted, and classes are loaded
  }

  /**
   * Both entry points refuse {@code bytes} with the same reason, within the hostile-header
   * allocation budget: for damage the header alone shows.
   */
  private static InvalidRbpxException refuseBoth(String name, byte[] bytes) {
    Path file = put(dir.resolve(name), bytes);
    InvalidRbpxException[] seen = new InvalidRbpxException[2];
    long headerCost = allocatedBy(() -> seen[0] = refusal(file, () -> RbpxReader.readHeader(file)));
    long readCost = allocatedBy(() -> seen[1] = refusal(file, () -> RbpxReader.read(file, 1)));
    assertTrue(headerCost < HOSTILE_BUDGET && readCost < HOSTILE_BUDGET,
        name + ": allocated " + headerCost + " / " + readCost + " bytes to refuse");
    assertEquals(seen[0].getMessage(), seen[1].getMessage(), "the header decides for both");
    return seen[1];
  }

  /** A full read refuses {@code bytes} within the budget; the header alone may pass. */
  private static InvalidRbpxException refuseRead(String name, byte[] bytes) {
    Path file = put(dir.resolve(name), bytes);
    InvalidRbpxException[] seen = new InvalidRbpxException[1];
    long readCost = allocatedBy(() -> seen[0] = refusal(file, () -> RbpxReader.read(file, 1)));
    assertTrue(readCost < HOSTILE_BUDGET, name + ": allocated " + readCost + " bytes to refuse");
    return seen[0];
  }

  /** The fixture with {@code patch} applied to its bytes and the self-hash recomputed. */
  private static byte[] forged(Consumer<ByteBuffer> patch) {
    byte[] bytes = good.clone();
    patch.accept(le(bytes));
    return rehash(bytes);
  }

  @Test
  void everySingleByteChangeOfTheHeaderIsRefused() {
    int headerBytes = (int) header.length();
    int refusals = 0;
    for (int at = 0; at < headerBytes; at++) {
      for (int mask : new int[] {0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xFF}) {
        byte[] bytes = good.clone();
        bytes[at] ^= (byte) mask;
        refuseBoth("flipped.rbpx", bytes);
        refusals++;
      }
    }
    assertEquals(headerBytes * 9, refusals);
  }

  @Test
  void tamperedSectionIsRefusedWithItsName() {
    SectionEntry codes = entry(SectionType.SIGN_CODES);
    byte[] bytes = good.clone();
    bytes[(int) codes.offset() + 5] ^= 0x10;

    Path file = put(dir.resolve("tampered.rbpx"), bytes);
    RbpxReader.readHeader(file); // the header alone is intact
    InvalidRbpxException e = refusal(file, () -> RbpxReader.read(file, 3));

    assertInstanceOf(CorruptRbpxException.class, e);
    assertEquals(file + ": section sign_codes: hash mismatch", e.getMessage());
  }

  @Test
  void truncatedFileIsRefusedWithItsLength() {
    int cut = good.length - 1000;
    InvalidRbpxException e = refuseBoth("short.rbpx", Arrays.copyOf(good, cut));
    assertInstanceOf(CorruptRbpxException.class, e);
    assertTrue(e.getMessage().endsWith("truncated at byte " + cut + " of " + good.length),
        e.getMessage());

    InvalidRbpxException fixed = refuseBoth("stub.rbpx", Arrays.copyOf(good, 100));
    assertTrue(fixed.getMessage().endsWith("truncated at byte 100 of 120 (the fixed header)"),
        fixed.getMessage());

    InvalidRbpxException head = refuseBoth("head.rbpx", Arrays.copyOf(good, 500));
    assertTrue(head.getMessage().endsWith("truncated at byte 500 of " + header.length()
        + " (the header)"), head.getMessage());
  }

  @Test
  void trailingBytesAreRefused() {
    byte[] longer = Arrays.copyOf(good, good.length + 12);
    InvalidRbpxException e = refuseBoth("long.rbpx", longer);
    assertInstanceOf(CorruptRbpxException.class, e);
    assertTrue(e.getMessage().endsWith("12 unexpected bytes after the last section (file has "
        + longer.length + ", expected " + good.length + ")"), e.getMessage());
  }

  @Test
  void newerVersionIsRefusedWithTheVersion() {
    int newer = RbpxHeader.VERSION + 1;
    InvalidRbpxException e = refuseBoth("newer.rbpx", forged(b -> b.putShort(8, (short) newer)));

    UnsupportedRbpxVersionException v = assertInstanceOf(
        UnsupportedRbpxVersionException.class, e);
    assertEquals(newer, v.version());
    assertTrue(e.getMessage().contains("format version " + newer + " is newer than this reader ("
        + RbpxHeader.VERSION + ")"), e.getMessage());
    assertTrue(refuseBoth("v0.rbpx", forged(b -> b.putShort(8, (short) 0))).getMessage()
        .endsWith("format version 0 is not valid"));
  }

  @Test
  void foreignFilesAreNotRbpxFiles() throws IOException {
    byte[] parquet = "PAR1\0\0\0\0 some parquet".getBytes(StandardCharsets.US_ASCII);
    byte[] text = "hello, this is not an index\n".repeat(20).getBytes(StandardCharsets.UTF_8);
    byte[] nearly = good.clone();
    nearly[4] = 'Y'; // \x89RBPY...

    for (byte[] foreign : List.of(parquet, text, nearly)) {
      InvalidRbpxException e = refuseBoth("foreign.bin", foreign);
      assertInstanceOf(NotAnRbpxFileException.class, e);
      assertTrue(e.getMessage().contains("not an rbpx file"), e.getMessage());
    }
    InvalidRbpxException empty = refuseBoth("empty.rbpx", new byte[0]);
    assertTrue(empty.getMessage().endsWith("truncated at byte 0 of 120 (the fixed header)"));

    Path missing = dir.resolve("missing.rbpx");
    assertTrue(refusal(missing, () -> RbpxReader.read(missing, 1)).getMessage()
        .endsWith("no such file"));
    Path folder = Files.createDirectories(dir.resolve("folder.rbpx"));
    refusal(folder, () -> RbpxReader.readHeader(folder));
    refusal(folder, () -> RbpxReader.read(folder, 1));
  }

  @Test
  void hostileFixedFieldsAreRefusedCheaply() {
    assertReason(forged(b -> b.putInt(56, Integer.MAX_VALUE)), "dimension 2147483647");
    assertReason(forged(b -> b.putInt(56, VectorChecks.MAX_DIM + 1)), "dimension 65537");
    // The largest legal dimension passes the header but not the section lengths it implies.
    assertReadReason(forged(b -> b.putInt(56, VectorChecks.MAX_DIM)
        .putInt(60, HadamardRotation.paddedDim(VectorChecks.MAX_DIM))),
        "section rotation_signs: " + entry(SectionType.ROTATION_SIGNS).length()
            + " bytes, expected " + 4L * Float.BYTES * VectorChecks.MAX_DIM);
    assertReason(forged(b -> b.putInt(60, header.paddedDim() + 64)), "padded dimension");
    assertReason(forged(b -> b.putLong(72, 1L << 62)), "row count 4611686018427387904");
    assertReason(forged(b -> b.putLong(72, -1)), "row count -1");
    assertReadReason(forged(b -> b.putLong(72, RbpxHeader.MAX_ROWS)),
        "section ids: 2400 bytes, expected " + RbpxHeader.MAX_ROWS * 8);
    assertReason(forged(b -> b.putInt(68, Integer.MAX_VALUE)), "2147483647 lists for 300 rows");
    assertReason(forged(b -> b.putInt(68, 301)), "301 lists for 300 rows");
    assertReason(forged(b -> b.putInt(68, 0)), "0 lists");
    assertReason(forged(b -> b.put(64, (byte) 7)), "metric code 7");
    assertReason(forged(b -> b.put(65, (byte) 9)), "extended bits 9");
    assertReason(forged(b -> b.put(65, (byte) -1)), "extended bits -1");
    assertReason(forged(b -> b.putLong(16, 1L << 40)), "unknown flags 10000000000");
    assertReason(forged(b -> b.putShort(66, (short) 1)), "reserved bytes are not zero");
  }

  @Test
  void hostileSizesAreBoundedBeforeAnythingIsRead() {
    assertReason(forged(b -> b.putInt(112, Integer.MAX_VALUE)),
        "source identity of 2147483647 bytes (must be 0..1048576)");
    assertReason(forged(b -> b.putInt(112, -1)), "source identity of -1 bytes");
    assertReason(forged(b -> b.putInt(116, Integer.MAX_VALUE)),
        "2147483647 sections (must be 0..64)");
    assertReason(forged(b -> b.putInt(116, RbpxHeader.MAX_SECTIONS + 1)), "65 sections");
    // Legal counts whose header would be larger than the file (or than the length field says).
    assertReason(forged(b -> b.putInt(112, RbpxHeader.MAX_SOURCE_IDENTITY)),
        "header length " + header.length() + " does not match");
    assertReason(forged(b -> b.putInt(112, RbpxHeader.MAX_SOURCE_IDENTITY)
        .putInt(12, (int) RbpxHeader.length(RbpxHeader.MAX_SOURCE_IDENTITY,
            header.sections().size()))), "truncated at byte " + good.length + " of "
        + RbpxHeader.length(RbpxHeader.MAX_SOURCE_IDENTITY, header.sections().size()));
    assertReason(forged(b -> b.putInt(12, -1)), "header length 4294967295 does not match");
  }

  @Test
  void largestLegalHeaderIsReadWithinTheBudget() {
    RabitqIndex small = RabitqIndex.build(new SyntheticVectors(16, 4, 0.5f, 2)
        .vectorSet("big-source", 50, 1), IndexConfig.defaults());
    Path file = dir.resolve("big-source.rbpx");
    RbpxWriter.write(file, small, new byte[RbpxHeader.MAX_SOURCE_IDENTITY], null, List.of());
    byte[] bytes = RbpxFixtures.bytes(file);
    assertEquals(RbpxHeader.MAX_SOURCE_IDENTITY, RbpxReader.readHeader(file)
        .sourceIdentity().length);

    bytes[1000] ^= 1; // inside the source identity: only the self-hash can tell
    assertTrue(refuseBoth("big-source-flipped.rbpx", bytes).getMessage()
        .endsWith("header: hash mismatch"));
  }

  @Test
  void hostileDirectoryEntriesAreRefused() {
    int first = entryAt(header, 0);
    int second = entryAt(header, 1);
    SectionEntry last = header.sections().get(header.sections().size() - 1);
    int lastAt = entryAt(header, header.sections().size() - 1);
    // A section larger than the file: at the end it is a truncation, before it a gap.
    assertReason(forged(b -> b.putLong(lastAt + 16, good.length * 4L)),
        "truncated at byte " + good.length + " of " + (last.offset() + good.length * 4L));
    assertReason(forged(b -> b.putLong(first + 16, good.length * 4L)),
        "section 1 starts at byte " + header.sections().get(1).offset() + ", expected ");
    assertReason(forged(b -> b.putLong(lastAt + 16, Long.MAX_VALUE)),
        "has an impossible length of 9223372036854775807 bytes");
    assertReason(forged(b -> b.putLong(first + 16, -1)),
        "has an impossible length of -1 bytes");
    assertReason(forged(b -> b.putLong(second + 8, header.length())),
        "section 1 starts at byte " + header.length() + ", expected " + header.sections().get(1)
            .offset());
    assertReason(forged(b -> b.putLong(first + 8, 0)), "section 0 starts at byte 0");
    assertReason(forged(b -> b.putInt(first + 4, 1)), "section 0: reserved bytes are not zero");
    // A known type twice, next to each other and apart.
    assertReason(forged(b -> b.putInt(second, SectionType.CONFIG.code())),
        "section config appears twice");
    assertReason(forged(b -> b.putInt(entryAt(header, 5), SectionType.CONFIG.code())),
        "section config is out of order");
    // The calibration (the last known section) renamed to an unknown code: the file's version
    // still requires it.
    int calibration = entryAt(header, index(SectionType.CALIBRATION));
    assertReadReason(forged(b -> b.putInt(calibration, 77)), "section calibration is missing");
    // A known section after an unknown one.
    int mask = entryAt(header, index(SectionType.DELETION_MASK));
    assertReason(forged(b -> b.putInt(mask, 77)), "section calibration is out of order");
    // Originals present although the flags say there are none.
    // The extended-codes flag cleared although the header declares extended bits.
    assertReason(forged(b -> b.putLong(16, header.flags() & ~RbpxHeader.FLAG_EXTENDED)),
        "flags say extended codes absent but extended bits are 2");
    assertReadReason(forged(b -> b.putLong(16, header.flags() & ~RbpxHeader.FLAG_ORIGINALS)),
        "section originals is present but the header says it should not be");
  }

  /** The good file's sections, as parallel lists to rearrange and reassemble. */
  private record Layout(List<byte[]> bodies, List<Integer> codes, List<Witness> hashes) {
    static Layout of(RbpxHeader header, byte[] file) {
      Layout layout = new Layout(new ArrayList<>(RbpxFixtures.sections(header, file)),
          new ArrayList<>(), new ArrayList<>());
      header.sections().forEach(e -> {
        layout.codes().add(e.code());
        layout.hashes().add(e.hash());
      });
      return layout;
    }

    byte[] assemble(RbpxHeader header) {
      return RbpxFixtures.assemble(header, codes, hashes, bodies);
    }
  }

  @Test
  void missingSectionIsRefusedByName() {
    Layout layout = Layout.of(header, good);
    int ids = index(SectionType.IDS);
    layout.bodies().remove(ids);
    layout.codes().remove(ids);
    layout.hashes().remove(ids);

    assertReadReason(layout.assemble(header), "section ids is missing");
  }

  @Test
  void reorderedSectionsAreRefusedEvenWithEveryHashValid() {
    Layout layout = Layout.of(header, good);
    int ids = index(SectionType.IDS);
    int rows = index(SectionType.ROWS);
    Collections.swap(layout.bodies(), ids, rows);
    Collections.swap(layout.codes(), ids, rows);
    Collections.swap(layout.hashes(), ids, rows);

    assertReason(layout.assemble(header),
        "section ids is out of order (known types come first, by ascending code)");
  }

  @Test
  void configThatDisagreesWithTheHeaderIsRefused() {
    SectionEntry config = entry(SectionType.CONFIG);
    int at = (int) config.offset();
    // Another nprobe in the config section, its section hash fixed: the config hash differs.
    byte[] bytes = good.clone();
    le(bytes).putInt(at + 8, 7);
    byte[] body = Arrays.copyOfRange(bytes, at, at + ConfigCodec.LENGTH);
    le(bytes).put(entryAt(header, 0) + 24, RbpxFixtures.sectionHash(1, body).bytes());
    assertReadReason(rehash(bytes), "section config does not match the header's config hash");

    // The header claims inner product while the (matching-hash) config says L2.
    assertReadReason(forged(b -> b.put(64, (byte) 1)),
        "section config disagrees with the header (metric, extended bits or originals)");
    // And a config section whose bytes are not a valid config at all.
    byte[] garbage = good.clone();
    le(garbage).putInt(at + 16, Float.floatToIntBits(Float.NaN));
    byte[] bad = Arrays.copyOfRange(garbage, at, at + ConfigCodec.LENGTH);
    le(garbage).put(entryAt(header, 0) + 24, RbpxFixtures.sectionHash(1, bad).bytes());
    assertReadReason(rehash(garbage), "section config: Invalid epsilon: NaN");
  }

  /** Refused by the header alone (and so by a full read) with {@code reason}. */
  private static void assertReason(byte[] bytes, String reason) {
    assertContains(refuseBoth("hostile.rbpx", bytes), reason);
  }

  /** Refused by a full read with {@code reason}, once the header has passed. */
  private static void assertReadReason(byte[] bytes, String reason) {
    Path file = put(dir.resolve("hostile-body.rbpx"), bytes);
    RbpxReader.readHeader(file);
    assertContains(refuseRead("hostile-body.rbpx", bytes), reason);
  }

  private static void assertContains(InvalidRbpxException e, String reason) {
    assertInstanceOf(CorruptRbpxException.class, e);
    assertTrue(e.getMessage().contains(reason), "expected '" + reason + "' in: " + e.getMessage());
  }

  private static int index(SectionType type) {
    for (int i = 0; i < header.sections().size(); i++) {
      if (header.sections().get(i).type() == type) {
        return i;
      }
    }
    throw new AssertionError("no " + type);
  }

  private static SectionEntry entry(SectionType type) {
    return header.sections().get(index(type));
  }
}
