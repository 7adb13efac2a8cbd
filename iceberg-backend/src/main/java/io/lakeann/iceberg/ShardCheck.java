package io.lakeann.iceberg;

import io.lakeann.core.LakeAnnException;
import io.lakeann.core.format.InvalidRbpxException;
import io.lakeann.core.format.RbpxFile;
import io.lakeann.core.format.RbpxReader;
import io.lakeann.core.witness.Witness;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The check of one shard of a registered bundle, read straight from its Puffin blobs (never from
 * a cache or a local copy, which could hide damage): every rbpx hash, the witness the manifest
 * names, and the source identity against the data files the manifest lists. Immutable.
 *
 * @param shard the shard's index in the bundle
 * @param witness the witness the manifest names for it
 * @param rows rows the shard indexes
 * @param bytes its rbpx bytes
 * @param problem why it is refused, or null when it passed
 */
public record ShardCheck(int shard, Witness witness, long rows, long bytes, String problem) {

  public boolean ok() {
    return problem == null;
  }

  /**
   * Checks every shard of {@code bundle}, one after the other, each copied into a temporary
   * folder (and deleted after its check). A shard that fails is reported with its reason; nothing
   * is thrown for it.
   */
  public static List<ShardCheck> verifyAll(BundleStore store, RegisteredBundle bundle,
      int threads) {
    Path dir = LocalFiles.tempDir("lakeann-verify-");
    try {
      return verifyAll(store, bundle, dir, threads);
    } finally {
      LocalFiles.deleteTree(dir);
    }
  }

  /** {@link #verifyAll(BundleStore, RegisteredBundle, int)}, each shard copied into {@code dir}. */
  public static List<ShardCheck> verifyAll(BundleStore store, RegisteredBundle bundle, Path dir,
      int threads) {
    List<ShardCheck> out = new ArrayList<>();
    List<ShardEntry> shards = bundle.manifest().shards();
    for (int s = 0; s < shards.size(); s++) {
      ShardEntry entry = shards.get(s);
      out.add(new ShardCheck(s, entry.witness(), entry.rows(), entry.bytes(),
          entry.isEmpty() ? null : problem(store, bundle, s, dir, threads)));
    }
    return out;
  }

  private static String problem(BundleStore store, RegisteredBundle bundle, int index, Path dir,
      int threads) {
    Path copy = dir.resolve("verify-" + index + ".rbpx");
    String where = String.format(Locale.ROOT, "shard %d of the lakeann bundle in %s", index,
        bundle.statisticsPath());
    try {
      store.fetchShard(bundle, index, copy);
      RbpxFile file = RbpxReader.read(copy, threads);
      Witness expected = bundle.manifest().shards().get(index).witness();
      if (!file.witness().equals(expected)) {
        return String.format(Locale.ROOT, "witness %s differs from the manifest's %s",
            file.witness(), expected);
      }
      ShardCache.verify(bundle, index, file, where);
      return null;
    } catch (InvalidRbpxException e) {
      String message = e.getMessage();
      String prefix = copy + ": ";
      return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    } catch (LakeAnnException | UncheckedIOException e) {
      String message = e.getMessage();
      return message.startsWith(where + ": ") ? message.substring(where.length() + 2) : message;
    } finally {
      LocalFiles.deleteTree(copy);
    }
  }
}
