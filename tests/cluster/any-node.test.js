// Any app node serves any request (tools/cluster: two app nodes, each
// writing through its own Galera node): a session made through one is used
// through the other, sign-in failures are counted across nodes, an upload
// through one is downloaded through the other, a rate limit is counted
// across both, the mail written through one
// is sent by the mailer of the other, and tickets created at once through
// both are numbered 1..N, each number once (Galera's certification
// conflicts on the workspace's counter are retried, lib/store/db.h).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { Client, signUp } = require('../lib/client');
const { uniqueSlug } = require('../lib/fixtures');
const { node, syncedSql, logLines, DIR } = require('./lib');

const A = () => node(1);
const B = () => node(2);

// A client of app node A, its mail read from the cluster's catcher.
const clientOf = (base) => new Client({ base, stackDir: DIR });

async function workspace(c) {
  const slug = uniqueSlug('cl');
  const res = await c.submit('/workspaces', '/workspaces', { name: `Cluster ${slug}`, slug });
  assert.equal(res.status, 303, `creating the workspace (${res.status})`);
  return slug;
}

async function newTicket(c, slug, subject) {
  await c.get(`/w/${slug}/tickets/new`);
  const res = await c.post(`/w/${slug}/tickets/new`, { subject, body: `About ${subject}.` });
  return res;
}

const numberOf = (res, slug) => {
  const m = (res.headers.location || '').match(new RegExp(`^/w/${slug}/tickets/(\\d+)$`));
  return m ? Number(m[1]) : null;
};

test('a session made through node A works through node B; the mailer of B sent the confirmation written through A', async () => {
  const c = clientOf(A());
  // signUp confirms through the link mailed by the only mailer, on B.
  const { res, email } = await signUp(c);
  assert.equal(res.status, 303);
  const [[confirmed]] = syncedSql(`SELECT email_confirmed_at IS NOT NULL FROM users WHERE email = '${email}'`);
  assert.equal(confirmed, '1', 'confirmed with the mail B sent');
  c.base = B();
  const page = await c.get('/account');
  assert.equal(page.status, 200, 'B knows the session made through A');
  assert.match(page.body, new RegExp(email.replace(/[.+]/g, '\\$&')));
  // And the page B rendered has a form token A accepts: one secret.
  c.base = A();
  const out = await c.post('/signout', {});
  assert.equal(out.status, 303);
  c.base = B();
  assert.equal((await c.get('/account')).status, 303, 'signed out everywhere');
});

test('a write through A is read at once through B (wsrep_sync_wait)', async () => {
  const c = clientOf(A());
  await signUp(c);
  const slug = await workspace(c);
  for (let i = 0; i < 20; i++) {
    c.base = A();
    const res = await newTicket(c, slug, `Read your write ${i}`);
    assert.equal(res.status, 303);
    c.base = B();
    const page = await c.get(res.headers.location);
    assert.equal(page.status, 200, `ticket ${i} through B right after A made it`);
    assert.match(page.body, new RegExp(`Read your write ${i}<`));
  }
});

test('what is written through A is found by search through B, its index entries on both Galera nodes', async () => {
  const c = clientOf(A());
  await signUp(c);
  const slug = await workspace(c);
  const word = `kinkajou${crypto.randomBytes(3).toString('hex')}`;
  const res = await newTicket(c, slug, `A ${word} in the server room`);
  assert.equal(res.status, 303);
  const num = numberOf(res, slug);
  await c.get(`/w/${slug}/tickets/${num}`);
  const reply = await c.post(`/w/${slug}/tickets/${num}/comments`, { body: `Seen again: ${word} near the quokkabox` });
  assert.equal(reply.status, 303);
  c.base = B();
  for (const q of [word, 'quokkabox', `${word.slice(0, 6)} quokkabox`]) {
    const page = await c.get(`/w/${slug}/tickets?q=${encodeURIComponent(q)}`);
    assert.equal(page.status, 200, q);
    assert.deepEqual([...page.body.matchAll(/<td class="num">(\d+)<\/td>/g)].map((m) => Number(m[1])), [num], `"${q}" through B`);
  }
  // The same entries, filed under the ticket's week, on each database node.
  const rows = (n) => syncedSql(`SELECT w.word, w.doc_id > 0, w.bucket = TO_DAYS(t.updated_at) DIV 7
    FROM search_words w JOIN tickets t ON t.id = w.ticket_id JOIN workspaces s ON s.id = t.workspace_id
    WHERE s.slug = '${slug}' AND w.word IN ('${word}', 'quokkabox') ORDER BY w.word, w.doc_id`, n);
  assert.deepEqual(rows(1), [[word, '0', '1'], [word, '1', '1'], ['quokkabox', '1', '1']]);
  assert.deepEqual(rows(2), rows(1));
});

