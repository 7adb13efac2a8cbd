package io.lakeann.iceberg;

import io.lakeann.core.DimensionMismatchException;
import io.lakeann.core.DuplicateIdException;
import io.lakeann.core.InvalidVectorException;
import io.lakeann.core.LakeAnnException;
import io.lakeann.core.VectorChecks;
import io.lakeann.core.VectorSet;
import io.lakeann.core.util.LongHashSet;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rows of one shard as they are read, in growing primitive arrays, and the one place where
 * each row is checked: a null id, a wrong dimension, a null element, a binary vector that is not
 * float32, NaN or infinity and a duplicate id fail with the file, row position, id and value; a
 * null vector is skipped and counted. Both readers ({@link ShardReader}'s generic path and
 * {@link ParquetVectorReader}) feed rows here, so both apply the same checks with the same
 * messages. Not thread-safe: one per read.
 */
final class RowAccumulator {
  private final ColumnBinding binding;
  private int dim;
  private String dimSetBy;
  private int size;
  private long[] ids;
  private long[] positions;
  private float[] vectors;
  private String[] strings;
  private Map<String, Integer> stringRows;
  private LongHashSet seenIds;
  private long[] nullPositions = new long[16];
  private int nulls;

  /**
   * @param expectedDim the dimension every vector must have, or 0 to take it from the first
   * @param capacity the number of rows to make room for up front
   */
  RowAccumulator(ColumnBinding binding, int expectedDim, int capacity) {
    this.binding = binding;
    this.dim = expectedDim;
    this.dimSetBy = expectedDim > 0 ? "the index" : null;
    int cap = Math.max(capacity, 16);
    this.ids = new long[cap];
    this.positions = new long[cap];
  }

  /** Rows accepted so far. */
  int size() {
    return size;
  }

  /** Null vectors skipped so far. */
  int nulls() {
    return nulls;
  }

  /** Positions accepted so far ({@link #size()} of them are in use). */
  long[] positions() {
    return positions;
  }

  /** The error for a row whose id is null. */
  InvalidVectorException nullId(String file, long pos) {
    return new InvalidVectorException(String.format(Locale.ROOT,
        "%s: id column '%s' is null in file %s at row position %d; give every row an id "
            + "or filter such rows out before indexing", binding.describe(),
        binding.idColumn(), file, pos));
  }

  /** The error for a list vector with a null at {@code component}. */
  InvalidVectorException nullElement(String file, long pos, Object id, int component) {
    return new InvalidVectorException(String.format(Locale.ROOT,
        "%s: the vector in file %s at row position %d (id %s) has a null at component "
            + "%d; replace or filter such vectors before indexing",
        binding.describe(), file, pos, id, component));
  }

  /** The error for a binary vector of {@code bytes} bytes, not a multiple of 4. */
  InvalidVectorException notFloat32(String file, long pos, Object id, int bytes) {
    return new InvalidVectorException(String.format(Locale.ROOT,
        "%s: the binary vector in file %s at row position %d (id %s) has %d bytes, not a "
            + "multiple of 4; store vectors as little-endian float32",
        binding.describe(), file, pos, id, bytes));
  }

  /** Records a live row's position only (no id, no vector kept). */
  void addPosition(long pos) {
    if (size == ids.length) {
      grow();
    }
    positions[size++] = pos;
  }

  /** Counts a live row whose vector is null; it is not indexed. */
  void addNull(long pos) {
    if (nulls == nullPositions.length) {
      nullPositions = Arrays.copyOf(nullPositions, nulls * 2);
    }
    nullPositions[nulls++] = pos;
  }

  /**
   * Checks and adds a row as Iceberg's generic readers give it: {@code id} a Long, Integer or
   * CharSequence, {@code vector} a non-null List of Float or a ByteBuffer of little-endian
   * float32.
   */
  void addGeneric(String file, long pos, Object id, Object vector) {
    float[] v = decode(file, pos, id, vector);
    switch (binding.idKind()) {
      case LONG:
        add(file, pos, (Long) id, null, v, v.length);
        break;
      case INT:
        add(file, pos, (Integer) id, null, v, v.length);
        break;
      default:
        add(file, pos, 0, id.toString(), v, v.length);
    }
  }

