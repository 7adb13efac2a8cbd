package io.lakeann.core.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeann.core.InvalidRequestException;
import org.junit.jupiter.api.Test;

/** The JVM's cache and its budget property {@value IndexCache#BUDGET_PROPERTY}. */
class GlobalCacheTest {

  @Test
  void budgetPropertyTakesBytesOrBinaryUnits() {
    assertEquals(4096, IndexCache.configuredBudget("4096", 1L << 40));
    assertEquals(1024, IndexCache.configuredBudget(" 1k ", 1L << 40));
    assertEquals(512L << 20, IndexCache.configuredBudget("512m", 1L << 40));
    assertEquals(4L << 30, IndexCache.configuredBudget("4G", 1L << 40));
    assertEquals(2L << 40, IndexCache.configuredBudget("2t", 1L << 40));
    assertEquals(0, IndexCache.configuredBudget("0", 1L << 40));
  }

  @Test
  void unsetBudgetIsAQuarterOfTheMaxHeap() {
    assertEquals(1L << 30, IndexCache.configuredBudget(null, 4L << 30));
  }

  @Test
  void malformedBudgetIsRefusedNamingPropertyValueAndForm() {
    for (String bad : new String[] {"", "lots", "-1", "1.5g", "4gb", "9999999999t"}) {
      InvalidRequestException refused = assertThrows(InvalidRequestException.class,
          () -> IndexCache.configuredBudget(bad, 1L << 30), bad);
      assertEquals("Invalid lakeann.cache.bytes: '" + bad
          + "' (must be a byte count such as 1073741824, 512m or 4g)", refused.getMessage());
    }
  }

  @Test
  void globalCacheIsOneInstanceWithTheConfiguredBudget() {
    IndexCache<Object> cache = IndexCache.global();
    assertSame(cache, IndexCache.global());
    long expected = IndexCache.configuredBudget(
        System.getProperty(IndexCache.BUDGET_PROPERTY), Runtime.getRuntime().maxMemory());
    assertEquals(expected, cache.stats().budgetBytes());
  }
}
