package io.lakeann.iceberg;

import io.lakeann.core.DimensionMismatchException;
import io.lakeann.core.DuplicateIdException;
import io.lakeann.core.InvalidVectorException;
import io.lakeann.core.LakeAnnException;
import io.lakeann.core.VectorChecks;
import io.lakeann.core.VectorSet;
import io.lakeann.core.util.LongHashSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericDeleteFilter;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.formats.FormatModelRegistry;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.types.Types;

/**
 * Reads the id and vector columns of data files through Iceberg's generic readers, with every
 * row-level delete of the scan task applied (position deletes, equality deletes, deletion
 * vectors). Each row is checked on the way in: a null vector is skipped and counted; a null id,
 * a wrong dimension, a null element, NaN or infinity fails with the file, row position, id and
 * value. Stateless; safe to use from many threads.
 */
public final class ShardReader {
  private final FileIO io;
  private final Schema tableSchema;
  private final ColumnBinding binding;

  /**
   * @param io the table's file IO
   * @param tableSchema the table's schema, in which the binding's field ids resolve
   * @param binding the columns to read
   */
  public ShardReader(FileIO io, Schema tableSchema, ColumnBinding binding) {
    this.io = io;
    this.tableSchema = tableSchema;
    this.binding = binding;
  }

  /**
   * Reads the live rows of {@code tasks}, in order.
   *
   * @param expectedDim the dimension every vector must have, or 0 to take it from the first
   */
  public ShardRows read(List<FileScanTask> tasks, int expectedDim) {
    Accumulator acc = new Accumulator(expectedDim, estimateRows(tasks));
    List<DataFileRef> files = new ArrayList<>(tasks.size());
    int[] rowsPerFile = new int[tasks.size()];
    int[] nullsPerFile = new int[tasks.size()];
    for (int f = 0; f < tasks.size(); f++) {
      FileScanTask task = tasks.get(f);
      files.add(DataFileRef.of(task));
      int before = acc.size;
      int nullsBefore = acc.nulls;
      readTask(task, true, acc);
      rowsPerFile[f] = acc.size - before;
      nullsPerFile[f] = acc.nulls - nullsBefore;
    }
    return acc.finish(files, rowsPerFile, nullsPerFile);
  }

  /**
   * The positions of the live rows of {@code task}'s data file (deletes applied), ascending,
   * null vectors included. Reads no vector: only row positions and the columns deletes need.
   */
  public long[] livePositions(FileScanTask task) {
    Accumulator acc = new Accumulator(0, (int) Math.min(task.file().recordCount(), 1 << 20));
    readTask(task, false, acc);
    return Arrays.copyOf(acc.positions, acc.size);
  }

  private void readTask(FileScanTask task, boolean decode, Accumulator acc) {
    Schema projection = decode
        ? new Schema(field(binding.idFieldId()), field(binding.vectorFieldId()),
            MetadataColumns.ROW_POSITION)
        : new Schema(field(binding.idFieldId()), MetadataColumns.ROW_POSITION);
    GenericDeleteFilter deletes = new GenericDeleteFilter(io, task, tableSchema, projection);
    Schema readSchema = deletes.requiredSchema();
    List<Types.NestedField> columns = readSchema.columns();
    int idIndex = indexOf(columns, binding.idFieldId());
    int vectorIndex = decode ? indexOf(columns, binding.vectorFieldId()) : -1;
    int posIndex = indexOf(columns, MetadataColumns.ROW_POSITION.fieldId());
    String file = task.file().location();
    CloseableIterable<Record> raw = FormatModelRegistry
        .<Record, Object>readBuilder(task.file().format(), Record.class,
            io.newInputFile(task.file()))
        .project(readSchema)
        .split(task.start(), task.length())
        .reuseContainers()
        .build();
    try (CloseableIterable<Record> records = deletes.filter(raw)) {
      for (Record record : records) {
        long pos = (Long) record.get(posIndex);
        Object id = record.get(idIndex);
        if (id == null) {
          throw new InvalidVectorException(String.format(Locale.ROOT,
              "%s: id column '%s' is null in file %s at row position %d; give every row an id "
                  + "or filter such rows out before indexing", binding.describe(),
              binding.idColumn(), file, pos));
        }
        if (!decode) {
          acc.addPosition(pos);
          continue;
        }
        Object vector = record.get(vectorIndex);
        if (vector == null) {
          acc.addNull(pos);
          continue;
        }
        acc.add(file, pos, id, vector);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file + " of " + binding.describe(), e);
    }
  }

