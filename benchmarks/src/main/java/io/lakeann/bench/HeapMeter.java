package io.lakeann.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * Heap in use after full collections, for measuring what an index keeps alive: read it before and
 * after a build while holding the index, and take the difference. Approximate (a few KB of noise);
 * meaningful for indexes of many MB. Also the heap's peak over a stretch of work.
 */
final class HeapMeter {
  private static final int COLLECTIONS = 3;

  private HeapMeter() {}

  /** Used heap bytes after {@value #COLLECTIONS} requested full collections. */
  static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < COLLECTIONS; i++) {
      System.gc();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while measuring the heap", e);
      }
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** Starts a stretch of work from a collected heap: every heap pool's peak is reset. */
  static void resetPeak() {
    usedAfterGc();
    heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  /**
   * The heap's peak since {@link #resetPeak}: the sum of each heap pool's peak, an upper bound
   * (the pools may have peaked at different moments).
   */
  static long peakSinceReset() {
    return heapPools().stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
  }

  private static List<MemoryPoolMXBean> heapPools() {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP && p.isValid()).toList();
  }
}
