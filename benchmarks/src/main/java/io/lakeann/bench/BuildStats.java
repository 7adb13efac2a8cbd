package io.lakeann.bench;

/**
 * What building one engine setting cost. Immutable; a value that does not apply to an engine is
 * {@code NaN} and is left out of its JSON line.
 *
 * @param seconds wall time of the build
 * @param bytesPerVector bytes the engine reports or is known to hold per base row
 * @param bytesPerVectorWithOriginals lakeann only: the same, counting stored float32 originals
 * @param heapBytesPerVector heap growth across the build (after full GCs) per base row
 */
record BuildStats(double seconds, double bytesPerVector, double bytesPerVectorWithOriginals,
    double heapBytesPerVector) {}
