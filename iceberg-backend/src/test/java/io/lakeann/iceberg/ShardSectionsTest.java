package io.lakeann.iceberg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.format.CorruptRbpxException;
import io.lakeann.core.format.RawSection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Iceberg layer's rbpx sections decode to what was encoded, and malformed ones are refused. */
class ShardSectionsTest {
  private static final Path FILE = Path.of("shard-3.rbpx");

  private static ShardSections sections(long[] rowIds, long[] lastUpdated, long[] prints) {
    return new ShardSections(new int[] {2, 1}, new long[] {0, 4, 7}, null, new int[] {1, 0},
        new long[] {2}, rowIds, lastUpdated, prints);
  }

  @Test
  void rowLineageAndFingerprintsRoundTrip() {
    ShardSections lineage = sections(new long[] {10, 14, 3}, new long[] {1, 1, 2}, null);
    ShardSections back = ShardSections.decode(FILE, lineage.encode(), 3, false);
    assertArrayEquals(lineage.rowIds(), back.rowIds());
    assertArrayEquals(lineage.lastUpdated(), back.lastUpdated());
    assertNull(back.fingerprints());
    assertArrayEquals(lineage.positions(), back.positions());

    ShardSections prints = sections(null, null, new long[] {-5, 0, Long.MAX_VALUE});
    ShardSections printsBack = ShardSections.decode(FILE, prints.encode(), 3, false);
    assertArrayEquals(prints.fingerprints(), printsBack.fingerprints());
    assertNull(printsBack.rowIds());
    assertNull(printsBack.lastUpdated());
  }

  @Test
  void aRowLineageSectionOfTheWrongLengthIsRefusedWithItsName() {
    List<RawSection> encoded = new ArrayList<>();
    for (RawSection s : sections(new long[] {10, 14, 3}, new long[] {1, 1, 2}, null).encode()) {
      encoded.add(s.code() != ShardSections.ROW_LINEAGE ? s
          : new RawSection(s.code(), Arrays.copyOf(s.bytes(), s.bytes().length - 8)));
    }
    CorruptRbpxException e = assertThrows(CorruptRbpxException.class,
        () -> ShardSections.decode(FILE, encoded, 3, false));
    assertTrue(e.getMessage().contains("shard-3.rbpx")
        && e.getMessage().contains("row-lineage section of 44 bytes does not hold 3 rows"),
        e.getMessage());
  }
}
