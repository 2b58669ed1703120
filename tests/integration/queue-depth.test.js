// The queue's page far down (issue 14): a page after a cursor reads about
// a page of index entries, whatever the depth, also while other
// connections read it at the same time. Without lib/domain/queue.c's
// page_index, MariaDB chose afresh on each execution between the keyset
// range and tickets_updated on workspace_id alone (their estimates both
// capped at half the table), and with two workers most executions walked
// every row from the top to the cursor. A private stack with two
// workers, so that the server's counters are this test's alone.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, signUp } = require('../lib/client');
const { sql, q } = require('../lib/db');
const { startStack, stackDir } = require('../lib/stack');

const TICKETS = 30000;
const DEEP = 5000;	// rows above the cursor
const numbers = (html) => [...html.matchAll(/<tr>\s*<td class="num">(\d+)<\/td>/g)].map((m) => Number(m[1]));

test('a page 5,000 rows deep reads a page of index entries, four at a time', async () => {
  const dir = stackDir();
  const stack = await startStack(dir, { workers: 2 });
  try {
    const agent = new Client({ base: stack.base });
    const { res, email } = await signUp(agent, { name: 'Deep Reader', confirm: false });
    assert.equal(res.status, 303);
    const slug = `deep-${process.pid}`;
    assert.equal((await agent.submit('/workspaces', '/workspaces', { name: 'Deep', slug })).status, 303);
    const [[ws]] = sql(`SELECT id FROM workspaces WHERE slug = ${q(slug)}`, dir);
    const [[uid]] = sql(`SELECT id FROM users WHERE email = ${q(email)}`, dir);
    // Open tickets a minute apart, the highest number most recently
    // updated; a few share a minute, so the cursor's id matters too.
    sql(`INSERT INTO tickets (workspace_id, number, subject, body, status, priority, requester_id,
        created_at, updated_at, public_updated_at)
      SELECT ${ws}, seq, CONCAT('Deep ticket ', seq), 'body', 2, 1 + seq % 4, ${uid},
        UTC_TIMESTAMP() - INTERVAL (${TICKETS} - seq DIV 2) MINUTE,
        UTC_TIMESTAMP() - INTERVAL (${TICKETS} - seq DIV 2) MINUTE,
        UTC_TIMESTAMP() - INTERVAL (${TICKETS} - seq DIV 2) MINUTE
      FROM seq_1_to_${TICKETS};
      INSERT INTO ticket_counts (workspace_id, status, n) VALUES (${ws}, 2, ${TICKETS});
      UPDATE workspaces SET next_number = ${TICKETS + 1} WHERE id = ${ws};
      ANALYZE TABLE tickets`, dir);
    const [[cursor]] = sql(`SET time_zone = '+00:00';
      SELECT CONCAT(UNIX_TIMESTAMP(updated_at), '.', id) FROM tickets WHERE workspace_id = ${ws}
      ORDER BY updated_at DESC, id DESC LIMIT 1 OFFSET ${DEEP - 1}`, dir);
    const path = `/w/${slug}/tickets?after=${cursor}`;

    // The right rows: the 25 after the cursor, newest first.
    const first = await agent.get(path);
    assert.equal(first.status, 200);
    const want = Array.from({ length: 25 }, (_, i) => TICKETS - DEEP - i);
    assert.deepEqual(numbers(first.body), want);

    // Read back from the top to the cursor (Handler_read_prev), per
    // request, with four clients at once on the two workers.
    const readPrev = () => Number(sql("SHOW GLOBAL STATUS LIKE 'Handler_read_prev'", dir)[0][1]);
    const N = 150;
    const before = readPrev();
    await Promise.all([0, 1, 2, 3].map(async () => {
      for (let i = 0; i < N; i++) {
        const r = await agent.get(path);
        assert.equal(r.status, 200);
      }
    }));
    const perRequest = (readPrev() - before) / (4 * N);
    // A page is 26 entries (25 and the next one's); walking from the
    // top would be 5,000.
    assert.ok(perRequest < 100, `${perRequest.toFixed(0)} index entries read back per request`);
  } finally {
    const crashes = await stack.stop();
    assert.deepEqual(crashes, [], `the private stack (${dir}) logged a crash`);
  }
});
