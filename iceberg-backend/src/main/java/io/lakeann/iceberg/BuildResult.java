package io.lakeann.iceberg;

import java.util.List;

/**
 * What a build or refresh did. Immutable.
 *
 * @param bundle the bundle now registered with the snapshot
 * @param alreadyRegistered true when an equal bundle was registered before this build published:
 *     either before it started (nothing was done, every count is 0) or by a concurrent build that
 *     committed first (this build's shards, still counted, were discarded)
 * @param shardsBuilt shards built from rows
 * @param shardsReused shards copied unchanged from an earlier snapshot's bundle
 * @param shardsRemasked earlier shards reused with a new deletion mask
 * @param shardsRepaired shards of the bundle the build started from that failed verification and
 *     were rebuilt from rows (counted in {@code shardsBuilt} too; only a repair build verifies)
 * @param rowsRead rows read from data files to build shards
 * @param skippedNullVectors rows of the snapshot skipped because their vector is null
 * @param seconds wall time of the build, publish included
 */
public record BuildResult(RegisteredBundle bundle, boolean alreadyRegistered, int shardsBuilt,
    int shardsReused, int shardsRemasked, int shardsRepaired, long rowsRead,
    long skippedNullVectors, double seconds) {

  /** The result of a build that found an equal bundle registered and did nothing. */
  public static BuildResult registered(RegisteredBundle bundle, double seconds) {
    return new BuildResult(bundle, true, 0, 0, 0, 0, 0, bundle.manifest().skippedNulls(),
        seconds);
  }

  /** The result of publishing {@code built}, {@code repaired} of them rebuilt as damaged. */
  public static BuildResult of(BundleStore.Published published, List<BuiltShard> built,
      int repaired, double seconds) {
    int[] made = new int[ShardPlanner.Action.values().length];
    long rowsRead = 0;
    for (BuiltShard shard : built) {
      made[shard.made().ordinal()]++;
      if (shard.made() == ShardPlanner.Action.BUILD) {
        rowsRead += shard.entry().rows();
      }
    }
    RegisteredBundle bundle = published.bundle();
    return new BuildResult(bundle, published.alreadyRegistered(),
        made[ShardPlanner.Action.BUILD.ordinal()], made[ShardPlanner.Action.REUSE.ordinal()],
        made[ShardPlanner.Action.REMASK.ordinal()], repaired, rowsRead,
        bundle.manifest().skippedNulls(), seconds);
  }
}
