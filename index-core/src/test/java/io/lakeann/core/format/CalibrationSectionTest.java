package io.lakeann.core.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.IndexConfig;
import io.lakeann.core.IndexParts;
import io.lakeann.core.RabitqIndex;
import io.lakeann.core.data.SyntheticVectors;
import io.lakeann.core.search.Neighbors;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The calibration section: written and read back unchanged, covered by its hash like every
 * section, its values checked, and files of format version 1 (written before it existed) still
 * load and search at the old default effort.
 */
class CalibrationSectionTest {
  @TempDir
  Path dir;

  private static final SyntheticVectors GEN = new SyntheticVectors(24, 8, 0.5f, 3);

  private static RabitqIndex built() {
    return RabitqIndex.build(GEN.vectorSet("cal", 2_000, 1), IndexConfig.defaults());
  }

  private static int calibrationEntry(RbpxHeader header) {
    for (int i = 0; i < header.sections().size(); i++) {
      if (header.sections().get(i).code() == SectionType.CALIBRATION.code()) {
        return i;
      }
    }
    throw new AssertionError("no calibration section in " + header.sections());
  }

  @Test
  void calibrationSurvivesTheRoundTripAndIsPartOfTheWitness() {
    RabitqIndex index = built();
    RbpxHeader written = RbpxWriter.write(dir.resolve("a.rbpx"), index, new byte[0], null,
        List.of());
    RbpxFile read = RbpxReader.read(dir.resolve("a.rbpx"), 2);

    assertEquals(RbpxHeader.VERSION, written.version());
    assertNotNull(index.calibration());
    assertEquals(index.calibration(), read.index().calibration());
    SectionEntry entry = written.sections().get(calibrationEntry(written));
    assertEquals(SectionType.CALIBRATION.code(), entry.code());
  }

  @Test
  void tamperedCalibrationIsRefusedWithReason() {
    Path file = dir.resolve("t.rbpx");
    RbpxHeader header = RbpxWriter.write(file, built(), new byte[0], null, List.of());
    byte[] bytes = RbpxFixtures.bytes(file);
    SectionEntry entry = header.sections().get(calibrationEntry(header));
    // The beta of the first target, flipped in one bit.
    bytes[(int) entry.offset() + CalibrationCodec.FIXED + 4] ^= 1;
    RbpxFixtures.put(file, bytes);

    InvalidRbpxException e = assertThrows(InvalidRbpxException.class,
        () -> RbpxReader.read(file, 1));
    assertInstanceOf(CorruptRbpxException.class, e);
    assertTrue(e.getMessage().endsWith("section calibration: hash mismatch"), e.getMessage());
  }

  @Test
  void calibrationWithAValueOutOfRangeIsRefusedEvenWithValidHashes() {
    RabitqIndex index = built();
    Path file = dir.resolve("v.rbpx");
    RbpxHeader header = RbpxWriter.write(file, index, new byte[0], null, List.of());
    byte[] bytes = RbpxFixtures.bytes(file);
    List<byte[]> bodies = RbpxFixtures.sections(header, bytes);
    int at = calibrationEntry(header);
    byte[] calibration = bodies.get(at);
    RbpxFixtures.le(calibration).putFloat(CalibrationCodec.FIXED + 4, 7f); // beta 7
    List<Integer> codes = header.sections().stream().map(SectionEntry::code).toList();
    List<io.lakeann.core.witness.Witness> hashes = new java.util.ArrayList<>();
    for (int i = 0; i < codes.size(); i++) {
      hashes.add(RbpxFixtures.sectionHash(codes.get(i), bodies.get(i)));
    }
    RbpxFixtures.put(file, RbpxFixtures.assemble(header, codes, hashes, bodies));

    InvalidRbpxException e = assertThrows(InvalidRbpxException.class,
        () -> RbpxReader.read(file, 1));
    assertTrue(e.getMessage().contains("section calibration: Invalid calibration: beta 7.0"),
        e.getMessage());
  }

  @Test
  void versionOneFileWithoutCalibrationLoadsAndSearchesAtTheOldDefault() {
    RabitqIndex index = built();
    IndexParts p = index.parts();
    RabitqIndex old = RabitqIndex.fromParts(new IndexParts(p.config(), p.source(), p.dim(),
        p.rotationSigns(), p.centroids(), p.rotatedCentroids(), p.listStart(), p.ids(), p.rows(),
        p.signCodes(), p.factors(), p.exPlanes(), p.exFactors(), p.originals(),
        p.contentFingerprint(), null));
    Path file = dir.resolve("v1.rbpx");

    RbpxHeader written = RbpxWriter.write(file, old, new byte[0], null, List.of());
    RbpxFile read = RbpxReader.read(file, 1);

    assertEquals(1, written.version());
    assertNull(read.index().calibration());
    for (float[] q : SyntheticVectors.rows(GEN.points(20, 2), 24)) {
      Neighbors atDefault = read.index().search(q).run();
      assertEquals(read.index().search(q).nprobe(read.index().defaultNprobe()).run(), atDefault);
    }
  }
}
