package io.lakeann.sql.procedures;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.connector.catalog.procedures.UnboundProcedure;

/** Every lakeann procedure by name, in the {@value LakeAnnProcedure#NAMESPACE} namespace. */
public final class Procedures {
  private static final Map<String, Supplier<LakeAnnProcedure>> ALL = all();

  private Procedures() {}

  private static Map<String, Supplier<LakeAnnProcedure>> all() {
    Map<String, Supplier<LakeAnnProcedure>> out = new LinkedHashMap<>();
    out.put(BuildIndexProcedure.NAME, BuildIndexProcedure::new);
    out.put(RefreshIndexProcedure.NAME, RefreshIndexProcedure::new);
    out.put(DropIndexProcedure.NAME, DropIndexProcedure::new);
    out.put(IndexStatusProcedure.NAME, IndexStatusProcedure::new);
    out.put(VerifyIndexProcedure.NAME, VerifyIndexProcedure::new);
    out.put(AnnJoinProcedure.NAME, AnnJoinProcedure::new);
    out.put(CacheStatsProcedure.NAME, CacheStatsProcedure::new);
    return out;
  }

  /** The procedure names of {@code namespace}: all of them in system, none elsewhere. */
  public static List<String> names(String[] namespace) {
    return isSystem(namespace) ? List.copyOf(ALL.keySet()) : List.of();
  }

  /**
   * The procedure {@code name} of {@code namespace} in catalog {@code catalog}.
   *
   * @throws org.apache.spark.sql.AnalysisException naming the procedure and the ones there are
   */
  public static UnboundProcedure load(String catalog, String[] namespace, String name) {
    Supplier<LakeAnnProcedure> found = isSystem(namespace)
        ? ALL.get(name.toLowerCase(Locale.ROOT)) : null;
    if (found == null) {
      throw SqlErrors.raise(String.format(Locale.ROOT,
          "Procedure %s.%s.%s does not exist; the lakeann procedures are %s.%s.{%s}", catalog,
          String.join(".", namespace), name, catalog, LakeAnnProcedure.NAMESPACE,
          String.join(", ", ALL.keySet())), null);
    }
    return found.get();
  }

  private static boolean isSystem(String[] namespace) {
    return namespace.length == 1 && namespace[0].equalsIgnoreCase(LakeAnnProcedure.NAMESPACE);
  }
}
