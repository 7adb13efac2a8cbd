package io.lakeann.sql;

import io.lakeann.iceberg.BundleStore;
import io.lakeann.iceberg.ColumnBinding;
import io.lakeann.iceberg.NoIndexException;
import io.lakeann.spark.SparkTables;
import java.util.Locale;
import org.apache.iceberg.Table;
import org.apache.spark.sql.SparkSession;

/** What the bundle of an indexed column records about it, for joining hits back to rows. */
public final class IndexedColumns {
  private IndexedColumns() {}

  /** The id column (as the table now names it) of the bundle of {@code column} at a snapshot. */
  public static String idColumn(SparkSession spark, String table, String column,
      long bundleSnapshot) {
    Table base = SparkTables.load(spark, table);
    int fieldId = ColumnBinding.vectorField(base.name(), base.schema(), column).fieldId();
    return new BundleStore(base, BundleStore.DEFAULT_PART_BYTES).find(bundleSnapshot, fieldId)
        .orElseThrow(() -> new NoIndexException(String.format(Locale.ROOT,
            "The lakeann index of %s.%s at snapshot %d disappeared while it was searched; "
                + "run the statement again", table, column, bundleSnapshot)))
        .manifest().binding().renamedIn(base.schema()).idColumn();
  }
}
