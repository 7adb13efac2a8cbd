package io.lakeann.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.analysis.FunctionRegistry;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vector functions through SQL: values, NULLs, empty arrays, lengths, both element types. */
class VectorFunctionsTest {
  @TempDir
  static Path dir;
  static SparkSession spark;
  static float[][] as;
  static float[][] bs;

  @BeforeAll
  static void start() {
    spark = SqlSessions.start(dir);
    Random random = new Random(3);
    int n = 200;
    int dim = 37;
    as = new float[n][dim];
    bs = new float[n][dim];
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (int d = 0; d < dim; d++) {
        as[i][d] = (float) random.nextGaussian();
        bs[i][d] = (float) random.nextGaussian();
      }
      rows.add(RowFactory.create(i, boxed(as[i]), boxed(bs[i])));
    }
    StructType schema = new StructType().add("i", DataTypes.IntegerType)
        .add("a", DataTypes.createArrayType(DataTypes.FloatType))
        .add("b", DataTypes.createArrayType(DataTypes.FloatType));
    spark.createDataFrame(rows, schema).repartition(3).createOrReplaceTempView("pairs");
    spark.sql("CREATE OR REPLACE TEMP VIEW dpairs AS SELECT i, CAST(a AS ARRAY<DOUBLE>) a, "
        + "CAST(b AS ARRAY<DOUBLE>) b FROM pairs");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void functionsAreRegisteredOnlyWhereSparkLacksThem() {
    for (String name : List.of("vector_l2_distance", "vector_cosine_similarity",
        "vector_inner_product", "vector_norm", "vector_normalize", "vector_avg", "vector_sum")) {
      assertTrue(!FunctionRegistry.builtin().functionExists(FunctionIdentifier.apply(name)),
          name + " is a built-in on this Spark; the extension must leave it alone");
      assertTrue(spark.catalog().functionExists(name), name);
    }
  }

  @Test
  void scalarFunctionsMatchDoubleReferencesForFloatAndDoubleArrays() {
    for (String view : List.of("pairs", "dpairs")) {
      List<Row> rows = spark.sql("SELECT i, vector_l2_distance(a, b), vector_l2_squared(a, b), "
          + "vector_inner_product(a, b), vector_cosine_similarity(a, b), vector_norm(a), "
          + "vector_norm(a, 1.0F), vector_norm(a, float('inf')), vector_normalize(a), "
          + "vector_dims(a) FROM " + view).collectAsList();
      assertEquals(as.length, rows.size());
      for (Row r : rows) {
        float[] a = as[r.getInt(0)];
        float[] b = bs[r.getInt(0)];
        Reference ref = Reference.of(a, b);
        assertEquals(Math.sqrt(ref.l2Squared()), r.getFloat(1), 1e-4, view);
        assertEquals(ref.l2Squared(), r.getFloat(2), 1e-3, view);
        assertEquals(ref.dot(), r.getFloat(3), 1e-4, view);
        assertEquals(ref.cosine(), r.getFloat(4), 1e-5, view);
        assertEquals(ref.normA(), r.getFloat(5), 1e-4, view);
        assertEquals(ref.l1A(), r.getFloat(6), 1e-4, view);
        assertEquals(ref.infA(), r.getFloat(7), 0, view);
        List<Float> unit = r.getList(8);
        for (int d = 0; d < a.length; d++) {
          assertEquals(a[d] / ref.normA(), unit.get(d), 1e-5, view);
        }
        assertEquals(a.length, r.getInt(9));
      }
    }
  }

