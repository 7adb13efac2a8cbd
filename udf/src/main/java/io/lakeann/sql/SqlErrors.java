package io.lakeann.sql;

import org.apache.spark.sql.AnalysisException;
import scala.Option;
import scala.collection.immutable.Map$;

/**
 * Turns what lakeann refuses into the errors a SQL user sees: an {@link AnalysisException}
 * carrying lakeann's own message (which names the function, the argument, the bad value and the
 * fix) and the typed lakeann exception as its cause.
 */
public final class SqlErrors {
  private SqlErrors() {}

  /** An analysis error with {@code message}, caused by {@code cause} (may be null). */
  public static AnalysisException analysis(String message, Throwable cause) {
    return new AnalysisException(message, Option.empty(), Option.empty(), Option.apply(cause),
        Option.empty(), Map$.MODULE$.empty(), new org.apache.spark.QueryContext[0]);
  }
}
