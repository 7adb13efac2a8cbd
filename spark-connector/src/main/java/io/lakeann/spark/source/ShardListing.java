package io.lakeann.spark.source;

import java.util.Locale;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The read of a path bundle: its manifest, read and verified on the driver, as one row per shard
 * in {@link BundleTable#SCHEMA}. The manifest is small, so it is the scan, its one partition and
 * the reader's factory at once. Immutable.
 *
 * @param path the bundle's path
 * @param bundle its manifest
 */
record ShardListing(String path, PathBundle bundle) implements ScanBuilder, Scan, Batch,
    InputPartition, PartitionReaderFactory {

  @Override
  public Scan build() {
    return this;
  }

  @Override
  public StructType readSchema() {
    return BundleTable.SCHEMA;
  }

  @Override
  public String description() {
    return "lakeann shards at " + path;
  }

  @Override
  public Batch toBatch() {
    return this;
  }

  @Override
  public InputPartition[] planInputPartitions() {
    return new InputPartition[] {this};
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    return this;
  }

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    return new PartitionReader<>() {
      private int next = -1;

      @Override
      public boolean next() {
        return ++next < bundle.shards().size();
      }

      @Override
      public InternalRow get() {
        return row(bundle.shards().get(next));
      }

      @Override
      public void close() {}
    };
  }

  private InternalRow row(PathShard s) {
    return new GenericInternalRow(new Object[] {
        s.shard(), text(s.file()), s.rows(), s.bytes(),
        text(s.isEmpty() ? null : s.witness().toString()), s.skippedNulls(), bundle.dim(),
        text(bundle.config().metric().name().toLowerCase(Locale.ROOT)),
        text(PathBundle.settings(bundle.config())), text(bundle.witness().toString()),
        text(bundle.idColumn()), text(bundle.idKind().label()), text(bundle.vectorColumn())});
  }

  private static UTF8String text(String s) {
    return s == null ? null : UTF8String.fromString(s);
  }
}