test('sign-in failures are counted across the nodes', async () => {
  const owner = clientOf(A());
  const { email, password } = await signUp(owner);
  const addr = `127.91.${1 + Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
  // throttle_account (5): alternate nodes, so neither alone sees 5.
  for (let i = 0; i < 5; i++) {
    const c = new Client({ base: i % 2 ? B() : A(), localAddress: addr });
    const res = await c.submit('/signin', '/signin', { email, password: 'a wrong guess' });
    assert.equal(res.status, 400, `failure ${i + 1}`);
  }
  for (const base of [A(), B()]) {
    const c = new Client({ base, localAddress: addr });
    const res = await c.submit('/signin', '/signin', { email, password });
    assert.equal(res.status, 429, `refused through ${base === A() ? 'A' : 'B'} after 5 failures on both`);
  }
});

test('a rate limit is counted across the nodes', async () => {
  // limit_invite is 4 an hour in the cluster's config (tools/cluster).
  const admin = clientOf(A());
  await signUp(admin);
  const slug = await workspace(admin);
  const invite = (email) => admin.submit(`/w/${slug}/admin/members`, `/w/${slug}/admin/members/invite`,
    { email, role: 'agent' });
  for (let i = 0; i < 4; i++) {
    admin.base = i % 2 ? B() : A();
    const res = await invite(`invitee-${i}-${slug}@test.example`);
    assert.equal(res.status, 200, `invitation ${i + 1}`);
  }
  for (const base of [A(), B()]) {
    admin.base = base;
    const res = await invite(`one-more-${base.slice(-5)}-${slug}@test.example`);
    assert.equal(res.status, 429, 'the fifth, through either node');
  }
});

test('an attachment uploaded through A is downloaded through B', async () => {
  const c = clientOf(A());
  await signUp(c);
  const slug = await workspace(c);
  const data = crypto.randomBytes(300 * 1024);
  await c.get(`/w/${slug}/tickets/new`);
  const res = await c.postMultipart(`/w/${slug}/tickets/new`, { subject: 'With a file', body: 'See the file.' },
    [{ name: 'files', filename: 'data.bin', contentType: 'application/octet-stream', data }]);
  assert.equal(res.status, 303);
  const num = numberOf(res, slug);
  const [[id]] = syncedSql(`SELECT a.id FROM attachments a JOIN tickets t ON t.id = a.ticket_id
    JOIN workspaces w ON w.id = t.workspace_id WHERE w.slug = '${slug}' AND t.number = ${num}`, 2);
  c.base = B();
  const got = await c.get(`/w/${slug}/attachments/${id}`);
  assert.equal(got.status, 200);
  assert.ok(got.raw.equals(data), 'the same bytes');
});

test('tickets created at once through both nodes are numbered 1..N, each once', async () => {
  const owner = clientOf(A());
  await signUp(owner);
  const slug = await workspace(owner);
  const conflictsBefore = logLines(1, /db: conflict/).length + logLines(2, /db: conflict/).length;
  // Two clients of the same account, one per node, each with its page
  // (and form token) from its node.
  const N = 40;
  const clients = [];
  for (const base of [A(), B()]) {
    for (let i = 0; i < 4; i++) {
      const c = clientOf(base);
      c.jar = new Map(owner.jar);
      clients.push(c);
    }
  }
  const answers = [];
  await Promise.all(clients.map(async (c, ci) => {
    for (let i = ci; i < N; i += clients.length) {
      const res = await c.submit(`/w/${slug}/tickets/new`, `/w/${slug}/tickets/new`, { subject: `At once ${i}`, body: 'x' });
      answers.push({ status: res.status, num: numberOf(res, slug), i });
    }
  }));
  const bad = answers.filter((a) => a.status !== 303);
  assert.deepEqual(bad, [], 'every creation succeeded');
  const nums = answers.map((a) => a.num).sort((x, y) => x - y);
  assert.deepEqual(nums, Array.from({ length: N }, (_, i) => i + 1),
    `the numbers answered are 1..N: ${nums.join(',')}`);
  const rows = syncedSql(`SELECT t.number, t.subject FROM tickets t JOIN workspaces w ON w.id = t.workspace_id
    WHERE w.slug = '${slug}' ORDER BY t.number`, 3);
  assert.deepEqual(rows.map((r) => Number(r[0])), nums, 'stored: the same numbers, each once');
  assert.equal(new Set(rows.map((r) => r[1])).size, N, 'each ticket once');
  // Every change writes its audit row in its transaction: no audit row
  // of a ticket that is not there (a transaction aborted by another
  // node's write must not leave its later statements committed alone).
  const orphans = syncedSql(`SELECT a.object_id FROM audit_log a JOIN workspaces w ON w.id = a.workspace_id
    LEFT JOIN tickets t ON t.id = a.object_id WHERE w.slug = '${slug}' AND a.action = 'ticket.create' AND t.id IS NULL`);
  assert.deepEqual(orphans, [], 'no audit row without its ticket');
  const conflicts = logLines(1, /db: conflict/).length + logLines(2, /db: conflict/).length - conflictsBefore;
  console.log(`# certification conflicts retried: ${conflicts}`);
  // AUTO_INCREMENT ids interleave across nodes (a step of 3): nothing
  // may assume them consecutive; the numbers above are the workspace's.
  const ids = syncedSql(`SELECT t.id FROM tickets t JOIN workspaces w ON w.id = t.workspace_id
    WHERE w.slug = '${slug}' ORDER BY t.id`).map((r) => Number(r[0]));
  assert.equal(ids.length, N);
  // The queue pages through them by keyset on every node.
  for (const base of [A(), B()]) {
    const c = clientOf(base);
    c.jar = new Map(owner.jar);
    const seen = new Set();
    let url = `/w/${slug}/tickets`;
    for (let pages = 0; url && pages < 20; pages++) {
      const page = await c.get(url);
      assert.equal(page.status, 200);
      for (const m of page.body.matchAll(/At once (\d+)</g)) seen.add(Number(m[1]));
      const next = page.body.match(/<a href="([^"]+)" rel="next">/);
      url = next ? next[1].replace(/&amp;/g, '&') : null;
    }
    assert.equal(seen.size, N, 'the queue lists every ticket once through its pages');
  }
});