  @Test
  void nullsAndEmptyArraysFollowSpark42() {
    Row r = spark.sql("SELECT vector_l2_distance(CAST(NULL AS ARRAY<FLOAT>), array(1.0F)), "
        + "vector_inner_product(array(1.0F, NULL), array(1.0F, 2.0F)), "
        + "vector_l2_distance(CAST(array() AS ARRAY<FLOAT>), CAST(array() AS ARRAY<FLOAT>)), "
        + "vector_inner_product(CAST(array() AS ARRAY<FLOAT>), CAST(array() AS ARRAY<FLOAT>)), "
        + "vector_cosine_similarity(CAST(array() AS ARRAY<FLOAT>), CAST(array() AS ARRAY<FLOAT>)), "
        + "vector_cosine_similarity(array(0.0F, 0.0F), array(1.0F, 2.0F)), "
        + "vector_norm(CAST(array() AS ARRAY<FLOAT>)), "
        + "vector_normalize(CAST(array() AS ARRAY<FLOAT>)), "
        + "vector_normalize(array(0.0F, 0.0F)), vector_norm(array(3.0F, 4.0F), 1.0F), "
        + "vector_normalize(array(3.0D, 4.0D), float('inf'))").first();
    assertTrue(r.isNullAt(0));
    assertTrue(r.isNullAt(1));
    assertEquals(0f, r.getFloat(2));
    assertEquals(0f, r.getFloat(3));
    assertTrue(r.isNullAt(4));
    assertTrue(r.isNullAt(5));
    assertEquals(0f, r.getFloat(6));
    assertEquals(List.of(), r.getList(7));
    assertTrue(r.isNullAt(8));
    assertEquals(7f, r.getFloat(9));
    assertEquals(List.of(0.75f, 1.0f), r.getList(10));
  }

  @Test
  void aggregatesSumAndAverageSkippingNulls() {
    for (String view : List.of("pairs", "dpairs")) {
      Row r = spark.sql("SELECT vector_sum(a), vector_avg(a), count(*) FROM (SELECT a FROM "
          + view + " UNION ALL SELECT NULL UNION ALL SELECT CAST(array_repeat(NULL, 37) AS "
          + "ARRAY<FLOAT>))").first();
      List<Float> sum = r.getList(0);
      List<Float> avg = r.getList(1);
      for (int d = 0; d < as[0].length; d++) {
        double s = 0;
        for (float[] a : as) {
          s += a[d];
        }
        assertEquals(s, sum.get(d), 1e-3, view);
        assertEquals(s / as.length, avg.get(d), 1e-5, view);
      }
    }
    Row empty = spark.sql("SELECT vector_sum(a), vector_avg(a) FROM pairs WHERE i < 0").first();
    assertNull(empty.get(0));
    assertNull(empty.get(1));
  }

  @Test
  void mismatchedLengthsFailNamingTheFunctionAndBothLengths() {
    Exception e = assertThrows(Exception.class, () -> spark.sql(
        "SELECT vector_l2_distance(a, slice(b, 1, 5)) FROM pairs").collect());
    assertTrue(messages(e).contains("vector_l2_distance: the vectors have 37 and 5 elements"),
        messages(e));
    Exception agg = assertThrows(Exception.class, () -> spark.sql(
        "SELECT vector_sum(v) FROM VALUES (array(1.0F, 2.0F)), (array(1.0F)) AS t(v)").collect());
    assertTrue(messages(agg).contains("vector_sum: the vectors have 2 and 1 elements"),
        messages(agg));
  }

  @Test
  void wrongTypesAndArgumentCountsAreAnalysisErrors() {
    AnalysisException type = assertThrows(AnalysisException.class,
        () -> spark.sql("SELECT vector_norm(array('a', 'b'))"));
    assertTrue(type.getMessage().contains("ARRAY<FLOAT>")
        && type.getMessage().contains("ARRAY<STRING>"), type.getMessage());
    AnalysisException count = assertThrows(AnalysisException.class,
        () -> spark.sql("SELECT vector_l2_distance(array(1.0F))"));
    assertTrue(count.getMessage().contains("vector_l2_distance takes 2 arguments (a, b); got 1"),
        count.getMessage());
    AnalysisException degree = assertThrows(AnalysisException.class,
        () -> spark.sql("SELECT vector_norm(array(1.0F), 3.0F)"));
    assertTrue(degree.getMessage().contains("vector_norm: invalid degree 3.0"),
        degree.getMessage());
  }

  static String messages(Throwable e) {
    StringBuilder out = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      out.append(t.getMessage()).append(" | ");
    }
    return out.toString();
  }

  static List<Float> boxed(float[] v) {
    Float[] out = new Float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return Arrays.asList(out);
  }
}
