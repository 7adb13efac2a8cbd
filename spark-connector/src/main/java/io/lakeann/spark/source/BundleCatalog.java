package io.lakeann.spark.source;

import io.lakeann.core.InvalidRequestException;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.catalog.Column;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableCatalog;
import org.apache.spark.sql.connector.catalog.TableChange;
import org.apache.spark.sql.connector.catalog.TableInfo;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The catalog through which Spark reaches path bundles: a table's name is a bundle's path.
 * {@link LakeAnnSource} registers it, so that writes can see their save mode: Spark asks a catalog
 * to create the table for {@code errorifexists} and loads it for {@code overwrite}. Tables are
 * never listed or dropped here: a bundle is only ever written or read. {@link #tableExists} says
 * no for every path, so that creating over an existing bundle fails in {@link #createTable} with
 * lakeann's own {@link BundleExistsException} (as {@code ignore} does too). Stateless apart from
 * its name.
 */
public final class BundleCatalog implements TableCatalog {
  private String name = LakeAnnSource.CATALOG;

  @Override
  public void initialize(String catalogName, CaseInsensitiveStringMap options) {
    this.name = catalogName;
  }

  @Override
  public String name() {
    return name;
  }

  private static BundleFiles files(Identifier ident) {
    return BundleFiles.of(SparkSession.active(), ident.name());
  }

  @Override
  public Identifier[] listTables(String[] namespace) {
    return new Identifier[0];
  }

  @Override
  public Table loadTable(Identifier ident) {
    return new BundleTable(files(ident), false);
  }

  @Override
  public boolean tableExists(Identifier ident) {
    return false;
  }

  /** A table to write a new bundle into; refused when the path has one (whatever the schema). */
  @Override
  public Table createTable(Identifier ident, TableInfo info) {
    BundleFiles files = files(ident);
    if (files.hasManifest()) {
      throw files.exists();
    }
    return new BundleTable(files, true);
  }

  @Override
  @SuppressWarnings("deprecation")
  public Table createTable(Identifier ident, Column[] columns, Transform[] partitions,
      Map<String, String> properties) {
    return createTable(ident, (TableInfo) null);
  }

  @Override
  @SuppressWarnings("deprecation")
  public Table createTable(Identifier ident, StructType schema, Transform[] partitions,
      Map<String, String> properties) {
    return createTable(ident, (TableInfo) null);
  }

  @Override
  public Table alterTable(Identifier ident, TableChange... changes) {
    throw new InvalidRequestException("A lakeann bundle cannot be altered (" + ident.name()
        + "); write it again with mode(\"overwrite\")");
  }

  /** Never drops a bundle; a failed create has already removed the shards it wrote. */
  @Override
  public boolean dropTable(Identifier ident) {
    return false;
  }

  @Override
  public void renameTable(Identifier from, Identifier to) {
    throw new InvalidRequestException("A lakeann bundle cannot be renamed (" + from.name()
        + "); move its folder, or write it again at the new path");
  }
}
