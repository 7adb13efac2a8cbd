package io.lakeann.core.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.Calibration;
import io.lakeann.core.IndexConfig;
import io.lakeann.core.IndexParts;
import io.lakeann.core.RabitqIndex;
import io.lakeann.core.data.SyntheticVectors;
import io.lakeann.core.witness.ConfigHash;
import io.lakeann.core.witness.DomainTags;
import io.lakeann.core.witness.Framing;
import io.lakeann.core.witness.Witness;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The config hash has one definition: the rbpx header records the hash of the CONFIG section's
 * bytes ({@link ConfigCodec}), the same bytes the bundle manifests frame. Files of versions 1 and
 * 2, whose headers framed the fields one by one ({@link ConfigHash#legacyFields}), are still read
 * and still refuse a config that does not match.
 */
class RbpxConfigHashTest {
  @TempDir
  Path dir;

  private static final String MISMATCH = "section config does not match the header's config hash";
  private static final IndexConfig CONFIG = IndexConfig.builder().exBits(2).seed(17).build();

  private static RabitqIndex built() {
    return RabitqIndex.build(new SyntheticVectors(16, 4, 0.5f, 9).vectorSet("cfg", 1_000, 1),
        CONFIG);
  }

  private static int entry(RbpxHeader header, SectionType type) {
    for (int i = 0; i < header.sections().size(); i++) {
      if (header.sections().get(i).code() == type.code()) {
        return i;
      }
    }
    throw new AssertionError("no section " + type.label() + " in " + header.sections());
  }

  /** The seed in a CONFIG section's bytes, plus one: still a valid config, another one. */
  private static byte[] otherSeed(byte[] config) {
    byte[] out = config.clone();
    ByteBuffer b = RbpxFixtures.le(out);
    b.putLong(24, b.getLong(24) + 1);
    return out;
  }

  /**
   * A calibration section in the version 2 layout (sample queries, k, target count, then per
   * target: target, beta, mean lists, sample recall), written out here rather than by
   * {@link CalibrationCodec} so the file stays a version 2 file whatever later versions lay out.
   */
  private static byte[] versionTwoCalibration(Calibration c) {
    ByteBuffer b = ByteBuffer.allocate(12 + 16 * c.size()).order(ByteOrder.LITTLE_ENDIAN)
        .putInt(c.sampleQueries()).putInt(c.k()).putInt(c.size());
    for (int i = 0; i < c.size(); i++) {
      b.putFloat(c.target(i)).putFloat(c.beta(i)).putFloat(c.meanLists(i))
          .putFloat(c.sampleRecall(i));
    }
    return b.array();
  }

  /**
   * A file of format {@code version} (1, 2 or the current one) holding {@code index}, laid out as
   * that version's writer did, with {@code configHash} in its header and {@code config} as its
   * CONFIG section; every section hash and the self-hash are valid.
   */
  private Path fileOfVersion(String name, int version, Witness configHash, byte[] config) {
    RabitqIndex index = built();
    Path file = dir.resolve(name);
    RbpxHeader current = RbpxWriter.write(file, index, RbpxFixtures.SOURCE, null, List.of());
    List<byte[]> written = RbpxFixtures.sections(current, RbpxFixtures.bytes(file));
    int calibration = entry(current, SectionType.CALIBRATION);
    List<Integer> codes = new ArrayList<>();
    List<byte[]> bodies = new ArrayList<>();
    List<Witness> hashes = new ArrayList<>();
    for (int i = 0; i < written.size(); i++) {
      byte[] body = written.get(i);
      if (i == entry(current, SectionType.CONFIG)) {
        body = config;
      } else if (i == calibration && version == 1) {
        continue;
      } else if (i == calibration && version == 2) {
        body = versionTwoCalibration(index.calibration());
      }
      codes.add(current.sections().get(i).code());
      bodies.add(body);
      hashes.add(RbpxFixtures.sectionHash(codes.get(codes.size() - 1), body));
    }
    RbpxHeader old = new RbpxHeader(version, current.flags(), configHash, current.dim(),
        current.metric(), current.exBits(), current.nlist(), current.rows(),
        current.contentFingerprint(), current.sourceIdentity(), List.of());
    return RbpxFixtures.put(file, RbpxFixtures.assemble(old, codes, hashes, bodies));
  }

  @Test
  void headerConfigHashIsTheHashOfTheConfigSectionBytes() {
    Path file = dir.resolve("a.rbpx");
    RbpxHeader written = RbpxWriter.write(file, built(), new byte[0], null, List.of());
    byte[] section = RbpxFixtures.sections(written, RbpxFixtures.bytes(file))
        .get(entry(written, SectionType.CONFIG));

    assertTrue(RbpxHeader.VERSION >= RbpxHeader.FIRST_CODEC_CONFIG_HASH);
    assertEquals(RbpxHeader.VERSION, written.version());
    assertArrayEquals(ConfigCodec.encode(CONFIG), section);
    assertEquals(new Framing(DomainTags.INDEX_CONFIG).bytes(section).finish(),
        written.configHash());
    assertEquals(ConfigHash.of(CONFIG), written.configHash());
    assertEquals(written.configHash(), RbpxReader.readHeader(file).configHash());
    assertNotEquals(ConfigHash.legacyFields(CONFIG), written.configHash());
  }

  @Test
  void configSectionThatDoesNotMatchTheHeaderIsRefused() {
    byte[] config = otherSeed(ConfigCodec.encode(CONFIG));
    Path file = fileOfVersion("tampered.rbpx", RbpxHeader.VERSION, ConfigHash.of(CONFIG),
        config);

    InvalidRbpxException e = RbpxFixtures.refusal(file, () -> RbpxReader.read(file, 1));
    assertInstanceOf(CorruptRbpxException.class, e);
    assertTrue(e.getMessage().endsWith(MISMATCH), e.getMessage());
  }

  @ParameterizedTest(name = "version {0}")
  @ValueSource(ints = {1, 2})
  void olderFileIsReadWithItsFieldByFieldConfigHash(int version) {
    Path file = fileOfVersion("old.rbpx", version, ConfigHash.legacyFields(CONFIG),
        ConfigCodec.encode(CONFIG));

    RbpxFile read = RbpxReader.read(file, 2);

    assertEquals(version, read.header().version());
    assertEquals(ConfigHash.legacyFields(CONFIG), read.header().configHash());
    assertArrayEquals(ConfigCodec.encode(CONFIG), ConfigCodec.encode(read.index().config()));
    assertEquals(1_000, read.index().size());
    if (version == 1) {
      assertNull(read.index().calibration());
    } else {
      assertNotNull(read.index().calibration());
    }
  }

  @ParameterizedTest(name = "version {0}")
  @ValueSource(ints = {1, 2})
  void olderFileWithATamperedConfigIsRefused(int version) {
    byte[] config = otherSeed(ConfigCodec.encode(CONFIG));
    Path file = fileOfVersion("old-tampered.rbpx", version, ConfigHash.legacyFields(CONFIG),
        config);

    InvalidRbpxException e = RbpxFixtures.refusal(file, () -> RbpxReader.read(file, 1));
    assertInstanceOf(CorruptRbpxException.class, e);
    assertTrue(e.getMessage().endsWith(MISMATCH), e.getMessage());
  }

  @Test
  void theVersionDecidesWhichConfigHashAFileMustCarry() {
    byte[] config = ConfigCodec.encode(CONFIG);
    Path newHashInOldFile = fileOfVersion("v2-new-hash.rbpx", 2, ConfigHash.of(CONFIG), config);
    Path oldHashInNewFile = fileOfVersion("v3-old-hash.rbpx", RbpxHeader.VERSION,
        ConfigHash.legacyFields(CONFIG), config);

    for (Path file : List.of(newHashInOldFile, oldHashInNewFile)) {
      InvalidRbpxException e = RbpxFixtures.refusal(file, () -> RbpxReader.read(file, 1));
      assertTrue(e.getMessage().endsWith(MISMATCH), e.getMessage());
    }
  }

  @Test
  void rewriteOfAVersionOneIndexKeepsVersionOnesConfigHash() {
    IndexParts p = built().parts();
    RabitqIndex uncalibrated = RabitqIndex.fromParts(new IndexParts(p.config(), p.source(),
        p.dim(), p.rotationSigns(), p.centroids(), p.rotatedCentroids(), p.listStart(), p.ids(),
        p.rows(), p.signCodes(), p.factors(), p.exPlanes(), p.exFactors(), p.originals(),
        p.contentFingerprint(), null));
    Path file = dir.resolve("v1.rbpx");

    RbpxHeader written = RbpxWriter.write(file, uncalibrated, new byte[0], null, List.of());

    assertEquals(1, written.version());
    assertEquals(ConfigHash.legacyFields(CONFIG), written.configHash());
    assertEquals(written.witness(), RbpxReader.read(file, 1).witness());
  }
}
