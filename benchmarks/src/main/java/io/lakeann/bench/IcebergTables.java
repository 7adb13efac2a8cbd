package io.lakeann.bench;

import io.lakeann.iceberg.Catalogs;
import io.lakeann.iceberg.ColumnBinding;
import io.lakeann.iceberg.ColumnBinding.VectorEncoding;
import io.lakeann.iceberg.LocalFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Types;

/**
 * A temporary Hadoop warehouse for the Iceberg benchmark, written with Iceberg's own generic
 * writers: unpartitioned format-v2 tables of an {@code id} column (long, required) and a
 * {@code vector} column in one of the encodings lakeann reads, Parquet data files appended in one
 * commit, and equality deletes on the id. Closing it deletes the whole directory.
 */
final class IcebergTables implements AutoCloseable {
  static final String ID = "id";
  static final String VECTOR = "vector";
  private static final Namespace NAMESPACE = Namespace.of("bench");

  private final Path root;
  private final Catalog catalog;
  private int writerTasks;

  private IcebergTables(Path root, Catalog catalog) {
    this.root = root;
    this.catalog = catalog;
  }

  /** A new warehouse under a new temporary directory. */
  static IcebergTables create() throws IOException {
    Path root = Files.createTempDirectory("lakeann-iceberg-bench-");
    Catalog catalog = Catalogs.hadoop(root.resolve("warehouse"));
    ((SupportsNamespaces) catalog).createNamespace(NAMESPACE);
    return new IcebergTables(root, catalog);
  }

  /** A new empty directory inside the warehouse's temporary directory. */
  Path newDirectory(String prefix) throws IOException {
    return Files.createTempDirectory(root, prefix);
  }

  /** Creates table {@code bench.NAME} with its vector column in {@code encoding}. */
  Table createTable(String name, VectorEncoding encoding) {
    Schema schema = new Schema(
        Types.NestedField.required(1, ID, Types.LongType.get()),
        Types.NestedField.optional(2, VECTOR, switch (encoding) {
          case LIST_FLOAT -> Types.ListType.ofRequired(3, Types.FloatType.get());
          case LIST_DOUBLE -> Types.ListType.ofRequired(3, Types.DoubleType.get());
          case BINARY_F32 -> Types.BinaryType.get();
        }));
    return catalog.createTable(TableIdentifier.of(NAMESPACE, name), schema,
        PartitionSpec.unpartitioned(), Map.of(TableProperties.FORMAT_VERSION, "2"));
  }

  /** Writes rows {@code [from, to)} of {@code ids} and {@code vectors} into one Parquet file. */
  DataFile writeDataFile(Table table, long[] ids, float[] vectors, int dim, int from, int to) {
    VectorEncoding encoding = encoding(table);
    GenericFileWriterFactory factory = new GenericFileWriterFactory.Builder(table)
        .dataFileFormat(FileFormat.PARQUET)
        .dataSchema(table.schema())
        .build();
    DataWriter<Record> writer = factory.newDataWriter(
        outputFiles(table).newOutputFile(), table.spec(), null);
    GenericRecord row = GenericRecord.create(table.schema());
    try (writer) {
      for (int r = from; r < to; r++) {
        row.set(0, ids[r]);
        row.set(1, vectorValue(encoding, vectors, r * dim, dim));
        writer.write(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write a data file of " + table.name(), e);
    }
    return writer.toDataFile();
  }

  /** Appends {@code files} to {@code table} in one commit. */
  static void append(Table table, List<DataFile> files) {
    AppendFiles append = table.newAppend();
    files.forEach(append::appendFile);
    append.commit();
    table.refresh();
  }

  /** Deletes the rows with {@code ids} by one committed equality delete file on the id column. */
  DeleteFile deleteIds(Table table, long[] ids) {
    Schema deleteSchema = table.schema().select(ID);
    GenericFileWriterFactory factory = new GenericFileWriterFactory.Builder(table)
        .deleteFileFormat(FileFormat.PARQUET)
        .equalityFieldIds(new int[] {table.schema().findField(ID).fieldId()})
        .equalityDeleteRowSchema(deleteSchema)
        .build();
    EqualityDeleteWriter<Record> writer = factory.newEqualityDeleteWriter(
        outputFiles(table).newOutputFile(), table.spec(), null);
    GenericRecord row = GenericRecord.create(deleteSchema);
    try (writer) {
      for (long id : ids) {
        row.set(0, id);
        writer.write(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write an equality delete file of " + table.name(), e);
    }
    DeleteFile written = writer.toDeleteFile();
    table.newRowDelta().addDeletes(written).commit();
    table.refresh();
    return written;
  }

  static VectorEncoding encoding(Table table) {
    return ColumnBinding.resolve(table.name(), table.schema(), VECTOR, ID).encoding();
  }

  /**
   * One vector as the column stores it: boxed floats, boxed doubles (the same values, widened),
   * or little-endian float32 bytes.
   */
  private static Object vectorValue(VectorEncoding encoding, float[] data, int offset, int dim) {
    if (encoding.isList()) {
      List<Object> list = new ArrayList<>(dim);
      for (int d = 0; d < dim; d++) {
        float value = data[offset + d];
        list.add(encoding == VectorEncoding.LIST_DOUBLE ? (Object) (double) value : value);
      }
      return list;
    }
    ByteBuffer bytes = ByteBuffer.allocate(dim * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(data, offset, dim);
    return bytes;
  }

  private OutputFileFactory outputFiles(Table table) {
    return OutputFileFactory.builderFor(table, 1, ++writerTasks).format(FileFormat.PARQUET)
        .build();
  }

  @Override
  public void close() throws IOException {
    if (catalog instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        throw new IOException("Cannot close the benchmark's Hadoop catalog", e);
      }
    }
    LocalFiles.deleteTree(root);
  }
}
