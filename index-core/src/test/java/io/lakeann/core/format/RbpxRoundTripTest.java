package io.lakeann.core.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.IndexConfig;
import io.lakeann.core.Metric;
import io.lakeann.core.RabitqIndex;
import io.lakeann.core.data.SyntheticVectors;
import io.lakeann.core.search.Neighbors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A written and re-read index is the same index: it writes the same file bytes, gives the same
 * answers and has the same witness.
 */
class RbpxRoundTripTest {
  @TempDir
  Path dir;

  private static final SyntheticVectors GEN = new SyntheticVectors(40, 8, 0.5f, 3);

  @ParameterizedTest(name = "{0}, exBits {1}, originals {2}")
  @CsvSource({"L2, 0, true", "INNER_PRODUCT, 3, true", "COSINE, 2, false", "L2, 8, false"})
  void roundTripGivesIdenticalFileResultsAndWitness(Metric metric, int exBits,
      boolean originals) throws IOException {
    RabitqIndex built = RabitqIndex.build(GEN.vectorSet("rt", 3_000, 1), IndexConfig.builder()
        .metric(metric).exBits(exBits).storeOriginals(originals).build());
    Path file = dir.resolve("shard.rbpx");
    byte[] source = "table-uuid/snapshot-7/shard-0".getBytes(StandardCharsets.UTF_8);

    RbpxHeader written = RbpxWriter.write(file, built, source, null, List.of());
    RbpxFile read = RbpxReader.read(file, 2);
    Path again = dir.resolve("again.rbpx");
    RbpxWriter.write(again, read.index(), read.header().sourceIdentity(), null, List.of());

    assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(again),
        "the index read back writes the same file");
    assertEquals(written.witness(), read.witness());
    assertArrayEquals(source, read.header().sourceIdentity());
    assertEquals(built.contentFingerprint(), read.index().contentFingerprint());
    assertNull(read.deletedRows());
    for (float[] q : SyntheticVectors.rows(GEN.points(20, 2), 40)) {
      Neighbors a = built.search(q).k(10).run();
      Neighbors b = read.index().search(q).k(10).run();
      assertEquals(a, b, "ids and distance bits agree");
    }
  }

  @Test
  void deletionMaskAndUnknownSectionsSurviveARewrite() throws IOException {
    RabitqIndex built = RabitqIndex.build(GEN.vectorSet("rt", 500, 1), IndexConfig.defaults());
    BitSet deleted = new BitSet();
    deleted.set(3);
    deleted.set(499);
    RawSection future = new RawSection(9_000, new byte[] {1, 2, 3, 4, 5});
    Path first = dir.resolve("a.rbpx");
    Path second = dir.resolve("b.rbpx");

    RbpxWriter.write(first, built, new byte[0], deleted, List.of(future));
    RbpxFile read = RbpxReader.read(first, 1);
    RbpxWriter.write(second, read.index(), read.header().sourceIdentity(), read.deletedRows(),
        read.unknownSections());

    assertEquals(deleted, read.deletedRows());
    assertEquals(1, read.unknownSections().size());
    assertArrayEquals(future.bytes(), read.unknownSections().get(0).bytes());
    assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
  }

  @Test
  void anotherSourceIdentityGivesAnotherWitness() {
    RabitqIndex built = RabitqIndex.build(GEN.vectorSet("rt", 500, 1), IndexConfig.defaults());

    RbpxHeader a = RbpxWriter.write(dir.resolve("a.rbpx"), built, new byte[] {1}, null, List.of());
    RbpxHeader b = RbpxWriter.write(dir.resolve("b.rbpx"), built, new byte[] {2}, null, List.of());
    RbpxHeader c = RbpxWriter.write(dir.resolve("c.rbpx"), built, new byte[] {1}, null, List.of());

    assertNotEquals(a.witness(), b.witness());
    assertEquals(a.witness(), c.witness());
  }

  @Test
  void writingLeavesNoTemporaryFilesBehind() throws IOException {
    RabitqIndex built = RabitqIndex.build(GEN.vectorSet("rt", 300, 1), IndexConfig.defaults());

    RbpxWriter.write(dir.resolve("x.rbpx"), built, new byte[0], null, List.of());
    RbpxWriter.write(dir.resolve("x.rbpx"), built, new byte[0], null, List.of());

    try (var files = Files.list(dir)) {
      assertEquals(List.of("x.rbpx"), files.map(f -> f.getFileName().toString()).toList());
    }
    assertTrue(Files.size(dir.resolve("x.rbpx")) > 0);
  }
}
