package io.lakeann.notebooks;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * What {@code display(...)} and {@code displayHTML(...)} do in a notebook's Scala cells, and how
 * SQL results are shown: collects the outputs of the cell being run. A Dataset or DataFrame is
 * shown as a table of its first {@value #ROWS} rows, an XChart chart as a PNG plot, anything else
 * as its text. Serializable only because closures of Scala cells may reach it through the
 * interpreter's line objects; what executors deserialize is empty and unused. Not thread-safe:
 * one per running notebook.
 */
public final class Display implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Rows of a result shown in a table; the output says when there were more. */
  public static final int ROWS = 50;
  /** Elements of an array value shown in a table cell; the rest are counted. */
  static final int ELEMENTS = 6;

  private final transient List<CellOutput> outputs = new ArrayList<>();

  /** Shows {@code value}: a table for a Dataset, a plot for an XChart chart, else its text. */
  public void display(Object value) {
    if (value instanceof Dataset<?> dataset) {
      outputs.add(table(dataset.toDF()));
    } else if (value instanceof Chart<?, ?> chart) {
      outputs.add(plot(chart));
    } else {
      outputs.add(new CellOutput.Text(String.valueOf(value)));
    }
  }

  /** Shows {@code html} as it is. */
  public void displayHTML(String html) {
    outputs.add(new CellOutput.Html(html));
  }

  /** Adds text the cell printed; blank text adds nothing. */
  void print(String text) {
    if (!text.isBlank()) {
      outputs.add(new CellOutput.Text(text.stripTrailing()));
    }
  }

  /** The outputs collected since the last call, and forgets them. */
  List<CellOutput> drain() {
    List<CellOutput> out = List.copyOf(outputs);
    outputs.clear();
    return out;
  }

  /** The first {@value #ROWS} rows of {@code frame} as a table (runs the query). */
  static CellOutput.Table table(Dataset<Row> frame) {
    List<String> columns = Arrays.asList(frame.columns());
    Row[] rows = (Row[]) frame.take(ROWS + 1);
    List<List<String>> shown = new ArrayList<>();
    for (int r = 0; r < Math.min(rows.length, ROWS); r++) {
      List<String> values = new ArrayList<>();
      for (int c = 0; c < columns.size(); c++) {
        values.add(text(rows[r].get(c)));
      }
      shown.add(values);
    }
    return new CellOutput.Table(columns, shown, rows.length > ROWS);
  }

  private static CellOutput.Image plot(Chart<?, ?> chart) {
    try {
      byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
      String title = chart.getTitle();
      return new CellOutput.Image(png, title == null || title.isBlank() ? "plot" : title);
    } catch (IOException e) {
      throw new UncheckedIOException("the chart could not be drawn as PNG: " + e.getMessage(), e);
    }
  }

  /** A value as a table cell shows it: arrays abbreviated, binary as its size, floats short. */
  static String text(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof byte[] bytes) {
      return "binary(" + bytes.length + " bytes)";
    }
    if (value instanceof scala.collection.Seq<?> seq) {
      StringBuilder out = new StringBuilder("[");
      int n = seq.length();
      for (int i = 0; i < Math.min(n, ELEMENTS); i++) {
        out.append(i == 0 ? "" : ", ").append(text(seq.apply(i)));
      }
      if (n > ELEMENTS) {
        out.append(", ... (").append(n).append(" values)");
      }
      return out.append(']').toString();
    }
    if (value instanceof Float f) {
      return rounded(Double.parseDouble(f.toString()), 4);
    }
    if (value instanceof Double d) {
      return rounded(d, 6);
    }
    return value.toString();
  }

  /** {@code value} to {@code digits} significant digits, without trailing zeros. */
  private static String rounded(double value, int digits) {
    if (!Double.isFinite(value)) {
      return Double.toString(value);
    }
    BigDecimal shown = new BigDecimal(value).round(new MathContext(digits)).stripTrailingZeros();
    double size = Math.abs(value);
    return size == 0 || (size >= 1e-4 && size < 1e12) ? shown.toPlainString() : shown.toString();
  }
}
