-- Disk used by 1,000,000 usage record IDs on PostgreSQL (docs/performance.md, "De-duplication window: disk per million
-- records"). Creates and drops the scratch database dedupe_measure; the schema is the Initial migration's usage_records.
-- Run: psql 'host=127.0.0.1 port=5433 user=postgres dbname=postgres' -f postgres_measure.sql
DROP DATABASE IF EXISTS dedupe_measure;
CREATE DATABASE dedupe_measure;
\c dedupe_measure
CREATE TABLE usage_records (operator_id text NOT NULL, record_id text NOT NULL, imsi text NOT NULL, unixtime bigint NOT NULL, accepted_time bigint NOT NULL, CONSTRAINT pk_usage_records PRIMARY KEY (operator_id, record_id));
CREATE INDEX ix_usage_records_unixtime ON usage_records (unixtime);
DO $$
BEGIN
  FOR b IN 0..199 LOOP
    INSERT INTO usage_records
      SELECT 'OP' || lpad((floor(random() * 10))::int::text, 10, '0'), gen_random_uuid()::text,
             '00101' || lpad((floor(random() * 1e10))::bigint::text, 10, '0'),
             1793502245::bigint + (b * 5000 + i) / 100, (1793502245::bigint + (b * 5000 + i) / 100) * 1000 + 250
      FROM generate_series(0, 4999) AS i
      ON CONFLICT (operator_id, record_id) DO NOTHING;
    COMMIT;
  END LOOP;
END $$;
VACUUM ANALYZE usage_records;
SELECT count(*) AS rows,
       pg_size_pretty(pg_relation_size('usage_records')) AS heap,
       pg_size_pretty(pg_relation_size('pk_usage_records')) AS pk,
       pg_size_pretty(pg_relation_size('ix_usage_records_unixtime')) AS ix_unixtime,
       pg_total_relation_size('usage_records') AS total_bytes,
       pg_size_pretty(pg_total_relation_size('usage_records')) AS total
FROM usage_records;
\c postgres
DROP DATABASE dedupe_measure;
