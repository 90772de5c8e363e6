# Disk used by 1,000,000 usage record IDs on SQLite (docs/performance.md, "De-duplication window: disk per million
# records"). Scratch file; the schema is the Initial migration's usage_records. Run: python3 sqlite_measure.py [FILE]
import sqlite3, uuid, os, random, sys
path = sys.argv[1] if len(sys.argv) > 1 else '/tmp/simlane-dedupe-ids.db'
for suffix in ('', '-wal', '-shm'):
    if os.path.exists(path + suffix): os.remove(path + suffix)
c = sqlite3.connect(path, isolation_level=None)
c.execute('PRAGMA journal_mode=WAL')
# The DDL of the Initial migration (SQLite): rowid table, primary key index, index on unixtime.
c.execute('CREATE TABLE usage_records (operator_id TEXT NOT NULL, record_id TEXT NOT NULL, imsi TEXT NOT NULL, unixtime INTEGER NOT NULL, accepted_time INTEGER NOT NULL, CONSTRAINT pk_usage_records PRIMARY KEY (operator_id, record_id))')
c.execute('CREATE INDEX ix_usage_records_unixtime ON usage_records (unixtime)')
N = 1_000_000
operators = ['OP%010d' % random.randrange(10**10) for _ in range(10)]
t0 = 1793502245
batch = 5000
for start in range(0, N, batch):
    rows = []
    for i in range(start, start + batch):
        # time advances with arrival (100 records per second), keys are random UUIDs like a gateway's
        rows.append((random.choice(operators), str(uuid.uuid4()), '00101%010d' % random.randrange(10**10), t0 + i // 100, (t0 + i // 100) * 1000 + 250))
    c.execute('BEGIN')
    c.executemany('INSERT INTO usage_records VALUES (?,?,?,?,?) ON CONFLICT (operator_id, record_id) DO NOTHING', rows)
    c.execute('COMMIT')
c.execute('PRAGMA wal_checkpoint(TRUNCATE)')
for name, in c.execute("SELECT name FROM sqlite_master WHERE tbl_name='usage_records'").fetchall():
    size = c.execute('SELECT sum(pgsize) FROM dbstat WHERE name=?', (name,)).fetchone()[0]
    print(f'{name}: {size/1e6:.1f} MB')
print(f'file: {os.path.getsize(path)/1e6:.1f} MB for {c.execute("SELECT count(*) FROM usage_records").fetchone()[0]} rows')
c.close()
for suffix in ('', '-wal', '-shm'):
    if os.path.exists(path + suffix): os.remove(path + suffix)
