// Prepared statements outlive nothing that reads them (issue 7, item 1):
// lib/db under valgrind against this stack's MariaDB, and a worker that
// one user made prepare every statement text the queue can build.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { Client, signUp } = require('../lib/client');
const { sql, q } = require('../lib/db');
const { startStack, stackDir } = require('../lib/stack');

const REPO = path.resolve(__dirname, '..', '..');

test('lib/db under valgrind: results stay readable while the cache fills, the link drops, the same SQL nests', () => {
  const bin = path.join(REPO, 'build', 'tests', 'stmt_lifetime');
  let out;
  try {
    out = execFileSync('valgrind', ['-q', '--error-exitcode=99', '--leak-check=full',
      '--errors-for-leak-kinds=definite', bin], {
      env: { ...process.env, HELPDESK_CONFIG: path.join(process.env.HD_STACK_DIR, 'helpdesk.conf') },
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    assert.fail(`stmt_lifetime failed (exit ${e.status}):\n${e.stdout}\n${String(e.stderr).slice(-4000)}`);
  }
  assert.match(out, /stmt_lifetime: ok/);
});

// Every statement text the queue can assemble for an agent: each optional
// fragment on or off (lib/domain/queue.c), its page and its count.
function queueVariants(slug) {
  const out = [];
  const sorts = [[], [['sort', 'updated'], ['after', '1.1']], [['sort', 'created']],
    [['sort', 'created'], ['after', '5']], [['sort', 'priority']],
    [['sort', 'priority'], ['after', '1.1.1']],
    // The page before a cursor (issue 13): read in reverse.
    [['sort', 'updated'], ['before', '1.1']], [['sort', 'created'], ['before', '5']],
    [['sort', 'priority'], ['before', '1.1.1']]];
  for (const tag of [[], [['tag', 'x']]])
    for (const qq of [[], [['q', 'word']], [['q', '42']]])
      for (const st of [[], [['status', 'open']]])
        for (const pr of [[], [['priority', 'high']]])
          for (const as of [[], [['assignee', 'none']], [['assignee', 'me']]])
            for (const rq of [[], [['requester', '5']]])
              for (const so of sorts) {
                const p = new URLSearchParams([...tag, ...qq, ...st, ...pr, ...as, ...rq, ...so]);
                out.push(`/w/${slug}/tickets?${p}`);
              }
  return out;
}

test('a worker survives a request after one user has sent every queue variant', async () => {
  const dir = stackDir();
  // Freed memory filled with a pattern (glibc, or ASan's allocator in the
  // sanitizer build): reading a closed statement then crashes for sure,
  // where it might otherwise read stale but plausible bytes.
  const stack = await startStack(dir, {
    workers: 1,
    env: {
      MALLOC_PERTURB_: '165',
      GLIBC_TUNABLES: 'glibc.malloc.tcache_count=0', // tcache'd chunks are not filled
      ASAN_OPTIONS: [process.env.ASAN_OPTIONS, 'max_free_fill_size=4096', 'free_fill_byte=165']
        .filter(Boolean).join(':'),
    },
  });
  try {
    const agent = new Client({ base: stack.base });
    const { res, email } = await signUp(agent, { name: 'Filter Fan' });
    assert.equal(res.status, 303);
    const slug = `stmts-${process.pid}`;
    assert.equal((await agent.submit('/workspaces', '/workspaces', { name: 'Stmts', slug })).status, 303);
    const uid = sql(`SELECT id FROM users WHERE email = ${q(email)}`, dir)[0][0];
    // What the server holds prepared: the tickets worker adds to it alone
    // from here on (one worker; no other program is asked).
    const prepared = () => Number(sql(`UPDATE sessions SET last_seen_at = UTC_TIMESTAMP() WHERE user_id = ${uid};
      SHOW GLOBAL STATUS LIKE 'Prepared_stmt_count'`, dir)[0][1]);
    const base = prepared();
    const worker = stack.workers('tickets');
    assert.equal(worker.length, 1);

    // The old cache emptied itself at 768 statements, closing the one
    // whose result session_load was still reading. Stop there, exactly,
    // if the worker ever holds that many (today it cannot).
    const urls = queueVariants(slug);
    assert.ok(urls.length > 800, `${urls.length} variants`);
    let held = 0;
    for (let i = 0; i < urls.length;) {
      const step = held < 740 ? 16 : 1;
      const batch = urls.slice(i, i + step);
      const got = await Promise.all(batch.map((u) => agent.get(u)));
      for (const g of got) assert.equal(g.status, 200);
      i += batch.length;
      held = prepared() - base;
      if (held >= 768) break;
    }
    // A minute later: the next request writes last_seen_at while the
    // session's SELECT result is open.
    sql(`UPDATE sessions SET last_seen_at = UTC_TIMESTAMP() - INTERVAL 120 SECOND WHERE user_id = ${uid}`, dir);
    const after = await agent.get(`/w/${slug}/tickets`);
    assert.equal(after.status, 200);
    assert.deepEqual(stack.workers('tickets'), worker, 'the same worker, alive');
    const seen = sql(`SELECT TIMESTAMPDIFF(SECOND, MAX(last_seen_at), UTC_TIMESTAMP()) FROM sessions WHERE user_id = ${uid}`, dir)[0][0];
    assert.ok(Number(seen) < 60, 'last_seen_at was written');
    // The worker holds a bounded set, whatever the URLs.
    assert.ok(held <= 300, `the tickets worker holds ${held} prepared statements`);
  } finally {
    const crashes = await stack.stop();
    assert.deepEqual(crashes, [], `the private stack (${dir}) logged a crash`);
  }
});