  private Types.NestedField field(int fieldId) {
    Types.NestedField field = tableSchema.findField(fieldId);
    if (field == null) {
      throw new UnknownColumnException(String.format(Locale.ROOT,
          "%s: field id %d is no longer in the table's schema (the column was dropped); "
              + "build the index on an existing column", binding.describe(), fieldId));
    }
    return field;
  }

  private static int indexOf(List<Types.NestedField> columns, int fieldId) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).fieldId() == fieldId) {
        return i;
      }
    }
    throw new IllegalStateException("field " + fieldId + " missing from the read schema");
  }

  private static int estimateRows(List<FileScanTask> tasks) {
    long rows = 0;
    for (FileScanTask task : tasks) {
      rows += task.file().recordCount();
    }
    return (int) Math.min(rows, 1 << 20);
  }

  /** Growing arrays of the rows read so far, and the checks each row must pass. */
  private final class Accumulator {
    int dim;
    String dimSetBy;
    int size;
    long[] ids;
    long[] positions;
    float[] vectors;
    String[] strings;
    Map<String, Integer> stringRows;
    LongHashSet seenIds;
    long[] nullPositions = new long[16];
    int nulls;

    Accumulator(int expectedDim, int capacity) {
      this.dim = expectedDim;
      this.dimSetBy = expectedDim > 0 ? "the index" : null;
      int cap = Math.max(capacity, 16);
      this.ids = new long[cap];
      this.positions = new long[cap];
    }

    void addPosition(long pos) {
      if (size == ids.length) {
        grow();
      }
      positions[size++] = pos;
    }

    void addNull(long pos) {
      if (nulls == nullPositions.length) {
        nullPositions = Arrays.copyOf(nullPositions, nulls * 2);
      }
      nullPositions[nulls++] = pos;
    }

    void add(String file, long pos, Object id, Object vector) {
      if (size == ids.length) {
        grow();
      }
      positions[size] = pos;
      float[] v = decode(file, pos, id, vector);
      if (dim == 0) {
        dim = v.length;
        dimSetBy = String.format(Locale.ROOT, "file %s, row position %d", file, pos);
        VectorChecks.requireSupportedDimension(dim, binding.describe());
      }
      if (v.length != dim) {
        throw new DimensionMismatchException(String.format(Locale.ROOT,
            "%s: the vector in file %s at row position %d (id %s) has %d dimensions but %d are "
                + "expected (set by %s); make every vector of the column the same length",
            binding.describe(), file, pos, id, v.length, dim, dimSetBy));
      }
      for (int i = 0; i < dim; i++) {
        if (!Float.isFinite(v[i])) {
          throw new InvalidVectorException(String.format(Locale.ROOT,
              "%s: the vector in file %s at row position %d (id %s) has %s at component %d; "
                  + "replace or filter non-finite vectors before indexing",
              binding.describe(), file, pos, id, v[i], i));
        }
      }
      ids[size] = indexId(file, pos, id);
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

    private long indexId(String file, long pos, Object id) {
      long value;
      switch (binding.idKind()) {
        case LONG:
          value = (Long) id;
          break;
        case INT:
          value = (Integer) id;
          break;
        default:
          return stringId(file, pos, id.toString());
      }
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
          throw new InvalidVectorException(String.format(Locale.ROOT,
              "%s: the binary vector in file %s at row position %d (id %s) has %d bytes, not a "
                  + "multiple of 4; store vectors as little-endian float32",
              binding.describe(), file, pos, id, bytes.remaining()));
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
          throw new InvalidVectorException(String.format(Locale.ROOT,
              "%s: the vector in file %s at row position %d (id %s) has a null at component "
                  + "%d; replace or filter such vectors before indexing",
              binding.describe(), file, pos, id, i));
        }
        v[i] = (Float) element;
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
}
