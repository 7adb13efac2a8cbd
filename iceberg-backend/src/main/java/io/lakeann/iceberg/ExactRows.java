package io.lakeann.iceberg;

import io.lakeann.core.ExactSearch;
import io.lakeann.core.Metric;
import io.lakeann.core.search.RowFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows searched exactly rather than through an index: the rows of a snapshot that its bundle
 * does not cover yet. Immutable; searches are thread-safe.
 */
public final class ExactRows {
  private final ShardRows rows;
  private final ExactSearch search;
  private final RowFilter allowed;
  private final Metric metric;

  private ExactRows(ShardRows rows, ExactSearch search, RowFilter allowed, Metric metric) {
    this.rows = rows;
    this.search = search;
    this.allowed = allowed;
    this.metric = metric;
  }

  /** {@code rows} under {@code metric}, limited to {@code filter} (null for all). */
  public static ExactRows of(ShardRows rows, Metric metric, AllowedRows filter) {
    RowFilter allowed = filter == null ? null : RowFilter.of(filter.rowsOf(
        rows.files().stream().map(DataFileRef::location).toList(), rows.rowsPerFile(),
        rows.positions()));
    ExactSearch search = rows.size() == 0 ? null : new ExactSearch(rows.toVectorSet(), metric);
    return new ExactRows(rows, search, allowed, metric);
  }

  /**
   * The bytes it occupies, for a cache's budget: its rows, the normalised copy of their vectors
   * that a cosine search keeps, and the filter.
   */
  public long bytes() {
    long copy = metric == Metric.COSINE ? 4L * rows.vectors().length : 0;
    return rows.bytes() + copy + (allowed == null ? 0 : allowed.bytes());
  }

  /** Rows searched (allowed by the filter). */
  public long size() {
    return allowed == null ? rows.size() : allowed.allowedCount();
  }

  public long skippedNulls() {
    return rows.skippedNulls();
  }

  public int dim() {
    return rows.dim();
  }

  /** The nearest rows to each query, with the table's ids. */
  public List<List<Hit>> searchBatch(float[][] queries, SearchParams params) {
    List<List<Hit>> out = new ArrayList<>(queries.length);
    for (float[] query : queries) {
      out.add(search == null || size() == 0 ? List.of()
          : Hits.of(search.search(query, params.k(), allowed), rows.binding().idKind(),
              rows.stringIds()));
    }
    return out;
  }
}
