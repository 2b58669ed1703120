// Migrations that move data, run on a database that holds some: a scratch
// database in the stack's MariaDB is brought to the migration before the
// one under test with the real migrate tool, filled, and migrated on.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const DIR = process.env.HD_STACK_DIR;
const BIN = path.resolve(ROOT, process.env.HD_BIN || path.join('build', 'bin'));

// As MariaDB's root (the stack's my.cnf), in database db when given.
function root(query, db) {
  const out = execFileSync('mariadb', [`--defaults-file=${path.join(DIR, 'my.cnf')}`,
    '--batch', '--skip-column-names', ...(db ? [db] : []), '-e', query], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

// A scratch database with the migrations of sql/ numbered below upto
// applied by build/bin/migrate; returns { db, migrate(n) }, where
// migrate(n) applies those up to n.
function scratch(upto) {
  const db = `hd_mig_${process.pid}_${Date.now().toString(36)}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-sql-'));
  root(`CREATE DATABASE ${db} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
        GRANT ALL PRIVILEGES ON ${db}.* TO 'helpdesk'@'localhost'`);
  const all = fs.readdirSync(path.join(ROOT, 'sql')).filter((f) => /^\d{3}-.*\.sql$/.test(f)).sort();
  const migrate = (n) => {
    for (const f of all.filter((x) => Number(x.slice(0, 3)) <= n)) {
      if (!fs.existsSync(path.join(dir, f))) fs.copyFileSync(path.join(ROOT, 'sql', f), path.join(dir, f));
    }
    execFileSync(path.join(BIN, 'migrate'), [], {
      env: { PATH: process.env.PATH, HELPDESK_CONFIG: path.join(DIR, 'helpdesk.conf'),
        HELPDESK_DB_NAME: db, HELPDESK_SQL_DIR: dir },
      encoding: 'utf8',
    });
  };
  migrate(upto - 1);
  const done = () => { root(`DROP DATABASE ${db}`); fs.rmSync(dir, { recursive: true, force: true }); };
  return { db, dir, migrate, done };
}

// 007: a blob shared by two workspaces becomes one copy each, chunks and
// all; dedup within a workspace stays; an orphan goes; downloads still
// find their bytes.
test('007 splits blobs shared between workspaces into one copy per workspace', (t) => {
  const s = scratch(7);
  t.after(s.done);
  const sql = (query) => root(query, s.db);
  const X = "SHA2('x', 256)"; const Y = "SHA2('y', 256)"; const Z = "SHA2('z', 256)"; const E = "SHA2('', 256)";
  sql(`INSERT INTO workspaces (id, slug, name, created_at, updated_at) VALUES
         (1, 'one', 'One', NOW(), NOW()), (2, 'two', 'Two', NOW(), NOW()), (3, 'three', 'Three', NOW(), NOW());
       INSERT INTO tickets (id, workspace_id, number, subject, body, requester_id, created_at, updated_at, public_updated_at) VALUES
         (10, 1, 1, 's', 'b', 1, NOW(), NOW(), NOW()), (20, 2, 1, 's', 'b', 1, NOW(), NOW(), NOW());
       INSERT INTO blobs (sha256, size, created_at) VALUES
         (UNHEX(${X}), 7, '2026-01-02 03:04:05'), (UNHEX(${Y}), 3, NOW()),
         (UNHEX(${Z}), 1, NOW()), (UNHEX(${E}), 0, NOW());
       INSERT INTO blob_chunks (sha256, seq, data) VALUES
         (UNHEX(${X}), 0, 'abcd'), (UNHEX(${X}), 1, 'efg'), (UNHEX(${Y}), 0, 'yyy'), (UNHEX(${Z}), 0, 'z');
       INSERT INTO attachments (workspace_id, ticket_id, uploader_id, filename, content_type, size, sha256, created_at) VALUES
         (1, 10, 1, 'x1', 'text/plain', 7, UNHEX(${X}), NOW()),
         (2, 20, 1, 'x2', 'text/plain', 7, UNHEX(${X}), NOW()),
         (2, 20, 1, 'x2-again', 'text/plain', 7, UNHEX(${X}), NOW()),
         (1, 10, 1, 'y1', 'text/plain', 3, UNHEX(${Y}), NOW()),
         (1, 10, 1, 'y1-again', 'text/plain', 3, UNHEX(${Y}), NOW()),
         (2, 20, 1, 'e2', 'text/plain', 0, UNHEX(${E}), NOW())`);

  s.migrate(7);

  const name = `CASE sha256 WHEN UNHEX(${X}) THEN 'x' WHEN UNHEX(${Y}) THEN 'y' WHEN UNHEX(${Z}) THEN 'z' WHEN UNHEX(${E}) THEN 'e' END`;
  assert.deepEqual(sql(`SELECT workspace_id, ${name}, size, created_at FROM blobs ORDER BY 1, 2`).map((r) => r.slice(0, 3)), [
    ['1', 'x', '7'], ['1', 'y', '3'], ['2', 'e', '0'], ['2', 'x', '7'],
  ], 'one blob per workspace that uses it; the orphan z is gone');
  assert.deepEqual(sql(`SELECT DISTINCT created_at FROM blobs WHERE sha256 = UNHEX(${X})`), [['2026-01-02 03:04:05']]);
  assert.deepEqual(sql(`SELECT workspace_id, ${name}, seq, data FROM blob_chunks ORDER BY 1, 2, 3`), [
    ['1', 'x', '0', 'abcd'], ['1', 'x', '1', 'efg'], ['1', 'y', '0', 'yyy'],
    ['2', 'x', '0', 'abcd'], ['2', 'x', '1', 'efg'],
  ], 'each copy has every chunk');
  // Every attachment finds its bytes in its own workspace, as the
  // download does.
  assert.deepEqual(sql(`SELECT a.filename, GROUP_CONCAT(c.data ORDER BY c.seq SEPARATOR '')
                        FROM attachments a JOIN blobs b ON b.workspace_id = a.workspace_id AND b.sha256 = a.sha256
                        LEFT JOIN blob_chunks c ON c.workspace_id = b.workspace_id AND c.sha256 = b.sha256
                        GROUP BY a.id ORDER BY a.id`), [
    ['x1', 'abcdefg'], ['x2', 'abcdefg'], ['x2-again', 'abcdefg'], ['y1', 'yyy'], ['y1-again', 'yyy'], ['e2', 'NULL'],
  ]);
  assert.deepEqual(sql("SHOW TABLES LIKE 'blob%'"), [['blob_chunks'], ['blobs']], 'no table left behind');
  assert.deepEqual(sql(`SELECT GROUP_CONCAT(column_name ORDER BY seq_in_index) FROM information_schema.statistics
                        WHERE table_schema = DATABASE() AND table_name = 'attachments' AND index_name = 'attachments_blob'`),
  [['workspace_id,sha256']]);
});

// A migration may take longer than a program waits for a statement
// (db_read_timeout): a table rebuilt at a million tickets took minutes,
// and 027 ended half-applied under the 30 s timeout. The migrate tool
// waits as long as it takes.
test('a migration slower than db_read_timeout is applied whole', (t) => {
  const s = scratch(1);
  t.after(s.done);
  fs.writeFileSync(path.join(s.dir, '998-slow.sql'), 'DO SLEEP(3);\nCREATE TABLE slow_done (id INT PRIMARY KEY);\n');
  const out = execFileSync(path.join(BIN, 'migrate'), [], {
    env: { PATH: process.env.PATH, HELPDESK_CONFIG: path.join(DIR, 'helpdesk.conf'),
      HELPDESK_DB_NAME: s.db, HELPDESK_SQL_DIR: s.dir, HELPDESK_DB_READ_TIMEOUT: '1' },
    encoding: 'utf8',
  });
  assert.match(out, /1 applied/);
  assert.deepEqual(root("SHOW TABLES LIKE 'slow_done'", s.db), [['slow_done']]);
  assert.deepEqual(root("SELECT version FROM schema_migrations WHERE version = '998'", s.db), [['998']]);
});
