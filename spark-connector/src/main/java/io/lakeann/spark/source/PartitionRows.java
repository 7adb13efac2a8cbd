package io.lakeann.spark.source;

import io.lakeann.core.DuplicateIdException;
import io.lakeann.core.InvalidRequestException;
import io.lakeann.core.InvalidVectorException;
import io.lakeann.core.VectorChecks;
import io.lakeann.core.VectorSet;
import io.lakeann.core.util.LongHashSet;
import io.lakeann.iceberg.ColumnBinding.IdKind;
import io.lakeann.iceberg.ShardSections;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;

/**
 * The rows of one DataFrame partition on their way into a shard, checked as they come: a null
 * vector is skipped and counted; a null id, a repeated id, a vector of another dimension, a null
 * component, NaN or infinity fails with the bundle, column, partition, row (as the partition
 * delivered it), id and value in the message (core's {@link VectorChecks} words the vector
 * checks). The shard is built from the rows in id order, so it does not depend on the order in
 * which a shuffle delivered them. Numeric ids are the index ids; a string id's index id is its
 * row's position in the shard, and the strings are kept in that order, as the Iceberg layer's
 * shards do ({@link ShardSections}). Not thread-safe.
 */
final class PartitionRows {
  private final WriteSpec spec;
  private final int partition;
  private final String source;
  private int dim;
  private long row;
  private long skippedNulls;
  private int size;
  private long[] ids = new long[64];
  private float[] vectors;
  private String[] strings;
  private LongHashSet seenIds;
  private Map<String, Long> seenStrings;

  PartitionRows(WriteSpec spec, int partition) {
    this.spec = spec;
    this.partition = partition;
    this.source = "partition " + partition + " of " + spec.describe();
  }

  /** Checks and keeps one row (or counts it, when its vector is null). */
  void add(InternalRow r) {
    long at = row++;
    if (r.isNullAt(spec.idOrdinal())) {
      throw new InvalidVectorException(String.format(Locale.ROOT,
          "row %d of %s: id column '%s' is null; give every row an id or filter such rows out "
              + "before writing", at, source, spec.idColumn()));
    }
    Object id = switch (spec.idKind()) {
      case LONG -> r.getLong(spec.idOrdinal());
      case INT -> r.getInt(spec.idOrdinal());
      case STRING -> r.getUTF8String(spec.idOrdinal()).toString();
    };
    if (r.isNullAt(spec.vectorOrdinal())) {
      skippedNulls++;
      return;
    }
    float[] v = vector(r, at, id);
    if (dim == 0) {
      VectorChecks.requireSupportedDimension(v.length, where(at, id));
      dim = v.length;
    }
    if (v.length != dim || !finite(v)) {
      VectorChecks.requireValid(v, dim, where(at, id));
    }
    if (size == ids.length) {
      grow();
    }
    ids[size] = indexId(at, id);
    if (vectors == null) {
      vectors = new float[ids.length * dim];
    }
    System.arraycopy(v, 0, vectors, size * dim, dim);
    size++;
  }

  int size() {
    return size;
  }

  int dim() {
    return dim;
  }

  long skippedNulls() {
    return skippedNulls;
  }

  /**
   * The kept rows in id order: the vector set to build and the shard's extra sections (one
   * source, the partition, with each row's position in the shard, and the string ids). Call
   * once; the arrival-order copies are released.
   *
   * @param set the rows for the index builder
   * @param sections the shard's row sources and string ids
   */
  record Sorted(VectorSet set, ShardSections sections) {}

  Sorted sorted() {
    Integer[] order = new Integer[size];
    for (int r = 0; r < size; r++) {
      order[r] = r;
    }
    Arrays.sort(order, strings == null ? Comparator.comparingLong(r -> ids[r])
        : Comparator.comparing(r -> strings[r]));
    long[] sortedIds = new long[size];
    float[] data = new float[size * dim];
    String[] sortedStrings = strings == null ? null : new String[size];
    long[] positions = new long[size];
    for (int r = 0; r < size; r++) {
      int from = order[r];
      sortedIds[r] = strings == null ? ids[from] : r;
      if (sortedStrings != null) {
        sortedStrings[r] = strings[from];
      }
      System.arraycopy(vectors, from * dim, data, r * dim, dim);
      positions[r] = r;
    }
    vectors = null;
    ids = null;
    strings = null;
    return new Sorted(VectorSet.of(source, sortedIds, data, dim),
        new ShardSections(new int[] {size}, positions, sortedStrings, new int[] {0}, new long[0],
            null, null, null));
  }

  private String where(long at, Object id) {
    return String.format(Locale.ROOT, "row %d (id %s) of %s", at, id, source);
  }

  private static boolean finite(float[] v) {
    for (float f : v) {
      if (!Float.isFinite(f)) {
        return false;
      }
    }
    return true;
  }

  private float[] vector(InternalRow r, long at, Object id) {
    if (spec.vectorType() == WriteSpec.VectorType.BINARY) {
      byte[] bytes = r.getBinary(spec.vectorOrdinal());
      if (bytes.length % Float.BYTES != 0) {
        throw new InvalidVectorException(String.format(Locale.ROOT,
            "%s: the binary vector has %d bytes, not a multiple of 4; store vectors as "
                + "little-endian float32", where(at, id), bytes.length));
      }
      float[] v = new float[bytes.length / Float.BYTES];
      ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
      return v;
    }
    ArrayData array = r.getArray(spec.vectorOrdinal());
    for (int i = 0; i < array.numElements(); i++) {
      if (array.isNullAt(i)) {
        throw new InvalidVectorException(String.format(Locale.ROOT,
            "%s: the vector has a null at component %d; replace or filter such vectors before "
                + "writing", where(at, id), i));
      }
    }
    if (spec.vectorType() == WriteSpec.VectorType.FLOAT_ARRAY) {
      return array.toFloatArray();
    }
    double[] doubles = array.toDoubleArray();
    float[] v = new float[doubles.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) doubles[i];
    }
    return v;
  }

  private long indexId(long at, Object id) {
    if (spec.idKind() == IdKind.STRING) {
      if (strings == null) {
        strings = new String[ids.length];
        seenStrings = new HashMap<>();
      }
      Long first = seenStrings.putIfAbsent((String) id, at);
      if (first != null) {
        throw duplicate(at, "'" + id + "'", first);
      }
      strings[size] = (String) id;
      return size;
    }
    long value = ((Number) id).longValue();
    if (seenIds == null) {
      seenIds = new LongHashSet(ids.length);
    }
    if (!seenIds.add(value)) {
      throw duplicate(at, id, -1);
    }
    return value;
  }

  private DuplicateIdException duplicate(long at, Object id, long first) {
    return new DuplicateIdException(String.format(Locale.ROOT,
        "%s: id %s appears twice in one partition (again at row %d%s); ids of column '%s' must "
            + "be unique within each partition", source, id, at,
        first >= 0 ? ", first at row " + first : "", spec.idColumn()));
  }

  private void grow() {
    long next = Math.min((long) ids.length * 2, VectorSet.MAX_FLOATS / dim);
    if (next <= ids.length) {
      throw new InvalidRequestException(String.format(Locale.ROOT,
          "%s: a shard of %d-dimensional vectors holds at most %d rows; repartition the "
              + "DataFrame into more partitions before writing", source, dim, ids.length));
    }
    ids = Arrays.copyOf(ids, (int) next);
    if (vectors != null) {
      vectors = Arrays.copyOf(vectors, (int) next * dim);
    }
    if (strings != null) {
      strings = Arrays.copyOf(strings, (int) next);
    }
  }
}
