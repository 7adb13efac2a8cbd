// Databricks notebook source
// MAGIC %md
// MAGIC # Written from docs/sql.md only
// MAGIC A table, an index, a search, a closure that runs in tasks, a plot.

// COMMAND ----------

// MAGIC %sql
// MAGIC CREATE NAMESPACE IF NOT EXISTS lake.fresh;
// MAGIC DROP TABLE IF EXISTS lake.fresh.items;
// MAGIC CREATE TABLE lake.fresh.items (item_id BIGINT, vec ARRAY<FLOAT>) USING iceberg;
// MAGIC INSERT INTO lake.fresh.items
// MAGIC SELECT id, array(CAST(id AS FLOAT), CAST(id % 7 AS FLOAT)) FROM range(500)

// COMMAND ----------

// DBTITLE 1,Index it
// MAGIC %sql
// MAGIC CALL lakeann.system.build_index(table => 'lake.fresh.items', column => 'vec', id => 'item_id')

// COMMAND ----------

// DBTITLE 1,Search from Scala, check in Scala
val hits = spark.sql("""SELECT item_id, _distance FROM ann_search(table => 'lake.fresh.items',
  column => 'vec', query => array(10.0F, 3.0F), k => 3)""")
  .as[(Long, Double)].map { case (i, d) => (i * 1, d) }.collect()
println(hits.map(_._1).mkString(","))
assert(hits.head._1 == 10L, s"nearest of (10, 3) should be item 10, got ${hits.toList}")

// COMMAND ----------

val doubled = spark.range(5).map(_ * 2).collect().toList
assert(doubled == List(0L, 2L, 4L, 6L, 8L), doubled.toString)
display(spark.table("lake.fresh.items").limit(3))

// COMMAND ----------

import org.knowm.xchart.XYChartBuilder
val chart = new XYChartBuilder().width(400).height(300).title("items").build()
chart.addSeries("id vs id % 7", Array(1.0, 2.0, 3.0), Array(1.0, 2.0, 3.0))
display(chart)
displayHTML("<b>done</b>")

// COMMAND ----------

// MAGIC %python
// MAGIC print("not here")
