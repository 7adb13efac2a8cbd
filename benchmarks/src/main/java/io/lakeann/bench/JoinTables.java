package io.lakeann.bench;

import io.lakeann.core.data.SyntheticVectors;
import io.lakeann.iceberg.LocalFiles;
import io.lakeann.iceberg.ShardCache;
import io.lakeann.spark.JvmCompat;
import io.lakeann.spark.LocalSpark;
import io.lakeann.spark.SparkTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The join benchmark's Spark and its tables: a local (or given) Spark master with an Iceberg
 * Hadoop catalog {@code lake} on a new temporary warehouse, and the tables written through Spark
 * with the rows generated on the executors. lakeann's local shard files go under the same
 * temporary directory, so the first join of a run finds none. Closing stops Spark and deletes the
 * directory.
 */
final class JoinTables implements AutoCloseable {
  static final String DOCS = "lake.bench.docs";
  static final String QUERIES = "lake.bench.queries";
  static final String ID = "id";
  static final String VECTOR = "embedding";

  private final Path root;
  private final SparkSession spark;

  private JoinTables(Path root, SparkSession spark) {
    this.root = root;
    this.spark = spark;
  }

  /** Starts Spark on {@code master} with a new warehouse. */
  static JoinTables start(String master) throws IOException {
    Path root = Files.createTempDirectory("lakeann-join-bench-");
    System.setProperty(ShardCache.DIR_PROPERTY, root.resolve("shards").toString());
    SparkSession.Builder builder = SparkSession.builder();
    JvmCompat.sparkDefaults().forEach(builder::config);
    LocalSpark.loopback().forEach(builder::config);
    LocalSpark.embeddedCatalog(root.resolve("warehouse").toString()).forEach(builder::config);
    SparkSession spark = builder
        .master(master)
        .appName("lakeann join benchmark")
        .config("spark.local.dir", root.resolve("spark-local").toString())
        .getOrCreate();
    return new JoinTables(root, spark);
  }

  SparkSession spark() {
    return spark;
  }

  /** Tasks Spark runs at once by default: the cores of a local master. */
  int parallelism() {
    return spark.sparkContext().defaultParallelism();
  }

  /** A written table: its data files, their bytes, and the seconds to generate and write them. */
  record Written(String table, long rows, int files, long bytes, double seconds) {}

  /**
   * Creates {@code table} ({@code id bigint NOT NULL, embedding array<float>}, Iceberg format 2)
   * and appends rows {@code 0 .. rows-1} of {@code vectors} in {@code files} tasks, one data file
   * each; the rows are generated inside the tasks.
   */
  Written write(String table, BlockVectors vectors, int rows, int files) {
    long start = System.nanoTime();
    spark.sql("CREATE TABLE " + table + " (" + ID + " bigint NOT NULL, " + VECTOR
        + " array<float>) USING iceberg TBLPROPERTIES ('format-version'='2')");
    StructType schema = new StructType()
        .add(ID, DataTypes.LongType, false)
        .add(VECTOR, DataTypes.createArrayType(DataTypes.FloatType, false), false);
    try {
      spark.range(0, rows, 1, files)
          .mapPartitions(new Generate(vectors), Encoders.row(schema))
          .writeTo(table).append();
    } catch (NoSuchTableException e) {
      throw new IllegalStateException("Table " + table + " vanished right after its creation", e);
    }
    double seconds = Clock.secondsSince(start);
    Snapshot snapshot = SparkTables.load(spark, table).currentSnapshot();
    Map<String, String> summary = snapshot.summary();
    return new Written(table, rows, Integer.parseInt(summary.get("added-data-files")),
        Long.parseLong(summary.get("added-files-size")), seconds);
  }

  @Override
  public void close() throws IOException {
    spark.stop();
    LocalFiles.deleteTree(root);
  }

  /** Runs in a task: the rows of the ids it is given, each vector generated from its id. */
  private static final class Generate implements MapPartitionsFunction<Long, Row> {
    private static final long serialVersionUID = 1L;

    private final BlockVectors vectors;

    Generate(BlockVectors vectors) {
      this.vectors = vectors;
    }

    @Override
    public Iterator<Row> call(Iterator<Long> ids) {
      SyntheticVectors generator = vectors.generator();
      int dim = vectors.dim();
      return new Iterator<>() {
        private long block = -1;
        private float[] rows;

        @Override
        public boolean hasNext() {
          return ids.hasNext();
        }

        @Override
        public Row next() {
          long id = ids.next();
          long b = id / BlockVectors.BLOCK;
          if (b != block) {
            rows = vectors.block(generator, b);
            block = b;
          }
          int offset = (int) (id - b * BlockVectors.BLOCK) * dim;
          return RowFactory.create(id, Arrays.copyOfRange(rows, offset, offset + dim));
        }
      };
    }
  }
}
