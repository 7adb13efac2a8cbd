package io.lakeann.sql.procedures;

import org.apache.spark.QueryContext;
import org.apache.spark.sql.AnalysisException;
import scala.Option;

/**
 * Errors a SQL user reads: Spark {@link AnalysisException}s whose message names the procedure,
 * the argument, the value given and the fix. Java sees {@code AnalysisException} as checked;
 * Spark (Scala) throws it from any method, and so does {@link #raise}. Stateless.
 */
public final class SqlErrors {
  private SqlErrors() {}

  /** An AnalysisException with exactly {@code message}, caused by {@code cause} (or null). */
  public static AnalysisException analysis(String message, Throwable cause) {
    return new AnalysisException(message, Option.empty(), Option.empty(), Option.apply(cause),
        Option.empty(), scala.collection.immutable.Map$.MODULE$.empty(), new QueryContext[0]);
  }

  /** Throws {@link #analysis}{@code (message, cause)}; declared to return one for {@code throw}. */
  public static RuntimeException raise(String message, Throwable cause) {
    throw SqlErrors.<RuntimeException>sneaky(analysis(message, cause));
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E sneaky(Throwable e) throws E {
    throw (E) e;
  }
}
