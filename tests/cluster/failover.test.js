// A database node goes away under the app: stopped cleanly, then killed
// with SIGKILL. App node A writes through database node 1 first
// (db_hosts): its workers find their connections dead, reconnect to the
// next node of db_hosts, and pages and writes go on. The node comes back
// by IST (the writes it missed, not a whole copy) and the cluster is three
// again.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { Client, signUp } = require('../lib/client');
const { uniqueSlug } = require('../lib/fixtures');
const { node, cluster, syncedSql, logLines, DIR } = require('./lib');

const A = () => node(1);

async function setUp() {
  const c = new Client({ base: A(), stackDir: DIR });
  await signUp(c);
  const slug = uniqueSlug('fo');
  const res = await c.submit('/workspaces', '/workspaces', { name: `Failover ${slug}`, slug });
  assert.equal(res.status, 303);
  return { c, slug };
}

async function ticket(c, slug, subject) {
  const res = await c.submit(`/w/${slug}/tickets/new`, `/w/${slug}/tickets/new`, { subject, body: 'x' });
  return res;
}

// The size each running node sees.
async function sizes(nodes) {
  const out = [];
  for (const n of nodes) out.push(await cluster('size', n));
  return out;
}

// db1's log since offset: how it rejoined.
function logSince(offset) {
  const text = fs.readFileSync(path.join(DIR, 'db1', 'mariadb.log'), 'utf8');
  return text.slice(offset);
}

for (const how of ['stop', 'kill']) {
  test(`database node 1 ${how === 'stop' ? 'stopped cleanly' : 'killed (SIGKILL)'}: app node A fails over, the node rejoins by IST`, async () => {
    // A node an earlier failure left down comes back first.
    if ((await cluster('size', 1)) === '') await cluster('db-start', 1);
    assert.deepEqual(await sizes([1, 2, 3]), ['3', '3', '3']);
    // A's workers connect to node 1 first (db_hosts) when they start:
    // start them afresh, so that they are on node 1 now, whatever an
    // earlier test moved them to.
    await cluster('app-kill', 1);
    await cluster('app-start', 1);
    const { c, slug } = await setUp();
    assert.equal((await ticket(c, slug, `before ${how}`)).status, 303);
    const nowOn = logLines(1, /db: now on/).length;

    await cluster(how === 'stop' ? 'db-stop' : 'db-kill', 1);
    const t0 = Date.now();
    // Reads and writes through A go on, on nodes 2 and 3. After a kill
    // the others wait a few seconds (evs timeouts) before they go on as
    // two: the writes wait, they do not fail.
    const made = [];
    for (let i = 0; i < 6; i++) {
      const res = await ticket(c, slug, `during ${how} ${i}`);
      assert.equal(res.status, 303, `ticket ${i} while node 1 is down (${res.status})`);
      made.push(res.headers.location);
      const page = await c.get(res.headers.location);
      assert.equal(page.status, 200);
    }
    console.log(`# ${how}: first writes done ${Date.now() - t0} ms after node 1 went`);
    assert.ok(logLines(1, /db: now on 127\.0\.0\.1:/).length > nowOn, 'A moved to another node');
    assert.deepEqual(await sizes([2, 3]), ['2', '2']);

    const offset = fs.statSync(path.join(DIR, 'db1', 'mariadb.log')).size;
    const t1 = Date.now();
    await cluster('db-start', 1);
    console.log(`# ${how}: node 1 back and synced in ${Date.now() - t1} ms`);
    const log = logSince(offset);
    // (The rsync script runs either way; it names the kind it did.)
    assert.match(log, /rsync IST completed on joiner/, 'node 1 caught up by IST');
    assert.doesNotMatch(log, /rsync SST completed on joiner/, 'no whole copy (SST)');
    assert.deepEqual(await sizes([1, 2, 3]), ['3', '3', '3']);
    // Node 1 has every write made while it was away.
    const rows = syncedSql(`SELECT COUNT(*) FROM tickets t JOIN workspaces w ON w.id = t.workspace_id
      WHERE w.slug = '${slug}' AND t.subject LIKE 'during ${how} %'`, 1);
    assert.equal(rows[0][0], '6');
    assert.equal((await ticket(c, slug, `after ${how}`)).status, 303);
  });
}
