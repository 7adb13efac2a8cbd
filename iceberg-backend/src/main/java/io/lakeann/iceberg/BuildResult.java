package io.lakeann.iceberg;

/**
 * What a build or refresh did. Immutable.
 *
 * @param bundle the bundle now registered with the snapshot
 * @param alreadyRegistered true when an equal bundle was registered before: nothing was done
 * @param shardsBuilt shards built from rows
 * @param shardsReused shards copied unchanged from an earlier snapshot's bundle
 * @param shardsRemasked earlier shards reused with a new deletion mask
 * @param rowsRead rows read from data files to build shards
 * @param skippedNullVectors rows of the snapshot skipped because their vector is null
 * @param seconds wall time of the build, publish included
 */
public record BuildResult(RegisteredBundle bundle, boolean alreadyRegistered, int shardsBuilt,
    int shardsReused, int shardsRemasked, long rowsRead, long skippedNullVectors,
    double seconds) {}
