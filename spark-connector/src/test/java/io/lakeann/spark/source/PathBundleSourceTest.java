package io.lakeann.spark.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.DimensionMismatchException;
import io.lakeann.core.EmptyInputException;
import io.lakeann.core.InvalidRequestException;
import io.lakeann.core.InvalidVectorException;
import io.lakeann.core.LakeAnnException;
import io.lakeann.core.Metric;
import io.lakeann.iceberg.ColumnTypeException;
import io.lakeann.iceberg.ManifestMismatchException;
import io.lakeann.iceberg.NoIndexException;
import io.lakeann.iceberg.UnknownColumnException;
import io.lakeann.spark.JoinResult;
import io.lakeann.spark.JoinStats;
import io.lakeann.spark.LakeAnn;
import io.lakeann.spark.SparkFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code lakeann} data source on a real local[2] Spark: writing any DataFrame as one shard per
 * partition with an atomically published manifest, reading the shard listing back, overwriting,
 * failing without harm, refusing bad options, and ANN joins against the bundle.
 */
class PathBundleSourceTest {
  @TempDir
  static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkFixture.session(dir.resolve("wh"), "local[2]");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** Rows of (doc_id, category, embedding); a null vector stays null. */
  private static List<Row> docRows(long firstId, float[][] vectors) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < vectors.length; i++) {
      rows.add(RowFactory.create(firstId + i, (int) ((firstId + i) % 4),
          vectors[i] == null ? null : SparkFixture.boxed(vectors[i])));
    }
    return rows;
  }

  /**
   * {@code rows} in exactly {@code partitions} partitions of consecutive rows (list values become
   * arrays, the form Spark takes from an RDD).
   */
  private static Dataset<Row> frame(List<Row> rows, StructType schema, int partitions) {
    List<Row> converted = new ArrayList<>(rows.size());
    for (Row row : rows) {
      Object[] values = new Object[row.length()];
      for (int i = 0; i < values.length; i++) {
        values[i] = row.get(i) instanceof List<?> list ? list.toArray() : row.get(i);
      }
      converted.add(RowFactory.create(values));
    }
    return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(converted, partitions), schema);
  }

  private static Dataset<Row> docs(int n, long seed, int partitions) {
    return frame(docRows(0, SparkFixture.vectors(n, seed)), SparkFixture.docSchema(),
        partitions);
  }

  private static DataFrameWriter<Row> writer(Dataset<Row> df) {
    return df.write().format("lakeann").option("id", "doc_id").option("vector", "embedding");
  }

  private static Dataset<Row> read(Path bundle) {
    return spark.read().format("lakeann").load(bundle.toString());
  }

  /** File names in {@code folder}, sorted (none when it does not exist). */
  private static List<String> files(Path folder) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(folder)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The lakeann error of type {@code type} that {@code call} fails with, wherever Spark put it in
   * the cause chain, with every fragment in its message.
   */
  private static <T extends LakeAnnException> T failure(Class<T> type, Executable call,
      String... fragments) {
    Throwable thrown = assertThrows(Throwable.class, call);
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        for (String f : fragments) {
          assertTrue(t.getMessage().contains(f), "'" + f + "' missing from: " + t.getMessage());
        }
        return type.cast(t);
      }
    }
    throw new AssertionError("expected " + type.getSimpleName() + " in the causes of " + thrown,
        thrown);
  }

  @Test
  void writingFourPartitionsMakesOneShardPerPartitionAndAManifest() {
    Path bundle = dir.resolve("four");
    float[][] vectors = SparkFixture.vectors(2000, 1);
    for (int i = 0; i < 2000; i += 100) {
      vectors[i] = null;
    }
    writer(frame(docRows(0, vectors), SparkFixture.docSchema(), 4)).mode("errorifexists")
        .save(bundle.toString());

    List<String> shards = files(bundle.resolve("shards"));
    assertEquals(4, shards.size(), "shard files: " + shards);
    assertEquals(List.of("manifest.json", "shards"), files(bundle), "nothing else left behind");

    List<Row> listing = read(bundle).orderBy("shard").collectAsList();
    assertEquals(4, listing.size());
    assertEquals(List.of("shard", "file", "rows", "bytes", "witness", "skipped_null_vectors",
        "dim", "metric", "config", "bundle_witness", "id_column", "id_type", "vector_column"),
        List.of(read(bundle).columns()));
    long rows = 0;
    long skipped = 0;
    for (int s = 0; s < 4; s++) {
      Row r = listing.get(s);
      assertEquals(s, r.getInt(0));
      assertEquals("shard-" + s + "-" + r.getString(4) + ".rbpx", r.getString(1));
      assertEquals(500 - 5, r.getLong(2), "each partition of 500 rows has 5 null vectors");
      assertEquals(bytes(bundle.resolve("shards").resolve(r.getString(1))).length, r.getLong(3));
      assertEquals(5, r.getLong(5));
      assertEquals(SparkFixture.DIM, r.getInt(6));
      assertEquals("l2", r.getString(7));
      assertTrue(r.getString(8).contains("\"seed\":42"), r.getString(8));
      assertEquals(listing.get(0).getString(9), r.getString(9), "one bundle witness");
      assertEquals("doc_id", r.getString(10));
      assertEquals("long", r.getString(11));
      assertEquals("embedding", r.getString(12));
      rows += r.getLong(2);
      skipped += r.getLong(5);
    }
    assertEquals(1980, rows);
    assertEquals(20, skipped);
  }

  @Test
  void overwriteReplacesTheShardsAndRemovesTheOldOnes() {
    Path bundle = dir.resolve("overwritten");
    writer(docs(1200, 1, 4)).save(bundle.toString());
    List<String> before = files(bundle.resolve("shards"));
    assertEquals(4, before.size());

    writer(docs(900, 2, 3)).mode("overwrite").save(bundle.toString());
    List<String> after = files(bundle.resolve("shards"));
    assertEquals(3, after.size(), "only the new shards remain: " + after);
    assertTrue(Collections.disjoint(before, after), "old shards removed: " + after);
    List<Row> listing = read(bundle).collectAsList();
    assertEquals(3, listing.size());
    assertEquals(900, listing.stream().mapToLong(r -> r.getLong(2)).sum());
  }

  @Test
  void aFailedWriteLeavesThePreviousBundleReadableAndNoNewShardFiles() {
    Path bundle = dir.resolve("kept");
    writer(docs(800, 1, 4)).save(bundle.toString());
    byte[] manifest = bytes(bundle.resolve("manifest.json"));
    List<String> shards = files(bundle.resolve("shards"));

    // Partition 2 holds 15-dimensional vectors: every task succeeds, the driver refuses the mix.
    List<Row> rows = docRows(0, SparkFixture.vectors(800, 3));
    for (int i = 400; i < 600; i++) {
      float[] v = SparkFixture.vectors(1, i)[0];
      rows.set(i, RowFactory.create((long) i, 0,
          SparkFixture.boxed(java.util.Arrays.copyOf(v, 15))));
    }
    failure(DimensionMismatchException.class,
        () -> writer(frame(rows, SparkFixture.docSchema(), 4)).mode("overwrite")
            .save(bundle.toString()),
        bundle.toString(), "'embedding'", "partition 2", "15-dimensional", "16-dimensional");

    // A bad row fails its task; the write stops there.
    float[][] bad = SparkFixture.vectors(50, 4);
    bad[17][3] = Float.NaN;
    failure(InvalidVectorException.class,
        () -> writer(docs(0, 0, 1).union(frame(docRows(100, bad), SparkFixture.docSchema(), 1)))
            .mode("overwrite").save(bundle.toString()),
        bundle.toString(), "'embedding'", "partition 1", "row 17", "id 117", "component 3 is NaN");

    assertArrayEquals(manifest, bytes(bundle.resolve("manifest.json")), "manifest unchanged");
    assertEquals(shards, files(bundle.resolve("shards")), "no new shard files, no old one lost");
    assertEquals(List.of("manifest.json", "shards"), files(bundle));
    assertEquals(800, read(bundle).collectAsList().stream().mapToLong(r -> r.getLong(2)).sum());
  }

  @Test
  void errorIfExistsOnAnExistingBundleFailsAndLeavesIt() {
    Path bundle = dir.resolve("existing");
    writer(docs(300, 1, 2)).save(bundle.toString());
    byte[] manifest = bytes(bundle.resolve("manifest.json"));

    failure(BundleExistsException.class, () -> writer(docs(300, 2, 2)).save(bundle.toString()),
        bundle.toString(), "already exists", "mode(\"overwrite\")");
    failure(BundleExistsException.class,
        () -> writer(docs(300, 2, 2)).mode("errorifexists").save(bundle.toString()),
        bundle.toString());
    failure(InvalidRequestException.class,
        () -> writer(docs(300, 2, 2)).mode("append").save(bundle.toString()),
        "Cannot append", bundle.toString(), "mode(\"overwrite\")");
    assertArrayEquals(manifest, bytes(bundle.resolve("manifest.json")));
    assertEquals(2, files(bundle.resolve("shards")).size());
  }

  @Test
  void theSameRowsInTheSamePartitionsGiveByteIdenticalShards() {
    List<Row> rows = docRows(0, SparkFixture.vectors(1000, 5));
    writer(frame(rows, SparkFixture.docSchema(), 4)).option("exbits", "2")
        .save(dir.resolve("first").toString());
    // The same partitions (250 consecutive rows each), each delivered in reverse order.
    List<Row> reversed = new ArrayList<>();
    for (int p = 0; p < 4; p++) {
      List<Row> part = new ArrayList<>(rows.subList(p * 250, (p + 1) * 250));
      Collections.reverse(part);
      reversed.addAll(part);
    }
    writer(frame(reversed, SparkFixture.docSchema(), 4)).option("exbits", "2")
        .save(dir.resolve("second").toString());

    List<String> first = files(dir.resolve("first").resolve("shards"));
    assertEquals(first, files(dir.resolve("second").resolve("shards")), "same names, witnesses");
    for (String shard : first) {
      assertArrayEquals(bytes(dir.resolve("first").resolve("shards").resolve(shard)),
          bytes(dir.resolve("second").resolve("shards").resolve(shard)), shard);
    }
    assertArrayEquals(bytes(dir.resolve("first").resolve("manifest.json")),
        bytes(dir.resolve("second").resolve("manifest.json")));
  }

  @Test
  void aJoinAgainstThePathBundleMatchesTheExactJoin() {
    Path bundle = dir.resolve("joined");
    float[][] base = SparkFixture.vectors(3000, 1);
    writer(frame(docRows(0, base), SparkFixture.docSchema(), 4)).option("metric", "cosine")
        .save(bundle.toString());
    float[][] queryVectors = SparkFixture.vectors(60, 9);
    Dataset<Row> queries = SparkFixture.queries(spark, queryVectors);

    JoinResult join = LakeAnn.annJoin(queries, "qvec").againstPath(bundle.toString()).k(10).run();
    Dataset<Row> result = join.rows();
    assertEquals(List.of("qid", "tag", "qvec", "neighbor_id", "distance", "rank", "snapshot_id"),
        List.of(result.columns()));
    assertEquals(600, result.count());
    assertEquals(0, result.where("snapshot_id IS NOT NULL").count(), "a path has no snapshots");
    Map<Long, float[]> all = new HashMap<>();
    for (int i = 0; i < base.length; i++) {
      all.put((long) i, base[i]);
    }
    double recall = SparkFixture.recall(SparkFixture.exact(all, queryVectors, 10, Metric.COSINE),
        SparkFixture.neighbours(result));
    assertTrue(recall >= 0.95, "recall@10 " + recall);
    assertEquals(4, join.stats().shards());
    assertEquals(-1, join.stats().snapshotId());

    JoinStats again = LakeAnn.annJoin(queries, "qvec").againstPath(bundle.toString()).k(10).run()
        .stats();
    assertEquals(0, again.loads(), "the second join loads nothing: " + again);
    assertEquals(again.tasks(), again.cacheHits(), "every search a hit: " + again);

    failure(InvalidRequestException.class, () -> LakeAnn.annJoin(queries, "qvec")
        .againstPath(bundle.toString()).filter("category = 1").run(), "Cannot filter",
        bundle.toString());
    failure(DimensionMismatchException.class, () -> LakeAnn.annJoin(SparkFixture.queries(spark,
        new float[][] {new float[3]}), "qvec").againstPath(bundle.toString()).run(),
        "3 dimensions", "'embedding' of the lakeann bundle at " + bundle, "16-dimensional");
  }

  @Test
  void stringIdsRoundTripThroughTheBundleAndTheJoin() {
    Path bundle = dir.resolve("strings");
    StructType schema = new StructType()
        .add("key", DataTypes.StringType, false)
        .add("vec", DataTypes.createArrayType(DataTypes.DoubleType), true);
    float[][] vectors = SparkFixture.vectors(400, 6);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < vectors.length; i++) {
      List<Double> v = new ArrayList<>();
      for (float f : vectors[i]) {
        v.add((double) f);
      }
      rows.add(RowFactory.create("doc-" + i, v));
    }
    frame(rows, schema, 3).write().format("lakeann").option("id", "key").option("vector", "vec")
        .save(bundle.toString());
    Row first = read(bundle).orderBy("shard").first();
    assertEquals("string", first.getString(11));
    assertEquals("key", first.getString(10));

    Dataset<Row> found = LakeAnn.annJoin(SparkFixture.queries(spark, vectors), "qvec")
        .againstPath(bundle.toString()).k(1).run().rows();
    assertEquals(DataTypes.StringType, found.schema().apply("neighbor_id").dataType());
    Map<Integer, String> nearest = new TreeMap<>();
    for (Row r : found.select("qid", "neighbor_id").collectAsList()) {
      nearest.put(r.getInt(0), r.getString(1));
    }
    assertEquals(vectors.length, nearest.size());
    nearest.forEach((q, id) -> assertEquals("doc-" + q, id, "each row is its own neighbour"));
  }

  @Test
  void binaryFloat32VectorsAreIndexed() {
    Path bundle = dir.resolve("binary");
    StructType schema = new StructType()
        .add("id", DataTypes.IntegerType, false)
        .add("vec", DataTypes.BinaryType, true);
    float[][] vectors = SparkFixture.vectors(200, 7);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < vectors.length; i++) {
      ByteBuffer b = ByteBuffer.allocate(4 * vectors[i].length).order(ByteOrder.LITTLE_ENDIAN);
      for (float f : vectors[i]) {
        b.putFloat(f);
      }
      rows.add(RowFactory.create(i, b.array()));
    }
    frame(rows, schema, 2).write().format("lakeann").option("id", "id").option("vector", "vec")
        .save(bundle.toString());
    Row nearest = LakeAnn.annJoin(SparkFixture.queries(spark,
        new float[][] {vectors[42]}), "qvec").againstPath(bundle.toString()).k(1).run().rows().first();
    assertEquals(42, nearest.getInt(nearest.fieldIndex("neighbor_id")));
    assertEquals("int", read(bundle).first().getString(11));
  }

  @Test
  void badOptionsNameTheOptionOrColumnAndTheFix() {
    String bundle = dir.resolve("refused").toString();
    Dataset<Row> df = docs(20, 1, 1);
    failure(UnknownColumnException.class,
        () -> df.write().format("lakeann").option("vector", "embedding").save(bundle),
        "No 'id' option", ".option(\"id\"", "doc_id bigint");
    failure(UnknownColumnException.class,
        () -> df.write().format("lakeann").option("id", "doc_id").save(bundle),
        "No 'vector' option", ".option(\"vector\"", "embedding array<float>");
    failure(UnknownColumnException.class,
        () -> writer(df).option("vector", "vec").save(bundle),
        "'vec'", "Option 'vector'", "embedding array<float>");
    failure(ColumnTypeException.class,
        () -> writer(df).option("vector", "category").save(bundle),
        "'category'", "int", "array<float>");
    failure(ColumnTypeException.class,
        () -> writer(df.withColumn("doc_id", df.col("doc_id").cast("double"))).save(bundle),
        "'doc_id'", "double", "long, int or string");
    failure(InvalidRequestException.class,
        () -> writer(df).option("metric", "manhattan").save(bundle),
        "Option 'metric'", "manhattan", "l2", "cosine");
    failure(InvalidRequestException.class, () -> writer(df).option("nlist", "many").save(bundle),
        "Option 'nlist'", "'many' is not an integer");
    failure(InvalidRequestException.class, () -> writer(df).option("exbits", "12").save(bundle),
        "exBits", "0..8");
    failure(InvalidRequestException.class, () -> writer(df).option("metrc", "l2").save(bundle),
        "Unknown option 'metrc'", "metric");
    assertFalse(Files.exists(Path.of(bundle, "manifest.json")));
    assertEquals(List.of(), files(Path.of(bundle, "shards")), "no shard of a refused write");
  }

  @Test
  void aNullIdFailsNamingTheRowAndPartition() {
    String bundle = dir.resolve("null-id").toString();
    StructType schema = new StructType()
        .add("doc_id", DataTypes.LongType, true)
        .add("embedding", DataTypes.createArrayType(DataTypes.FloatType), true);
    List<Row> rows = new ArrayList<>();
    rows.add(RowFactory.create(1L, SparkFixture.boxed(SparkFixture.vectors(1, 1)[0])));
    rows.add(RowFactory.create(null, SparkFixture.boxed(SparkFixture.vectors(1, 2)[0])));
    failure(InvalidVectorException.class, () -> writer(frame(rows, schema, 1)).save(bundle),
        "row 1 of partition 0", "'doc_id' is null", bundle);
  }

  @Test
  void aTamperedManifestOrShardIsRefusedNamingTheFile() throws IOException {
    Path bundle = dir.resolve("tampered");
    writer(docs(300, 11, 2)).save(bundle.toString());
    Path manifest = bundle.resolve("manifest.json");
    byte[] original = bytes(manifest);
    Files.writeString(manifest, new String(original, java.nio.charset.StandardCharsets.UTF_8)
        .replace("\"rows\":150", "\"rows\":151"));
    failure(ManifestMismatchException.class, () -> read(bundle).collectAsList(),
        manifest.toString(), "does not match its witness", "write the bundle again");

    Files.write(manifest, original);
    Path shard = bundle.resolve("shards").resolve(files(bundle.resolve("shards")).get(0));
    byte[] damaged = bytes(shard);
    damaged[damaged.length - 7] ^= 1;
    Files.write(shard, damaged);
    failure(ManifestMismatchException.class, () -> LakeAnn.annJoin(SparkFixture.queries(spark,
        SparkFixture.vectors(3, 1)), "qvec").againstPath(bundle.toString()).run(),
        "of the lakeann bundle at " + bundle, "is damaged", shard.getFileName().toString());
  }

  @Test
  void aDataFrameWithoutAnyVectorIsRefusedWithTheCount() {
    String bundle = dir.resolve("all-null").toString();
    failure(EmptyInputException.class,
        () -> writer(frame(docRows(0, new float[6][]), SparkFixture.docSchema(), 2)).save(bundle),
        bundle, "no row has a vector", "6 null vectors skipped");
    assertFalse(Files.exists(Path.of(bundle, "manifest.json")));
  }

  @Test
  void readingAPathWithoutABundleSaysToWriteOneFirst() {
    Path empty = dir.resolve("nothing-here");
    failure(NoIndexException.class, () -> read(empty).collectAsList(), empty.toString(),
        "write one first", "format(\"lakeann\")");
    failure(NoIndexException.class, () -> LakeAnn.annJoin(SparkFixture.queries(spark,
        SparkFixture.vectors(2, 1)), "qvec").againstPath(empty.toString()).run(),
        empty.toString(), "write one first");
  }
}
