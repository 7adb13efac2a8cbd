package io.lakeann.sql;

import io.lakeann.sql.procedures.Procedures;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.connector.catalog.ProcedureCatalog;
import org.apache.spark.sql.connector.catalog.procedures.UnboundProcedure;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * lakeann's procedures as a Spark catalog: configure it once,
 * {@code spark.sql.catalog.lakeann=io.lakeann.sql.LakeAnnCatalog}, then
 * {@code CALL lakeann.system.build_index(table => 'lake.db.docs', column => 'embedding', id =>
 * 'doc_id')} and the other procedures of {@link Procedures}, with named or positional arguments.
 * The catalog holds no tables: the procedures name tables of the session's other catalogs.
 * Immutable after {@link #initialize}.
 */
public final class LakeAnnCatalog implements ProcedureCatalog {
  private String name = "lakeann";

  @Override
  public void initialize(String catalogName, CaseInsensitiveStringMap options) {
    this.name = catalogName;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public UnboundProcedure loadProcedure(Identifier ident) {
    return Procedures.load(name, ident.namespace(), ident.name());
  }

  @Override
  public Identifier[] listProcedures(String[] namespace) {
    return Procedures.names(namespace).stream().map(n -> Identifier.of(namespace, n))
        .toArray(Identifier[]::new);
  }
}
