package io.lakeann.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;

import io.lakeann.core.InvalidRequestException;
import io.lakeann.core.InvalidVectorException;
import io.lakeann.core.witness.DomainTags;
import io.lakeann.core.witness.Framing;
import io.lakeann.iceberg.AllowedRows;
import io.lakeann.iceberg.BundleStore;
import io.lakeann.iceberg.ColumnBinding;
import io.lakeann.iceberg.Consistency;
import io.lakeann.iceberg.Hit;
import io.lakeann.iceberg.Hits;
import io.lakeann.iceberg.JoinPlanner;
import io.lakeann.iceberg.RowPredicate;
import io.lakeann.iceberg.SearchParams;
import io.lakeann.iceberg.SnapshotPlan;
import io.lakeann.spark.source.BundleFiles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.iceberg.SerializableTable;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.execution.datasources.SparkExpressionConverter;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * An ANN join: for every row of a query DataFrame, the k nearest rows of an indexed Iceberg
 * column in one snapshot, or of a bundle written to a path by the {@code lakeann} data source.
 * Queries are searched in blocks; each (block, shard) pair runs on the executor that already
 * holds the shard, per-shard top-k lists are merged into a global top-k per query, and no vector
 * is collected to the driver. Rows added since the bundle are searched exactly and rows removed
 * since are masked, so the answer is never stale. Immutable; {@link #run}
 * searches (one Spark job) and returns a {@link JoinResult}: the query columns with
 * {@code neighbor_id}, {@code distance}, {@code rank} (1 = nearest) and {@code snapshot_id} (null
 * for a path bundle, which has no snapshots), and the join's {@link JoinStats}, counted by typed
 * task reports ({@link JoinTaskStats}).
 */
public final class AnnJoin {
  private static final Logger LOG = LoggerFactory.getLogger(AnnJoin.class);
  static final String QID = "__lakeann_qid";
  /** Default queries per block. */
  public static final int DEFAULT_BLOCK = 1024;

  private final Dataset<Row> queries;
  private final String queryColumn;
  private final String table;
  private final String column;
  private final String path;
  private final SearchParams params;
  private final Consistency consistency;
  private final String filter;
  private final int blockSize;

  AnnJoin(Dataset<Row> queries, String queryColumn) {
    this(Objects.requireNonNull(queries, "queries"), queryColumn, null, null, null,
        SearchParams.defaults(), Consistency.fresh(), null, DEFAULT_BLOCK);
  }

  private AnnJoin(Dataset<Row> queries, String queryColumn, String table, String column,
      String path, SearchParams params, Consistency consistency, String filter, int blockSize) {
    this.queries = queries;
    this.queryColumn = queryColumn;
    this.table = table;
    this.column = column;
    this.path = path;
    this.params = params;
    this.consistency = consistency;
    this.filter = filter;
    this.blockSize = blockSize;
  }

  /** The indexed table and its vector column to search. */
  public AnnJoin against(String tableName, String vectorColumn) {
    return new AnnJoin(queries, queryColumn, tableName, vectorColumn, null, params, consistency,
        filter, blockSize);
  }

  /**
   * The bundle written to {@code bundlePath} by the {@code lakeann} data source to search. It has
   * no snapshots: consistency does not apply, and there is nothing to filter by.
   */
  public AnnJoin againstPath(String bundlePath) {
    return new AnnJoin(queries, queryColumn, null, null, bundlePath, params, consistency, filter,
        blockSize);
  }

  public AnnJoin k(int value) {
    return new AnnJoin(queries, queryColumn, table, column, path, params.withK(value), consistency,
        filter, blockSize);
  }

  /**
   * The recall@k to reach, 0 < value <= 1 (default {@value SearchParams#DEFAULT_RECALL}): each
   * shard searches with the effort its own calibration says the target needs.
   */
  public AnnJoin recall(double value) {
    return new AnnJoin(queries, queryColumn, table, column, path, params.withRecall(value),
        consistency, filter, blockSize);
  }

  /**
   * IVF lists probed per shard, overriding the recall target (an expert setting; 0: none, the
   * recall target decides); more is slower and more exact.
   */
  public AnnJoin nprobe(int value) {
    return new AnnJoin(queries, queryColumn, table, column, path, params.withNprobe(value),
        consistency, filter, blockSize);
  }

  /** The RaBitQ error-bound multiplier; larger re-ranks more candidates exactly. */
  public AnnJoin epsilon(float value) {
    return new AnnJoin(queries, queryColumn, table, column, path, params.withEpsilon(value),
        consistency, filter, blockSize);
  }

  public AnnJoin consistency(Consistency value) {
    return new AnnJoin(queries, queryColumn, table, column, path, params,
        Objects.requireNonNull(value, "consistency"), filter, blockSize);
  }

  /**
   * Only base rows matching {@code predicate}, a SQL boolean expression on the base table's
   * columns (e.g. {@code "category = 2 AND lang = 'en'"}). Files the predicate prunes are not
   * searched; within the others a row mask hides the rows it rejects.
   */
  public AnnJoin filter(String predicate) {
    return new AnnJoin(queries, queryColumn, table, column, path, params, consistency, predicate,
        blockSize);
  }

  /** Queries per block (default {@value #DEFAULT_BLOCK}). */
  public AnnJoin blockSize(int value) {
    InvalidRequestException.check(value > 0, "Invalid block size: %s (must be > 0)", value);
    return new AnnJoin(queries, queryColumn, table, column, path, params, consistency, filter,
        value);
  }

  /** Searches every query and returns the neighbours with the join's stats; see the class. */
  public JoinResult run() {
    long start = System.nanoTime();
    InvalidRequestException.check(path != null || table != null && column != null,
        "No index to join against: call against(table, vectorColumn) or againstPath(path) "
            + "before run()");
    SparkSession spark = queries.sparkSession();
    queryVectorType();
    JoinTarget target = path != null ? pathPlan(spark) : plan(spark);
    List<Work> works = target.works();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<JoinTarget> shared = jsc.broadcast(target);
    JoinTaskStats reports = new JoinTaskStats();
    spark.sparkContext().register(reports, "lakeann join");
    LongAccumulator searches = spark.sparkContext().longAccumulator("lakeann searches");
    LongAccumulator repeats = spark.sparkContext().longAccumulator("lakeann repeated ids");

    Dataset<Row> withQid = queries.withColumn(QID, monotonically_increasing_id())
        .persist(StorageLevel.MEMORY_AND_DISK());
    int size = blockSize;
    String vectors = queryColumn;
    JavaRDD<QueryBlock> blocks = spread(withQid, spark, works.size())
        .select(col(QID), col(queryColumn).cast(DataTypes.createArrayType(DataTypes.FloatType)))
        .queryExecution().toRdd().toJavaRDD()
        .mapPartitionsWithIndex((part, rows) -> blocks(part, rows, size, vectors, reports),
            false)
        .persist(StorageLevel.MEMORY_AND_DISK());
    List<List<String>> locations = new ArrayList<>();
    for (Work w : works) {
      locations.add(ShardLocations.of(target.witness(w)));
    }
    int k = params.k();
    jsc.setJobDescription(String.format(Locale.ROOT, "lakeann join against %s: %d pieces",
        describe(target), works.size()));
    JavaRDD<Row> found = new ShardAffinePairs(blocks.rdd(), works, locations).toJavaRDD()
        .flatMapToPair(pair -> {
          JoinTarget p = shared.value();
          Work work = pair._2();
          QueryBlock block = pair._1();
          ExecutorSearch.checkDimensions(p, block);
          JoinTarget.Searched searched = p.search(work, block, reports);
          searches.add(1);
          reports.add(new JoinTaskStats.Piece(work, ExecutorSide.location(),
              searched.allowedRows(), searched.exactRows(), searched.maskedRows(),
              searched.damage()));
          List<Tuple2<Long, ArrayList<Hit>>> out = new ArrayList<>(block.qids().length);
          for (int q = 0; q < block.qids().length; q++) {
            out.add(new Tuple2<>(block.qids()[q], new ArrayList<>(searched.hits().get(q))));
          }
          return out.iterator();
        })
        .reduceByKey((a, b) -> {
          a.addAll(b);
          return new ArrayList<>(Hits.top(a, k, repeats::add));
        })
        .flatMap(AnnJoin::rows);
    StructType schema = new StructType(new StructField[] {
        DataTypes.createStructField(QID, DataTypes.LongType, false),
        DataTypes.createStructField("neighbor_id", idType(target.idKind()), false),
        DataTypes.createStructField("distance", DataTypes.FloatType, false),
        DataTypes.createStructField("rank", DataTypes.IntegerType, false)});
    Dataset<Row> neighbors = spark.createDataFrame(found, schema)
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      neighbors.count();
    } finally {
      jsc.setJobDescription(null);
      shared.unpersist();
      blocks.unpersist(false);
    }
    JoinStats stats = stats(target, works, reports.value(), searches.value(),
        blocks.getNumPartitions(), repeats.value(), start);
    LOG.info("lakeann join against {}: {}", describe(target), stats);
    if (stats.repeatedIds() > 0) {
      LOG.warn("lakeann join against {}: {} results named an id that another, nearer result "
          + "already had: rows of the table share ids (Iceberg does not enforce unique ids), and "
          + "each neighbour is returned once, at its nearest row; find them with SELECT id, "
          + "count(*) FROM ... GROUP BY id HAVING count(*) > 1", describe(target),
          stats.repeatedIds());
    }
    Long snapshot = target.snapshot();
    Dataset<Row> rows = withQid.join(neighbors, QID).drop(QID).withColumn("snapshot_id",
        snapshot == null ? lit(null).cast(DataTypes.LongType) : lit(snapshot));
    return new JoinResult(rows, stats, List.of(withQid, neighbors));
  }

  private static String describe(JoinTarget target) {
    return target.snapshot() == null ? target.describe()
        : target.describe() + " at snapshot " + target.snapshot();
  }

  /** The Iceberg snapshot to search, as the join planner plans it. */
  private JoinPlan plan(SparkSession spark) {
    Table base = SparkTables.load(spark, table);
    long snapshotId = JoinPlanner.resolve(base, consistency);
    int fieldId = ColumnBinding.vectorField(base.name(), base.schema(), column).fieldId();
    BundleStore store = new BundleStore(base, BundleStore.DEFAULT_PART_BYTES);
    RowPredicate predicate = filter == null ? null : predicate(spark);
    AllowedRows allowed = filter == null || predicate != null ? null
        : allowedRows(spark, snapshotId);
    SnapshotPlan planned = JoinPlanner.plan(base, snapshotId, fieldId, store, allowed,
        predicate);
    String key = new Framing(DomainTags.SPARK_JOIN).witness(planned.manifest().witness())
        .u64(snapshotId).bytes((filter == null ? "" : filter).getBytes(StandardCharsets.UTF_8))
        .finish().toString();
    return new JoinPlan(key, SerializableTable.copyOf(base), planned, params);
  }

  /** The bundle at {@link #path}, read and verified here. */
  private PathJoinPlan pathPlan(SparkSession spark) {
    InvalidRequestException.check(filter == null,
        "Cannot filter a join against the lakeann bundle at %s: a filter is a SQL predicate on "
            + "an Iceberg table's columns, and a path bundle holds only ids and vectors; filter "
            + "the queries or the joined result instead", path);
    BundleFiles files = BundleFiles.of(spark, path);
    return new PathJoinPlan(files, files.requireManifest(), params);
  }

  /**
   * The queries in enough partitions that (partition, piece) tasks can keep every core busy:
   * at least {@code defaultParallelism / pieces} partitions (a join of a few shards would
   * otherwise run as many tasks as the query DataFrame happens to have partitions, often one).
   */
  private static Dataset<Row> spread(Dataset<Row> queries, SparkSession spark, int pieces) {
    int wanted = (int) Math.ceil((double) spark.sparkContext().defaultParallelism()
        / Math.max(1, pieces));
    return queries.rdd().getNumPartitions() < wanted ? queries.repartition(wanted) : queries;
  }

  private DataType queryVectorType() {
    StructField field;
    try {
      field = queries.schema().apply(queryColumn);
    } catch (IllegalArgumentException e) {
      throw new io.lakeann.iceberg.UnknownColumnException(String.format(Locale.ROOT,
          "The queries have no column '%s'; their columns are: %s", queryColumn,
          String.join(", ", queries.columns())), e);
    }
    DataType type = field.dataType();
    if (type instanceof ArrayType array && (array.elementType() == DataTypes.FloatType
        || array.elementType() == DataTypes.DoubleType)) {
      return type;
    }
    throw new io.lakeann.iceberg.ColumnTypeException(String.format(Locale.ROOT,
        "Query column '%s' has type %s; it must be array<float> (or array<double>, cast to "
            + "float)", queryColumn, type.simpleString()));
  }

  /**
   * The filter as an Iceberg expression, which executors evaluate on the files of the shards
   * they search, so the matching rows never reach the driver; or null when Iceberg cannot
   * express it (a UDF, say), and the positions are then collected by {@link #allowedRows}.
   */
  private RowPredicate predicate(SparkSession spark) {
    try {
      Expression expression = SparkExpressionConverter.convertToIcebergExpression(
          SparkExpressionConverter.collectResolvedSparkExpression(
              (org.apache.spark.sql.classic.SparkSession) spark, table, filter));
      return new RowPredicate(expression, filter);
    } catch (Exception e) {
      LOG.info("lakeann join filter '{}' on {} is evaluated by Spark and its matching positions "
          + "collected to the driver: Iceberg cannot express it ({})", filter, table,
          e.getMessage());
      return null;
    }
  }

  /** The live positions per data file that the filter selects, read by Spark itself. */
  private AllowedRows allowedRows(SparkSession spark, long snapshotId) {
    Dataset<Row> selected;
    try {
      selected = spark.read().option("versionAsOf", snapshotId).table(table)
          .where(filter).select("_file", "_pos");
    } catch (Exception e) {
      if (e instanceof AnalysisException || e.getCause() instanceof AnalysisException) {
        throw new InvalidRequestException(String.format(Locale.ROOT,
            "Invalid filter '%s' on %s: %s; write a SQL boolean expression on the table's "
                + "columns", filter, table, e.getMessage()));
      }
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
    Map<String, List<Long>> byFile = new HashMap<>();
    for (Row row : selected.collectAsList()) {
      byFile.computeIfAbsent(row.getString(0), f -> new ArrayList<>()).add(row.getLong(1));
    }
    Map<String, long[]> positions = new HashMap<>();
    byFile.forEach((file, pos) -> positions.put(file,
        pos.stream().mapToLong(Long::longValue).toArray()));
    return AllowedRows.of(positions);
  }

  /**
   * Query rows (qid, vector) of partition {@code part} to blocks; null vectors skipped; the
   * partition's counts reported to {@code counted}.
   */
  private static Iterator<QueryBlock> blocks(int part, Iterator<InternalRow> rows, int size,
      String column, JoinTaskStats reports) {
    long queried = 0;
    long nulls = 0;
    List<QueryBlock> out = new ArrayList<>();
    long[] qids = new long[size];
    float[][] vectors = new float[size][];
    int n = 0;
    while (rows.hasNext()) {
      InternalRow row = rows.next();
      if (row.isNullAt(1)) {
        nulls++;
        continue;
      }
      ArrayData array = row.getArray(1);
      for (int i = 0; i < array.numElements(); i++) {
        if (array.isNullAt(i)) {
          throw new InvalidVectorException(String.format(Locale.ROOT,
              "Query column '%s' holds a vector with a null at component %d; fill or filter "
                  + "such query rows", column, i));
        }
      }
      qids[n] = row.getLong(0);
      vectors[n] = array.toFloatArray();
      queried++;
      if (++n == size) {
        out.add(new QueryBlock(qids, vectors));
        qids = new long[size];
        vectors = new float[size][];
        n = 0;
      }
    }
    if (n > 0) {
      out.add(new QueryBlock(java.util.Arrays.copyOf(qids, n),
          java.util.Arrays.copyOf(vectors, n)));
    }
    reports.add(new JoinTaskStats.QueryPartition(part, queried, nulls));
    return out.iterator();
  }

  private static Iterator<Row> rows(Tuple2<Long, ArrayList<Hit>> merged) {
    List<Row> out = new ArrayList<>(merged._2().size());
    int rank = 1;
    for (Hit hit : merged._2()) {
      out.add(RowFactory.create(merged._1(), hit.id(), hit.distance(), rank++));
    }
    return out.iterator();
  }

  private static DataType idType(ColumnBinding.IdKind kind) {
    return switch (kind) {
      case LONG -> DataTypes.LongType;
      case INT -> DataTypes.IntegerType;
      case STRING -> DataTypes.StringType;
    };
  }

  private static JoinStats stats(JoinTarget target, List<Work> works,
      JoinTaskStats.Totals reports, long searches, int blocks, long repeated, long start) {
    long indexed = 0;
    long delta = 0;
    long masked = 0;
    int shards = 0;
    int damaged = 0;
    for (Work w : works) {
      JoinTaskStats.Piece piece = reports.piece(w);
      if (!w.delta() && piece != null && piece.damage() == null) {
        ShardLocations.record(target.witness(w), piece.location());
      }
      long allowed = piece == null ? 0 : piece.allowedRows();
      if (piece != null && piece.damage() != null) {
        shards++;
        damaged++;
        delta += allowed;
        LOG.warn("lakeann join against {}: {}; its {} rows were searched exactly instead, so the "
            + "answer is exact for them but slower; repair the index with a build in repair "
            + "mode (bin/lakeann build ... --repair, CALL lakeann.system.build_index(..., repair "
            + "=> true), or BuildJob.repair(true))", describe(target), piece.damage(), allowed);
      } else if (w.delta()) {
        delta += allowed;
      } else {
        shards++;
        long exact = piece == null ? 0 : piece.exactRows();
        indexed += allowed - exact;
        delta += exact;
        masked += piece == null ? 0 : piece.maskedRows();
      }
    }
    Long snapshot = target.snapshot();
    return new JoinStats(snapshot == null ? -1 : snapshot, target.bundleSnapshot(), shards,
        works.size() - shards, reports.queries(), reports.nullQueries(), blocks, searches,
        reports.loads(JoinTaskStats.Kind.SHARD), reports.hits(JoinTaskStats.Kind.SHARD),
        reports.loads(JoinTaskStats.Kind.VIEW), reports.hits(JoinTaskStats.Kind.VIEW),
        reports.loads(JoinTaskStats.Kind.DELTA), reports.hits(JoinTaskStats.Kind.DELTA),
        indexed, delta, masked, damaged, repeated,
        (System.nanoTime() - start) / 1e9);
  }
}
