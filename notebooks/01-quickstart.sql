-- Databricks notebook source
-- MAGIC %md
-- MAGIC # lakeann quickstart, in SQL only
-- MAGIC
-- MAGIC Index a table of embeddings, search it for one vector, join a table of queries against it,
-- MAGIC then change the table and search again: the answer follows the table, never a stale index.
-- MAGIC Every step is a SQL statement, so the same cells run from PySpark through `spark.sql(...)`.
-- MAGIC
-- MAGIC The session needs lakeann's runtime jar and two settings (`bin/lakeann notebook` makes them):
-- MAGIC `spark.sql.extensions=...,io.lakeann.sql.LakeAnnSparkSessionExtensions` and
-- MAGIC `spark.sql.catalog.lakeann=io.lakeann.sql.LakeAnnCatalog`. Tables live in the Iceberg
-- MAGIC catalog `lake`; on your cluster, put your own catalog's name there.

-- COMMAND ----------

-- DBTITLE 1,A table of 20,000 embeddings (32 dimensions, 20 topics)
CREATE NAMESPACE IF NOT EXISTS lake.demo;
DROP TABLE IF EXISTS lake.demo.docs;
CREATE TABLE lake.demo.docs (doc_id BIGINT, topic INT, embedding ARRAY<FLOAT>) USING iceberg;
INSERT INTO lake.demo.docs
SELECT id, CAST(id % 20 AS INT),
       transform(sequence(0, 31),
                 i -> CAST(sin((id % 20) * 7 + i) + (abs(hash(id, i)) % 1000) / 2000.0 AS FLOAT))
FROM range(20000);
SELECT count(*) AS rows, count(DISTINCT topic) AS topics FROM lake.demo.docs

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Build the index
-- MAGIC One Spark task per shard builds a RaBitQ index; the index is published beside the table's
-- MAGIC current snapshot, as a Puffin statistics file of that snapshot.

-- COMMAND ----------

CALL lakeann.system.build_index(table => 'lake.demo.docs', column => 'embedding', id => 'doc_id')

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Search for one vector
-- MAGIC `ann_search` returns the table's columns plus `_distance`, `_rank` and the snapshot it
-- MAGIC answered on. `recall => 0.95` is the default target; the index decides how much to probe.

-- COMMAND ----------

SELECT doc_id, topic, _distance, _rank
FROM ann_search(table => 'lake.demo.docs', column => 'embedding',
                query => (SELECT embedding FROM lake.demo.docs WHERE doc_id = 42), k => 5)

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Join a table of queries
-- MAGIC Forty query vectors (existing rows, slightly moved), the ten nearest rows of each, and
-- MAGIC the recall of that answer against the exact one computed with `vector_l2_distance`.

-- COMMAND ----------

DROP TABLE IF EXISTS lake.demo.questions;
CREATE TABLE lake.demo.questions USING iceberg AS
SELECT doc_id AS qid, transform(embedding, x -> x + 0.01F) AS qvec
FROM lake.demo.docs WHERE doc_id % 500 = 11;
CREATE OR REPLACE TEMPORARY VIEW ann AS
SELECT qid, doc_id, _distance, _rank
FROM ann_join(queries => TABLE(lake.demo.questions), query_column => 'qvec',
              table => 'lake.demo.docs', column => 'embedding', k => 10);
CREATE OR REPLACE TEMPORARY VIEW exact AS
SELECT qid, doc_id FROM (
  SELECT q.qid, d.doc_id,
         row_number() OVER (PARTITION BY q.qid
                            ORDER BY vector_l2_distance(q.qvec, d.embedding), d.doc_id) AS r
  FROM lake.demo.questions q CROSS JOIN lake.demo.docs d)
WHERE r <= 10;
SELECT count(DISTINCT a.qid) AS queries, count(*) / 400.0 AS recall_at_10
FROM ann a JOIN exact e ON a.qid = e.qid AND a.doc_id = e.doc_id

-- COMMAND ----------

-- DBTITLE 1,Check: recall@10 at least 0.9
SELECT assert_true(count(*) / 400.0 >= 0.9, 'recall@10 of the join is below 0.9') AS ok
FROM ann a JOIN exact e ON a.qid = e.qid AND a.doc_id = e.doc_id

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Change the table, search again
-- MAGIC Delete the topic the queries come from, and insert a copy of each query as a new row,
-- MAGIC without touching the index. The next join runs on the new snapshot: the index masks the
-- MAGIC deleted rows and an exact pass covers the new ones, so each query's nearest row is now
-- MAGIC its own copy, and no deleted row comes back.

-- COMMAND ----------

DELETE FROM lake.demo.docs WHERE topic = 11;
INSERT INTO lake.demo.docs SELECT 100000 + qid, 11, qvec FROM lake.demo.questions;
CREATE OR REPLACE TEMPORARY VIEW ann_after AS
SELECT qid, doc_id, topic, _distance, _rank
FROM ann_join(queries => TABLE(lake.demo.questions), query_column => 'qvec',
              table => 'lake.demo.docs', column => 'embedding', k => 10);
SELECT * FROM ann_after WHERE qid = 11 ORDER BY _rank

-- COMMAND ----------

-- DBTITLE 1,Check: no deleted row comes back; every query finds its new copy first
SELECT assert_true(sum(CASE WHEN doc_id < 100000 AND topic = 11 THEN 1 ELSE 0 END) = 0,
                   'a deleted row came back') AS none_deleted,
       assert_true(sum(CASE WHEN _rank = 1 AND doc_id = 100000 + qid THEN 1 ELSE 0 END) = 40,
                   'a query did not find its inserted copy first') AS new_rows_found
FROM ann_after

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## What serves the table now
-- MAGIC `index_status` shows the index, the snapshot it describes, and whether a refresh is due.

-- COMMAND ----------

CALL lakeann.system.index_status('lake.demo.docs')
