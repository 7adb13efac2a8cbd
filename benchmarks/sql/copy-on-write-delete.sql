-- A copy-on-write DELETE of 1% of a 300,000-row format v3 table, then two ANN joins of 2,000
-- queries (cold, warm) through the index built before it. Run on a fresh warehouse:
--   rm -rf /tmp/cowwh && bin/lakeann --warehouse /tmp/cowwh sql -f benchmarks/sql/copy-on-write-delete.sql
-- Vectors: 1,000 clusters (hash of id % 1000) plus 5% noise (hash of id), 128 dimensions.
CREATE TABLE lake.db.cow (doc_id BIGINT NOT NULL, embedding ARRAY<FLOAT>) USING iceberg
  TBLPROPERTIES ('format-version'='3', 'write.delete.mode'='copy-on-write');
INSERT INTO lake.db.cow SELECT id, transform(sequence(0, 127),
  i -> CAST(pmod(hash(id % 1000, i), 1000003) / 1000003.0
    + 0.05 * pmod(hash(id, i), 1000003) / 1000003.0 AS FLOAT)) FROM range(0, 300000);
CREATE TABLE lake.db.cowq (qid BIGINT NOT NULL, qvec ARRAY<FLOAT>) USING iceberg;
INSERT INTO lake.db.cowq SELECT id, transform(sequence(0, 127),
  i -> CAST(pmod(hash(id % 1000, i), 1000003) / 1000003.0
    + 0.05 * pmod(hash(id + 7777777, i), 1000003) / 1000003.0 AS FLOAT)) FROM range(0, 2000);
CALL lakeann.system.build_index(table => 'lake.db.cow', column => 'embedding', id => 'doc_id');
DELETE FROM lake.db.cow WHERE doc_id % 100 = 0;
CALL lakeann.system.ann_join(queries => 'lake.db.cowq', query_column => 'qvec', query_id => 'qid',
  table => 'lake.db.cow', column => 'embedding', k => 10, output => 'lake.db.cowout');
CALL lakeann.system.ann_join(queries => 'lake.db.cowq', query_column => 'qvec', query_id => 'qid',
  table => 'lake.db.cow', column => 'embedding', k => 10, output => 'lake.db.cowout');
CALL lakeann.system.index_status('lake.db.cow');
