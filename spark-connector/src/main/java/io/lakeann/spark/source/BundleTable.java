package io.lakeann.spark.source;

import java.util.Set;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.SupportsWrite;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.write.LogicalWriteInfo;
import org.apache.spark.sql.connector.write.WriteBuilder;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * A bundle at a path as Spark sees it: read, it is its shard listing ({@link #SCHEMA}, one row per
 * shard); written, it takes any DataFrame and indexes it ({@link BundleWrite}). Immutable.
 */
final class BundleTable implements SupportsRead, SupportsWrite {
  /** The columns a read returns. */
  static final StructType SCHEMA = new StructType()
      .add("shard", DataTypes.IntegerType, false)
      .add("file", DataTypes.StringType, true)
      .add("rows", DataTypes.LongType, false)
      .add("bytes", DataTypes.LongType, false)
      .add("witness", DataTypes.StringType, true)
      .add("skipped_null_vectors", DataTypes.LongType, false)
      .add("dim", DataTypes.IntegerType, false)
      .add("metric", DataTypes.StringType, false)
      .add("config", DataTypes.StringType, false)
      .add("bundle_witness", DataTypes.StringType, false)
      .add("id_column", DataTypes.StringType, false)
      .add("id_type", DataTypes.StringType, false)
      .add("vector_column", DataTypes.StringType, false);

  private final BundleFiles files;
  private final boolean creating;

  /**
   * @param creating whether the catalog created this table for a write that must not replace a
   *     bundle (mode errorifexists)
   */
  BundleTable(BundleFiles files, boolean creating) {
    this.files = files;
    this.creating = creating;
  }

  @Override
  public String name() {
    return files.describe();
  }

  @Override
  @SuppressWarnings("deprecation")
  public StructType schema() {
    return SCHEMA;
  }

  @Override
  public Set<TableCapability> capabilities() {
    return Set.of(TableCapability.BATCH_READ, TableCapability.BATCH_WRITE,
        TableCapability.TRUNCATE, TableCapability.ACCEPT_ANY_SCHEMA);
  }

  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
    return new ShardListing(files.path(), files.requireManifest());
  }

  @Override
  public WriteBuilder newWriteBuilder(LogicalWriteInfo info) {
    return new BundleWrite.Builder(files, creating, info, false);
  }
}
