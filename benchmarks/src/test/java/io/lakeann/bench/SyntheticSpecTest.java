package io.lakeann.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.spark.cli.UsageException;
import org.junit.jupiter.api.Test;

class SyntheticSpecTest {

  @Test
  void parsesEveryKeyAndDefaultsTheSpread() {
    SyntheticSpec spec = SyntheticSpec.parse("n=1000000,dim=128,clusters=1000,queries=1000,seed=7");
    assertEquals(new SyntheticSpec(1_000_000, 128, 1000, 1000, 7, SyntheticSpec.DEFAULT_SPREAD),
        spec);
    assertEquals("synthetic-n1000000-dim128-clusters1000-seed7", spec.datasetName());
  }

  @Test
  void aNonDefaultSpreadIsPartOfTheName() {
    SyntheticSpec spec = SyntheticSpec.parse("n=10,dim=4,clusters=2,queries=3,seed=-1,spread=0.5");
    assertEquals(0.5f, spec.spread());
    assertEquals("synthetic-n10-dim4-clusters2-seed-1-spread0_5", spec.datasetName());
  }

  @Test
  void aMissingKeyIsNamedWithAnExample() {
    UsageException e = assertThrows(UsageException.class,
        () -> SyntheticSpec.parse("n=10,dim=4,clusters=2,seed=1"));
    assertEquals("--synthetic n=10,dim=4,clusters=2,seed=1: missing key 'queries'; write it like"
        + " n=1000000,dim=128,clusters=1000,queries=1000,seed=7", e.getMessage());
  }

  @Test
  void badValuesAndUnknownKeysAreNamed() {
    assertEquals("--synthetic n=0,dim=4,clusters=2,queries=3,seed=1: n=0 is not a whole number"
        + " >= 1", assertThrows(UsageException.class,
            () -> SyntheticSpec.parse("n=0,dim=4,clusters=2,queries=3,seed=1")).getMessage());
    assertTrue(assertThrows(UsageException.class,
        () -> SyntheticSpec.parse("n=1,dims=4,clusters=2,queries=3,seed=1")).getMessage()
        .contains("unknown key 'dims'"));
    assertTrue(assertThrows(UsageException.class,
        () -> SyntheticSpec.parse("n=1,dim=4,clusters=2,queries=3,seed")).getMessage()
        .contains("'seed' is not key=value"));
    assertTrue(assertThrows(UsageException.class,
        () -> SyntheticSpec.parse("n=1,dim=4,clusters=2,queries=3,seed=1,spread=-2")).getMessage()
        .contains("spread=-2 is not a number > 0"));
  }

  @Test
  void tooManyFloatsForOneArrayAreRefused() {
    assertTrue(assertThrows(UsageException.class,
        () -> SyntheticSpec.parse("n=100000000,dim=128,clusters=2,queries=3,seed=1"))
        .getMessage().contains("do not fit one Java array"));
  }
}
