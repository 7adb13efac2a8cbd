package io.lakeann.core;

import io.lakeann.core.witness.Witness;

/**
 * Every array and value that makes up a {@link RabitqIndex}, for the rbpx writer and reader.
 * The arrays are shared with the index, not copied: treat them as read-only. Lengths in rows (n),
 * lists (nlist), dimension (dim) and padded dimension (P, words = P / 64):
 *
 * @param config the build config
 * @param source what the rows are, for messages
 * @param dim input dimension
 * @param rotationSigns {@code 4 * P} signs (+1 or -1) of the rotation rounds
 * @param centroids {@code nlist * dim}
 * @param rotatedCentroids {@code nlist * P}
 * @param listStart {@code nlist + 1} slot offsets, from 0 up to n
 * @param ids {@code n} row ids, in slot order
 * @param rows {@code n} row numbers (a permutation of 0..n-1), in slot order
 * @param signCodes {@code n * words}
 * @param factors {@code n * 4}
 * @param exPlanes {@code n * exBits * words}
 * @param exFactors {@code n * 2}, or empty without extended bits
 * @param originals {@code n * dim}, or null when not stored
 * @param contentFingerprint fingerprint of the rows the index was built from, in row order
 * @param calibration the shard's recall-versus-effort curve, or null for a file written before
 *     calibration existed (format version 1)
 */
public record IndexParts(IndexConfig config, String source, int dim, float[] rotationSigns,
    float[] centroids, float[] rotatedCentroids, int[] listStart, long[] ids, int[] rows,
    long[] signCodes, float[] factors, long[] exPlanes, float[] exFactors, float[] originals,
    Witness contentFingerprint, Calibration calibration) {}
