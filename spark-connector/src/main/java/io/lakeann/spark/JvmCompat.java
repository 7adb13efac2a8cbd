package io.lakeann.spark;

import java.util.Map;

/**
 * Spark settings a JVM needs before anything of lakeann's: on JDK 24 and later, the Arrow memory
 * allocator inside iceberg-spark-runtime 1.12 (shaded Netty) fails with a ClassCastException
 * (PooledDirectByteBuf is not PooledUnsafeDirectByteBuf) on every vectorized Parquet read, so
 * Iceberg's vectorized reads are turned off there; Iceberg then reads row by row. Nothing is
 * set on JDK 17 and 21.
 */
public final class JvmCompat {
  /** Iceberg's session setting for vectorized reads. */
  static final String VECTORIZATION = "spark.sql.iceberg.vectorization.enabled";

  private JvmCompat() {}

  /** The settings this JVM needs (empty on JDK 17 to 23). */
  public static Map<String, String> sparkDefaults() {
    return Runtime.version().feature() >= 24 ? Map.of(VECTORIZATION, "false") : Map.of();
  }
}
