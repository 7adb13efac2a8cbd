package io.lakeann.spark;

/**
 * A block of query vectors with their query ids: the unit each (block, shard) task searches.
 *
 * @param qids the queries' ids (row numbers the join gave them)
 * @param vectors their vectors, row by row
 */
record QueryBlock(long[] qids, float[][] vectors) implements java.io.Serializable {}
