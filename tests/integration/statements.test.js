// Prepared statements outlive nothing that reads them (issue 7, item 1):
// lib/db under valgrind against this stack's MariaDB, and a worker that
// one user made prepare every statement text the queue can build.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
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

// ---- statements per page (issue 14) ---------------------------------------------
//
// Every request line of app.log says how many statements the request ran
// (sql=N, lib/web/server.c). The pages below are held to their counts, so
// that a statement added to them is seen here, not in the next benchmark.

// The sql=N of the next request line for path in dir's app.log after
// offset (the line is written after the response: wait for it).
async function loggedStatements(dir, offset, method, pathname) {
  const log = path.join(dir, 'log', 'app.log');
  for (let i = 0; i < 200; i++) {
    const text = fs.readFileSync(log, 'utf8').slice(offset);
    for (const line of text.split('\n')) {
      const m = line.match(/ req (\S+) (\S+) (\d+) \S+ sql=(\d+) /);
      if (m && m[1] === method && m[2] === pathname) return { status: Number(m[3]), sql: Number(m[4]) };
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no request line for ${method} ${pathname}`);
}

// GETs p as client: the page and how many statements it ran.
async function counted(dir, client, p) {
  const offset = fs.statSync(path.join(dir, 'log', 'app.log')).size;
  const res = await client.get(p);
  const line = await loggedStatements(dir, offset, 'GET', p.split('?')[0]);
  assert.equal(line.status, res.status);
  return { res, sql: line.sql };
}

// The names in the ticket page's assignee list.
function assigneeNames(body) {
  const m = body.match(/<select id="t-assignee" name="assignee">([\s\S]*?)<\/select>/);
  assert.ok(m, 'the page has the assignee list');
  return [...m[1].matchAll(/<option value="\d+"[^>]*>([^<]*)<\/option>/g)].map((x) => x[1]).sort();
}

// A private stack (one worker per program, so the tickets worker that
// keeps the assignee list is always the one asked), an admin, an agent and
// a requester of one workspace, and a ticket of the requester's.
async function desk(t) {
  const dir = stackDir();
  const stack = await startStack(dir, { workers: 1 });
  t.after(async () => {
    const crashes = await stack.stop();
    assert.deepEqual(crashes, [], `the private stack (${dir}) logged a crash`);
  });
  const people = {};
  for (const role of ['admin', 'agent', 'requester']) {
    const c = new Client({ base: stack.base, stackDir: dir });
    const name = `${role[0].toUpperCase()}${role.slice(1)} Person`;
    const { res, email } = await signUp(c, { name });
    assert.equal(res.status, 303);
    people[role] = { c, name, email, id: Number(sql(`SELECT id FROM users WHERE email = ${q(email)}`, dir)[0][0]) };
  }
  const slug = `per-page-${process.pid}`;
  const { admin, agent, requester } = people;
  assert.equal((await admin.c.submit('/workspaces', '/workspaces', { name: 'Per Page', slug })).status, 303);
  for (const role of ['agent', 'requester']) {
    const res = await admin.c.submit(`/w/${slug}/admin/members`, `/w/${slug}/admin/members/invite`,
      { email: people[role].email, role });
    const link = res.body.match(/id="invite-link"[^>]* value="(?:https?:\/\/[^/"]+)?(\/invite\/[0-9a-f]{64})"/)[1];
    assert.equal((await people[role].c.submit(link, link, {})).status, 303);
  }
  await requester.c.get(`/w/${slug}/tickets/new`);
  const made = await requester.c.post(`/w/${slug}/tickets/new`, { subject: 'Printer', body: 'It jams.' });
  assert.equal(made.status, 303);
  const ticket = made.headers.location;
  // A thread with comments of both sides and a status change.
  for (const who of [agent, requester, agent]) {
    await who.c.get(ticket);
    assert.equal((await who.c.post(`${ticket}/comments`, { body: `From ${who.name}` })).status, 303);
  }
  await agent.c.get(ticket);
  assert.equal((await agent.c.post(ticket, { status: 'pending', priority: 'normal', assignee: 'none',
    version: agent.c.lastBody.match(/name="version" value="(\d+)"/)[1] })).status, 303);
  return { dir, stack, slug, ticket, ...people };
}

test('statements per page: queue 3, ticket 3 (4 for an admin), My tickets 3; the assignee list is kept per worker', async (t) => {
  const d = await desk(t);
  const queue = `/w/${d.slug}/tickets`;
  const seen = {};
  const shown = (await d.agent.c.get(d.ticket)).body;
  // The thread, one statement, in time order: the three replies, then the
  // status change (at the same second, a comment comes first).
  const at = (re, from = 0) => {
    const i = shown.slice(from).search(re);
    assert.ok(i >= 0, `${re} after ${from}`);
    return from + i;
  };
  const r1 = at(/From Agent Person/);
  const r2 = at(/From Requester Person/, r1);
  const r3 = at(/From Agent Person/, r2 + 1);
  at(/<p class="event muted">Agent Person changed status from <em>open<\/em> to <em>pending<\/em>/i, r3);
  assert.deepEqual(assigneeNames(shown), ['Admin Person', 'Agent Person']);
  for (const [name, client, p] of [
    ['agent queue', d.agent.c, queue],
    ['agent queue, one status', d.agent.c, `${queue}?status=pending`],
    ['agent ticket', d.agent.c, d.ticket],
    ['admin ticket', d.admin.c, d.ticket],
    ['requester My tickets', d.requester.c, queue],
    ['requester ticket', d.requester.c, d.ticket],
    ['workspace list', d.agent.c, '/workspaces'],
  ]) {
    const { res, sql: n } = await counted(d.dir, client, p);
    assert.equal(res.status, 200, name);
    seen[name] = n;
  }
  // Session with membership, the ticket, its thread (comments and events
  // in one), the assignee list kept by the worker since the agent's
  // triage; an admin's also asks for legal holds. No attachments
  // statement for a ticket without files. The queue: session with
  // membership, the page, the status counts (which also give the total).
  assert.deepEqual(seen, {
    'agent queue': 3,
    'agent queue, one status': 3,
    'agent ticket': 3,
    'admin ticket': 4,
    'requester My tickets': 3,
    'requester ticket': 3,
    'workspace list': 2,
  });
  // The queue's total is the status counts' own: whole, of one status,
  // and a requester's own.
  const total = (c, p) => c.get(p).then((r) => r.body.match(/<span id="result-count">([^<]*)</)[1]);
  assert.equal(await total(d.agent.c, queue), '1 ticket');
  assert.equal(await total(d.agent.c, `${queue}?status=pending`), '1 ticket');
  assert.equal(await total(d.agent.c, `${queue}?status=open`), '0 tickets');
  assert.equal(await total(d.requester.c, queue), '1 ticket');
  assert.equal(await total(d.requester.c, `${queue}?status=solved`), '0 tickets');
});

test('the kept assignee list follows every change of members, by any process or node; settings and roles show on the very next page', async (t) => {
  const d = await desk(t);
  const { dir, slug } = d;
  const [[wsId]] = sql(`SELECT id FROM workspaces WHERE slug = ${q(slug)}`, dir);
  const members = `/w/${slug}/admin/members`;
  // The admin's view of the ticket page (tickets worker): the list, and
  // whether it was read (5 statements) or kept (4).
  const view = async () => {
    const { res, sql: n } = await counted(dir, d.admin.c, d.ticket);
    assert.equal(res.status, 200);
    return { names: assigneeNames(res.body), sql: n, body: res.body };
  };
  const kept = async (names, why) => {
    const a = await view();
    assert.deepEqual(a.names, names, why);
    assert.equal(a.sql, 5, `${why}: the list is read again`);
    const b = await view();
    assert.deepEqual(b.names, names, why);
    assert.equal(b.sql, 4, `${why}: then kept`);
  };
  await view();
  assert.deepEqual((await view()).names, ['Admin Person', 'Agent Person']);
  assert.equal((await view()).sql, 4);

  // A role changed in the admin program (another process).
  await d.admin.c.get(members);
  assert.equal((await d.admin.c.post(`${members}/${d.agent.id}/role`, { role: 'requester' })).status, 303);
  await kept(['Admin Person'], 'agent made a requester');
  // The member's own next page is a requester's.
  assert.match((await d.agent.c.get(`/w/${slug}/tickets`)).body, /<h1[^>]*>My tickets</);
  await d.admin.c.get(members);
  assert.equal((await d.admin.c.post(`${members}/${d.agent.id}/role`, { role: 'agent' })).status, 303);
  await kept(['Admin Person', 'Agent Person'], 'made an agent again');

  // Removed, then invited back and accepted (the workspaces program).
  await d.admin.c.get(members);
  assert.equal((await d.admin.c.post(`${members}/${d.agent.id}/remove`, { confirm: '1' })).status, 303);
  await kept(['Admin Person'], 'agent removed');
  assert.equal((await d.agent.c.get(`/w/${slug}/tickets`)).status, 404, 'the removed member: at once');
  const inv = await d.admin.c.submit(members, `${members}/invite`, { email: d.agent.email, role: 'agent' });
  const link = inv.body.match(/id="invite-link"[^>]* value="(?:https?:\/\/[^/"]+)?(\/invite\/[0-9a-f]{64})"/)[1];
  assert.equal((await d.agent.c.submit(link, link, {})).status, 303);
  await kept(['Admin Person', 'Agent Person'], 'agent added');

  // A name changed on the account page (the account program).
  assert.equal((await d.agent.c.submit('/account', '/account/name', { name: 'Renamed Agent' })).status, 303);
  await kept(['Admin Person', 'Renamed Agent'], 'agent renamed');

  // Another app node: the same transaction as member_set_role's, through
  // the shared database only.
  sql(`START TRANSACTION;
       UPDATE memberships SET role = 'requester' WHERE workspace_id = ${wsId} AND user_id = ${d.agent.id};
       UPDATE workspaces SET version = version + 1 WHERE id = ${wsId};
       COMMIT`, dir);
  await kept(['Admin Person'], 'a role changed on another node');

  // What the session's statement reads is never kept: a role or the
  // workspace's settings changed anywhere show on the very next page.
  sql(`UPDATE memberships SET role = 'agent' WHERE workspace_id = ${wsId} AND user_id = ${d.agent.id}`, dir);
  assert.match((await d.agent.c.get(`/w/${slug}/tickets`)).body, /<h1[^>]*>Tickets</);
  sql(`UPDATE workspaces SET name = 'Renamed Desk' WHERE id = ${wsId}`, dir);
  assert.match((await view()).body, /Renamed Desk/);
  const settings = `/w/${slug}/admin/settings`;
  assert.equal((await d.admin.c.submit(settings, settings, { name: 'Settled Desk', portal_signup: '1' })).status, 303);
  assert.match((await view()).body, /Settled Desk/);
  assert.equal(sql(`SELECT portal_signup FROM workspaces WHERE id = ${wsId}`, dir)[0][0], '1');
});

test('a ticket asks for its attachments only once it has one', async (t) => {
  const d = await desk(t);
  const before = await counted(d.dir, d.requester.c, d.ticket);
  assert.equal(before.sql, 3);
  assert.equal(sql(`SELECT has_attachments FROM tickets WHERE number = 1`, d.dir)[0][0], '0');
  const res = await d.requester.c.postMultipart(`${d.ticket}/comments`, { body: 'The log' },
    [{ name: 'files', filename: 'jam.log', contentType: 'text/plain', data: 'paper jam\n' }]);
  assert.equal(res.status, 303);
  assert.equal(sql(`SELECT has_attachments FROM tickets WHERE number = 1`, d.dir)[0][0], '1');
  for (const c of [d.requester.c, d.agent.c]) {
    const after = await counted(d.dir, c, d.ticket);
    assert.match(after.res.body, /jam\.log/);
    assert.equal(after.sql, 4);
  }
});
