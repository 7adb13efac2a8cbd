-- Databricks notebook source
-- MAGIC %md
-- MAGIC # Near-duplicates and freshness
-- MAGIC
-- MAGIC A self-join finds rows whose vectors are almost equal; we delete the copies, append new
-- MAGIC rows, look back at the table as it was through a tag, and run Iceberg's maintenance
-- MAGIC procedures on the indexed table. At every step the answer matches the snapshot asked
-- MAGIC about: the index is reused where it can be, rebuilt where it must be, never stale.

-- COMMAND ----------

-- DBTITLE 1,5,000 items, 61 of them copied with a tiny change
CREATE NAMESPACE IF NOT EXISTS lake.dedup;
DROP TABLE IF EXISTS lake.dedup.items;
DROP TABLE IF EXISTS lake.dedup.pairs;
CREATE TABLE lake.dedup.items (item_id BIGINT, vec ARRAY<FLOAT>) USING iceberg;
INSERT INTO lake.dedup.items
SELECT id, transform(sequence(0, 31), i -> CAST((abs(hash(id, i)) % 100000) / 100000.0 AS FLOAT))
FROM range(5000);
INSERT INTO lake.dedup.items
SELECT 100000 + item_id, transform(vec, x -> x + 0.001F) FROM lake.dedup.items
WHERE item_id % 83 = 5;
SELECT count(*) AS items, sum(CASE WHEN item_id >= 100000 THEN 1 ELSE 0 END) AS copies
FROM lake.dedup.items

-- COMMAND ----------

CALL lakeann.system.build_index(table => 'lake.dedup.items', column => 'vec', id => 'item_id')

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## The self-join
-- MAGIC Every item against the index of its own table, two neighbours each (the first is the item
-- MAGIC itself); a pair closer than the threshold (squared L2 below 0.001) is a near-duplicate.

-- COMMAND ----------

CREATE TABLE lake.dedup.pairs USING iceberg AS
SELECT qid AS kept, item_id AS copy, _distance AS distance
FROM ann_join(queries => TABLE(SELECT item_id AS qid, vec AS qvec FROM lake.dedup.items),
              query_column => 'qvec', table => 'lake.dedup.items', column => 'vec', k => 2)
WHERE item_id <> qid AND _distance < 0.001 AND qid < item_id;
SELECT count(*) AS pairs, max(distance) AS largest_distance FROM lake.dedup.pairs

-- COMMAND ----------

-- DBTITLE 1,Check: exactly the 61 copies, each with its original
SELECT assert_true(count(*) = 61 AND sum(CASE WHEN copy = 100000 + kept THEN 1 ELSE 0 END) = 61,
                   'the self-join did not find exactly the 61 copies') AS ok
FROM lake.dedup.pairs

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Tag the table, delete the copies, append new rows
-- MAGIC The tag `frozen` keeps the snapshot with the copies; the current table loses them and gains
-- MAGIC 100 new items.

-- COMMAND ----------

ALTER TABLE lake.dedup.items CREATE TAG frozen;
DELETE FROM lake.dedup.items WHERE item_id IN (SELECT copy FROM lake.dedup.pairs);
INSERT INTO lake.dedup.items
SELECT 200000 + id, transform(sequence(0, 31), i -> CAST((abs(hash(id, i, 7)) % 100000) / 100000.0 AS FLOAT))
FROM range(100);
SELECT count(*) AS items FROM lake.dedup.items

-- COMMAND ----------

-- DBTITLE 1,Now and then: the nearest item to a copied one
SELECT 'current' AS snapshot, item_id, _distance, _rank
FROM ann_search(table => 'lake.dedup.items', column => 'vec',
                query => (SELECT vec FROM lake.dedup.items WHERE item_id = 5), k => 2)
UNION ALL
SELECT 'tag frozen', item_id, _distance, _rank
FROM ann_search(table => 'lake.dedup.items', column => 'vec',
                query => (SELECT vec FROM lake.dedup.items WHERE item_id = 5), k => 2,
                consistency => 'frozen:tag:frozen')
ORDER BY snapshot, _rank

-- COMMAND ----------

-- DBTITLE 1,Check: no deleted copy now, the copy at the tag, the new rows found
SELECT assert_true(
         (SELECT count(*) FROM ann_join(
            queries => TABLE(SELECT item_id AS qid, vec AS qvec FROM lake.dedup.items
                             WHERE item_id % 83 = 5 OR item_id >= 200000),
            query_column => 'qvec', table => 'lake.dedup.items', column => 'vec', k => 3)
          WHERE item_id >= 100000 AND item_id < 200000) = 0,
         'a deleted copy came back') AS none_deleted,
       assert_true(
         (SELECT count(*) FROM ann_join(
            queries => TABLE(SELECT item_id AS qid, vec AS qvec FROM lake.dedup.items
                             WHERE item_id >= 200000),
            query_column => 'qvec', table => 'lake.dedup.items', column => 'vec', k => 1)
          WHERE item_id = qid) = 100,
         'an appended row was not found') AS new_rows_found,
       assert_true(
         (SELECT count(*) FROM ann_search(table => 'lake.dedup.items', column => 'vec',
            query => (SELECT vec FROM lake.dedup.items WHERE item_id = 5), k => 2,
            consistency => 'frozen:tag:frozen') WHERE item_id = 100005) = 1,
         'the copy is missing at the tag') AS copy_at_tag

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Maintenance on the indexed table
-- MAGIC `rewrite_data_files` compacts the files (every row now lives in a new file), then
-- MAGIC `expire_snapshots` drops old snapshots (the tag keeps its own) and `remove_orphan_files`
-- MAGIC lists files no snapshot reaches. The index of the current snapshot is then rebuilt where the
-- MAGIC rewrite moved rows, and checked.

-- COMMAND ----------

CALL lake.system.rewrite_data_files(table => 'dedup.items', options => map('rewrite-all', 'true'));
CALL lake.system.expire_snapshots(table => 'dedup.items', older_than => current_timestamp(),
                                  retain_last => 1);
CALL lake.system.remove_orphan_files(table => 'dedup.items', dry_run => true);
CALL lakeann.system.build_index(table => 'lake.dedup.items', column => 'vec', id => 'item_id')

-- COMMAND ----------

CALL lakeann.system.verify_index('lake.dedup.items', 'vec')

-- COMMAND ----------

-- DBTITLE 1,Check: after maintenance, still right
SELECT assert_true(count(*) = 0, 'a deleted copy came back after maintenance') AS ok
FROM ann_join(queries => TABLE(SELECT item_id AS qid, vec AS qvec FROM lake.dedup.items
                               WHERE item_id % 83 = 5),
              query_column => 'qvec', table => 'lake.dedup.items', column => 'vec', k => 3)
WHERE item_id >= 100000 AND item_id < 200000
