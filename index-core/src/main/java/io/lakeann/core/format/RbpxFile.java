package io.lakeann.core.format;

import io.lakeann.core.RabitqIndex;
import io.lakeann.core.witness.Witness;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;

/**
 * An rbpx file read and verified: every hash held, so the index is exactly what was written.
 *
 * @param path the file
 * @param header its header
 * @param witness the file's witness ({@link RbpxHeader#witness()})
 * @param index the index, ready to search
 * @param deletedRows rows masked out (row numbers of the build input), or null when the file
 *     has no deletion mask
 * @param unknownSections sections of types this reader does not know, to preserve on rewrite
 */
public record RbpxFile(Path path, RbpxHeader header, Witness witness, RabitqIndex index,
    BitSet deletedRows, List<RawSection> unknownSections) {}
