package io.lakeann.iceberg;

import java.nio.file.Path;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchReadSpeedTest {
  @TempDir Path dir;

  @Test
  void speed() {
    io.lakeann.core.data.SyntheticVectors data = new io.lakeann.core.data.SyntheticVectors(128, 100, 1f, 1);
    try (TestWarehouse wh = TestWarehouse.create(dir.resolve("wh"))) {
      for (TestWarehouse.VectorType vt : TestWarehouse.VectorType.values()) {
        Table t = wh.createTable("t" + vt.ordinal(), 2, vt, TestWarehouse.IdType.LONG);
        for (int f = 0; f < 4; f++) {
          wh.append(t, IcebergFixture.ids(f * 50000L, 50000), io.lakeann.core.data.SyntheticVectors.rows(data.points(50000, f), 128));
        }
        ColumnBinding b = ColumnBinding.resolve(t.name(), t.schema(), "embedding", "id");
        for (int rep = 0; rep < 3; rep++) {
          long s = System.nanoTime();
          ShardRows rows = new ShardReader(t.io(), t.schema(), b).read(TestWarehouse.currentTasks(t), 0);
          double sec = (System.nanoTime() - s) / 1e9;
          System.out.printf("SPEED %s rows=%d %.2fs %.0f rows/s%n", vt, rows.size(), sec, rows.size() / sec);
        }
        long s = System.nanoTime();
        int n = 0;
        try (var it = org.apache.iceberg.data.IcebergGenerics.read(t).select("id", "embedding").build()) {
          for (var r : it) { n++; }
        } catch (Exception e) { throw new RuntimeException(e); }
        double sec = (System.nanoTime() - s) / 1e9;
        System.out.printf("SPEED generic %s rows=%d %.2fs %.0f rows/s%n", vt, n, sec, n / sec);
      }
    }
  }
}
