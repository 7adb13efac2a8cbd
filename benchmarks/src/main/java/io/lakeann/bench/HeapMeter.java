package io.lakeann.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Heap in use after full collections, for measuring what an index keeps alive: read it before and
 * after a build while holding the index, and take the difference. Approximate (a few KB of noise);
 * meaningful for indexes of many MB.
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
}
