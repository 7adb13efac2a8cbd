package io.lakeann.core.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.IndexConfig;
import io.lakeann.core.LakeAnnException;
import io.lakeann.core.RabitqIndex;
import io.lakeann.core.data.SyntheticVectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write that fails leaves the directory as it was: no new file, no temporary file, and an
 * existing file under the final name byte for byte intact and readable.
 */
class RbpxWriterFailureTest {
  @TempDir
  Path dir;

  private RabitqIndex index;
  private Path existing;
  private byte[] before;

  @BeforeEach
  void writeExistingFile() throws IOException {
    index = RabitqIndex.build(new SyntheticVectors(16, 4, 0.5f, 9).vectorSet("w", 200, 1),
        IndexConfig.defaults());
    existing = dir.resolve("shard.rbpx");
    RbpxWriter.write(existing, index, new byte[] {1, 2, 3}, null, List.of());
    before = Files.readAllBytes(existing);
  }

  private List<String> names() throws IOException {
    return names(dir);
  }

  private static List<String> names(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  private void assertUnchanged() throws IOException {
    assertEquals(List.of("shard.rbpx"), names(), "no new or temporary file");
    assertArrayEquals(before, Files.readAllBytes(existing));
    assertEquals(200, RbpxReader.read(existing, 1).index().size());
  }

  @Test
  void tooLargeSourceIdentityLeavesTheOldFile() throws IOException {
    byte[] huge = new byte[RbpxHeader.MAX_SOURCE_IDENTITY + 1];

    LakeAnnException e = assertThrows(LakeAnnException.class,
        () -> RbpxWriter.write(existing, index, huge, null, List.of()));

    assertTrue(e.getMessage().contains("source identity of 1048577 bytes exceeds 1048576"),
        e.getMessage());
    assertUnchanged();
    assertThrows(LakeAnnException.class,
        () -> RbpxWriter.write(dir.resolve("new.rbpx"), index, huge, null, List.of()));
    assertUnchanged();
  }

  @Test
  void moreSectionsThanTheFormatAllowsAreRefusedBeforeWriting() throws IOException {
    List<RawSection> preserved = new ArrayList<>();
    for (int code = 1_000; code < 1_060; code++) {
      preserved.add(new RawSection(code, new byte[] {1}));
    }

    LakeAnnException e = assertThrows(LakeAnnException.class,
        () -> RbpxWriter.write(existing, index, new byte[0], null, preserved));

    assertTrue(e.getMessage().contains("sections exceed the format's 64"), e.getMessage());
    assertUnchanged();
  }

  @Test
  void deletionMaskBeyondTheRowsLeavesTheOldFile() throws IOException {
    BitSet deleted = new BitSet();
    deleted.set(200);

    LakeAnnException e = assertThrows(LakeAnnException.class,
        () -> RbpxWriter.write(existing, index, new byte[0], deleted, List.of()));

    assertTrue(e.getMessage().contains("deletion mask names row 200 but the index has 200 rows"),
        e.getMessage());
    assertUnchanged();
  }

  @Test
  void preservingAKnownSectionTypeLeavesTheOldFile() throws IOException {
    RawSection fake = new RawSection(SectionType.IDS.code(), new byte[8]);

    assertThrows(LakeAnnException.class,
        () -> RbpxWriter.write(existing, index, new byte[0], null, List.of(fake)));

    assertUnchanged();
  }

  @Test
  void failedRenameDeletesTheTemporaryFile() throws IOException {
    // The final name is a non-empty directory: the bytes are written, the rename fails.
    Path blocked = Files.createDirectories(dir.resolve("blocked.rbpx"));
    Files.writeString(blocked.resolve("keep"), "x");

    LakeAnnException e = assertThrows(LakeAnnException.class,
        () -> RbpxWriter.write(blocked, index, new byte[0], null, List.of()));

    assertTrue(e.getMessage().startsWith("Cannot write " + blocked), e.getMessage());
    assertEquals(List.of("blocked.rbpx", "shard.rbpx"), names(), "no temporary file left");
    assertEquals(List.of("keep"), names(blocked));
    assertArrayEquals(before, Files.readAllBytes(existing));
  }
}
