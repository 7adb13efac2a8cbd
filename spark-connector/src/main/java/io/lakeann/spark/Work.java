package io.lakeann.spark;

/**
 * One piece of the index a join searches: shard {@code index} of the bundle, or (when
 * {@code delta}) group {@code index} of the rows added since the bundle, searched exactly.
 */
record Work(boolean delta, int index) implements java.io.Serializable {
  @Override
  public String toString() {
    return (delta ? "delta " : "shard ") + index;
  }
}
