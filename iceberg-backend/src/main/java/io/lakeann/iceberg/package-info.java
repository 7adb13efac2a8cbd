/**
 * Iceberg layer of lakeann: reads the vectors of one snapshot with row-level deletes applied,
 * plans shards from data files, publishes rbpx bundles as Puffin statistics of their snapshot and
 * answers searches on any snapshot without ever returning a row that snapshot does not hold.
 * No Spark types.
 */
package io.lakeann.iceberg;
