package io.lakeann.iceberg;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericDeleteFilter;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Binder;
import org.apache.iceberg.expressions.Evaluator;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;

/**
 * A filter on the base table's rows as an Iceberg expression, evaluated where the rows are read:
 * on the executor that searches a shard, over that shard's files only, so the rows it selects
 * never travel to the driver. Reads the columns the expression names and the row positions, with
 * every row-level delete of a task applied, and keeps the positions of the rows for which the
 * expression is true (as SQL's WHERE, a null result rejects the row). Immutable and serializable.
 */
public final class RowPredicate implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Expression expression;
  private final String text;

  /**
   * @param expression the filter, unbound (column names)
   * @param text the filter as the user wrote it, for messages
   */
  public RowPredicate(Expression expression, String text) {
    this.expression = expression;
    this.text = text;
  }

  public Expression expression() {
    return expression;
  }

  @Override
  public String toString() {
    return text;
  }

  /** The rows of {@code tasks} (deletes applied) that the filter selects. */
  public AllowedRows allowedRows(FileIO io, Schema tableSchema, Collection<FileScanTask> tasks) {
    Set<Integer> referenced = Binder.boundReferences(tableSchema.asStruct(), List.of(expression),
        false);
    Schema columns = TypeUtil.select(tableSchema, referenced);
    List<Types.NestedField> fields = new ArrayList<>(columns.columns());
    fields.add(MetadataColumns.ROW_POSITION);
    Schema projection = new Schema(fields);
    Map<String, long[]> positions = new HashMap<>();
    for (FileScanTask task : tasks) {
      long[] selected = selected(io, tableSchema, projection, task);
      if (selected.length > 0) {
        positions.put(task.file().location(), selected);
      }
    }
    return AllowedRows.of(positions);
  }

  private long[] selected(FileIO io, Schema tableSchema, Schema projection, FileScanTask task) {
    GenericDeleteFilter deletes = new GenericDeleteFilter(io, task, tableSchema, projection);
    Schema readSchema = deletes.requiredSchema();
    Evaluator evaluator = new Evaluator(readSchema.asStruct(), expression, false);
    int posIndex = readSchema.columns().indexOf(
        readSchema.findField(MetadataColumns.ROW_POSITION.fieldId()));
    long[] out = new long[16];
    int count = 0;
    try (CloseableIterable<Record> records = ShardReader.liveRecords(
        io.newInputFile(task.file()), task, deletes)) {
      for (Record record : records) {
        if (evaluator.eval(record)) {
          if (count == out.length) {
            out = Arrays.copyOf(out, 2 * count);
          }
          out[count++] = (Long) record.get(posIndex);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + task.file().location() + " to filter by "
          + text, e);
    }
    return Arrays.copyOf(out, count);
  }
}