  /**
   * Checks and adds a row whose vector is the first {@code length} floats of {@code v}.
   *
   * @param id the id of a long or int id column
   * @param stringId the id of a string id column, else null
   */
  void add(String file, long pos, long id, String stringId, float[] v, int length) {
    if (size == ids.length) {
      grow();
    }
    positions[size] = pos;
    Object shownId = stringId != null ? stringId : (Object) id;
    if (dim == 0) {
      dim = length;
      dimSetBy = String.format(Locale.ROOT, "file %s, row position %d", file, pos);
      VectorChecks.requireSupportedDimension(dim, binding.describe());
    }
    if (length != dim) {
      throw new DimensionMismatchException(String.format(Locale.ROOT,
          "%s: the vector in file %s at row position %d (id %s) has %d dimensions but %d are "
              + "expected (set by %s); make every vector of the column the same length",
          binding.describe(), file, pos, shownId, length, dim, dimSetBy));
    }
    for (int i = 0; i < dim; i++) {
      if (!Float.isFinite(v[i])) {
        String range = binding.encoding() == ColumnBinding.VectorEncoding.LIST_DOUBLE
            ? " (as float32: the double is NaN, infinite or beyond float32's range of +-3.4e38)"
            : "";
        throw new InvalidVectorException(String.format(Locale.ROOT,
            "%s: the vector in file %s at row position %d (id %s) has %s at component %d%s; "
                + "replace or filter non-finite vectors before indexing",
            binding.describe(), file, pos, shownId, v[i], i, range));
      }
    }
    ids[size] = stringId != null ? stringId(file, pos, stringId) : numericId(file, pos, id);
    long needed = (long) (size + 1) * dim;
    if (needed > VectorSet.MAX_FLOATS) {
      throw new LakeAnnException(String.format(Locale.ROOT,
          "%s: a shard of %d-dimensional vectors holds at most %d rows; lower the target "
              + "rows per shard", binding.describe(), dim, VectorSet.MAX_FLOATS / dim));
    }
    if (vectors == null || vectors.length < needed) {
      int capacity = (int) Math.min((long) ids.length * dim, VectorSet.MAX_FLOATS);
      vectors = vectors == null ? new float[capacity] : Arrays.copyOf(vectors, capacity);
    }
    System.arraycopy(v, 0, vectors, size * dim, dim);
    size++;
  }

  private long numericId(String file, long pos, long value) {
    if (seenIds == null) {
      seenIds = new LongHashSet(ids.length);
    }
    if (!seenIds.add(value)) {
      throw new DuplicateIdException(String.format(Locale.ROOT,
          "%s: id %d appears twice in one shard (again in file %s at row position %d); ids "
              + "of column '%s' must be unique", binding.describe(), value, file, pos,
          binding.idColumn()));
    }
    return value;
  }

  private long stringId(String file, long pos, String id) {
    if (strings == null) {
      strings = new String[ids.length];
      stringRows = new HashMap<>();
    } else if (strings.length < ids.length) {
      strings = Arrays.copyOf(strings, ids.length);
    }
    Integer previous = stringRows.putIfAbsent(id, size);
    if (previous != null) {
      throw new DuplicateIdException(String.format(Locale.ROOT,
          "%s: id '%s' appears twice in one shard (again in file %s at row position %d); ids "
              + "of column '%s' must be unique", binding.describe(), id, file, pos,
          binding.idColumn()));
    }
    strings[size] = id;
    return size;
  }

  private float[] decode(String file, long pos, Object id, Object vector) {
    if (binding.encoding() == ColumnBinding.VectorEncoding.BINARY_F32) {
      ByteBuffer bytes = ((ByteBuffer) vector).duplicate().order(ByteOrder.LITTLE_ENDIAN);
      if (bytes.remaining() % Float.BYTES != 0) {
        throw notFloat32(file, pos, id, bytes.remaining());
      }
      float[] v = new float[bytes.remaining() / Float.BYTES];
      bytes.asFloatBuffer().get(v);
      return v;
    }
    List<?> list = (List<?>) vector;
    float[] v = new float[list.size()];
    for (int i = 0; i < v.length; i++) {
      Object element = list.get(i);
      if (element == null) {
        throw nullElement(file, pos, id, i);
      }
      v[i] = ((Number) element).floatValue(); // a Float, or a Double rounded to float32
    }
    return v;
  }

  private void grow() {
    long next = Math.min((long) ids.length * 2, Integer.MAX_VALUE - 8);
    if (next == ids.length) {
      throw new LakeAnnException(binding.describe() + ": a shard cannot hold more than "
          + ids.length + " rows; lower the target rows per shard");
    }
    ids = Arrays.copyOf(ids, (int) next);
    positions = Arrays.copyOf(positions, (int) next);
  }

  /** The accepted rows, trimmed, as one shard's rows over {@code files}. */
  ShardRows finish(List<DataFileRef> files, int[] rowsPerFile, int[] nullsPerFile) {
    float[] data = vectors == null ? new float[0] : vectors;
    if (data.length != size * dim) {
      data = Arrays.copyOf(data, size * dim);
    }
    String[] stringIds = strings == null ? null : Arrays.copyOf(strings, size);
    if (binding.idKind() == ColumnBinding.IdKind.STRING && stringIds == null) {
      stringIds = new String[0];
    }
    return new ShardRows(binding, dim, Arrays.copyOf(ids, size), stringIds, data, files,
        rowsPerFile, Arrays.copyOf(positions, size), nullsPerFile,
        Arrays.copyOf(nullPositions, nulls));
  }
}
