package io.lakeann.spark.source;

import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.connector.catalog.SupportsCatalogOptions;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The {@code lakeann} data source: index any DataFrame into a bundle at a path, and see what a
 * bundle holds.
 *
 * <pre>{@code
 * df.write().format("lakeann").option("id", "doc_id").option("vector", "embedding")
 *     .option("metric", "cosine").mode("overwrite").save("/data/docs-index");
 * spark.read().format("lakeann").load("/data/docs-index");   // one row per shard
 * LakeAnn.annJoin(queries, "qvec").againstPath("/data/docs-index").k(10).run().rows();
 * }</pre>
 *
 * <p>A write builds one shard per partition of the DataFrame on the executors and publishes the
 * bundle's manifest on the driver ({@link BundleWrite}); the options are in {@link WriteSpec}.
 * Paths are resolved through {@link BundleCatalog}, which this source registers in the session
 * as {@value #CATALOG} on first use (Spark passes save modes other than append and overwrite
 * only to sources with a catalog). Stateless.
 */
public final class LakeAnnSource implements SupportsCatalogOptions, DataSourceRegister {
  /** The format name: {@code format("lakeann")}. */
  public static final String SHORT_NAME = "lakeann";
  /** The name this source registers its {@link BundleCatalog} under. */
  public static final String CATALOG = "lakeann_bundles";

  @Override
  public String shortName() {
    return SHORT_NAME;
  }

  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    return BundleTable.SCHEMA;
  }

  @Override
  public Table getTable(StructType schema, Transform[] partitioning,
      Map<String, String> properties) {
    return new BundleTable(BundleFiles.of(SparkSession.active(), properties.get("path")), false);
  }

  @Override
  public Identifier extractIdentifier(CaseInsensitiveStringMap options) {
    return Identifier.of(new String[0], BundleFiles.requirePath(options.get("path")));
  }

  @Override
  public String extractCatalog(CaseInsensitiveStringMap options) {
    SparkSession spark = SparkSession.active();
    String key = "spark.sql.catalog." + CATALOG;
    if (!spark.conf().contains(key)) {
      spark.conf().set(key, BundleCatalog.class.getName());
    }
    return CATALOG;
  }
}
