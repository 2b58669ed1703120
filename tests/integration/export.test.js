// Exports (issue 10): "Download my data" and an admin's whole-workspace
// export, through nginx to cgi-bin/export, unpacked with Debian's unzip.
// A requester's archive holds their tickets with what they may see, what
// they wrote elsewhere and their files byte for byte, and nothing else:
// no internal note, no note's file, no other person's address. The
// admin's holds every note and every file. A failure mid-stream leaves an
// archive no unzip takes for whole, and the download fails. A person with
// 60 MB of files is exported by a worker that stays far below that.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const { httpRequest } = require('../lib/client');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { sql, q } = require('../lib/db');
const { workspaceWithMembers, invite, accept, newUser } = require('../lib/fixtures');
const { workers, memory, supervisor } = require('../lib/procs');

const MB = 1024 * 1024;
const CHUNK = 512 * 1024;	// CHUNK_SIZE in lib/domain/attachments.c

const file = (filename, data, contentType) => ({ name: 'files', filename, contentType, data });
const sha = (b) => crypto.createHash('sha256').update(b).digest('hex');

// The archive unpacked into a fresh directory: { dir, names, json, text }.
function unpack(raw) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-export-'));
  fs.writeFileSync(path.join(dir, 'a.zip'), raw);
  execFileSync('unzip', ['-tq', 'a.zip'], { cwd: dir });	// throws unless whole
  const names = execFileSync('unzip', ['-Z1', 'a.zip'], { cwd: dir, encoding: 'utf8' })
    .split('\n').filter((l) => l !== '').sort();
  execFileSync('unzip', ['-q', 'a.zip', '-d', 'out'], { cwd: dir });
  const text = fs.readFileSync(path.join(dir, 'out', 'export.json'), 'utf8');
  return { dir, names, text, json: JSON.parse(text), read: (n) => fs.readFileSync(path.join(dir, 'out', n)) };
}

async function openTicket(c, slug, subject, body, files) {
  await c.get(`/w/${slug}/tickets/new`);
  const res = await c.postMultipart(`/w/${slug}/tickets/new`, { subject, body }, files);
  assert.equal(res.status, 303, `ticket created (got ${res.status})`);
  return res.headers.location.match(/\/tickets\/(\d+)$/)[1];
}

async function reply(c, slug, num, body, internal, files = []) {
  await c.get(`/w/${slug}/tickets/${num}`);
  const res = await c.postMultipart(`/w/${slug}/tickets/${num}/comments`, { body, internal }, files);
  assert.equal(res.status, 303, `reply saved (got ${res.status})`);
}

async function exportMine(c) {
  await c.get('/account');
  assert.match(c.lastBody, /action="\/account\/export"/, 'the account page has the button');
  return c.post('/account/export', {});
}

async function exportWs(c, slug) {
  await c.get(`/w/${slug}/tickets`);
  return c.post(`/w/${slug}/admin/export`, {});
}

// One workspace: the requester's ticket with a public reply, a note (and
// their files) and a second requester copied on it; the second
// requester's own ticket, on which the first is copied and replies.
const S = {};

test.before(async () => {
  const w = await workspaceWithMembers();
  Object.assign(S, w);
  const two = await newUser('requester');
  await accept(two.client, await invite(w.admin, w.slug, two.user.email, 'requester'));
  S.two = two;

  S.mine = crypto.randomBytes(CHUNK + 777);
  S.mineReply = Buffer.from('my second file\n');
  S.theirs = Buffer.from('the agent\'s public file\n');
  S.secret = Buffer.from('note file: for agents only\n');
  S.name = 'Prüfbericht «März».bin';
  S.noteText = 'INTERNAL-NOTE-7f3a: the customer is difficult';

  S.num = await openTicket(w.requester, w.slug, 'My printer', 'It is on fire.', [file(S.name, S.mine)]);
  await reply(w.agent, w.slug, S.num, 'We are on it.', '0', [file('public.txt', S.theirs, 'text/plain')]);
  await reply(w.agent, w.slug, S.num, S.noteText, '1', [file('secret.txt', S.secret, 'text/plain')]);
  await reply(w.requester, w.slug, S.num, 'Thanks!', '0', [file('second.txt', S.mineReply, 'text/plain')]);
  await w.agent.get(`/w/${w.slug}/tickets/${S.num}`);
  const tri = await w.agent.post(`/w/${w.slug}/tickets/${S.num}`, {
    version: w.agent.lastBody.match(/name="version" value="(\d+)"/)[1],
    status: 'open', priority: 'high', assignee: String(w.users.agent.id), tags: 'fire', cc: two.user.email,
  });
  assert.equal(tri.status, 303, `triage saved (got ${tri.status})`);

  S.numTwo = await openTicket(two.client, w.slug, 'Their ticket', 'Not mine.', []);
  await w.agent.get(`/w/${w.slug}/tickets/${S.numTwo}`);
  const cc = await w.agent.post(`/w/${w.slug}/tickets/${S.numTwo}`, {
    version: w.agent.lastBody.match(/name="version" value="(\d+)"/)[1],
    status: 'open', priority: 'normal', assignee: 'none', tags: '', cc: w.users.requester.email,
  });
  assert.equal(cc.status, 303, `copying the requester (got ${cc.status})`);
  await reply(w.requester, w.slug, S.numTwo, 'AUTHORED-ELSEWHERE-5c1d', '0');
});

test('a requester\'s export: their data, what they may see, their files byte for byte', async () => {
  const res = await exportMine(S.requester);
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'application/zip');
  assert.match(res.headers['content-disposition'], /^attachment; filename="helpdesk-my-data-\d{4}-\d\d-\d\d\.zip"/);
  assert.equal(res.headers['content-length'], undefined, 'streamed: no length up front');
  assert.equal(res.headers['transfer-encoding'], 'chunked');
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.match(res.headers['content-security-policy'], /sandbox/);

  const a = unpack(res.raw);
  const j = a.json;
  assert.equal(j.format, 'helpdesk-export');
  assert.equal(j.version, 1);
  assert.equal(j.kind, 'user');
  assert.equal(j.user.email, S.users.requester.email);
  assert.deepEqual(j.memberships.map((m) => [m.workspace, m.role]), [[S.slug, 'requester']]);

  // Exactly their two files, at the paths the JSON gives, byte for byte.
  const paths = j.files.map((f) => f.file).sort();
  assert.deepEqual(a.names, ['export.json', ...paths].sort());
  assert.equal(paths.length, 2, JSON.stringify(paths));
  const byName = Object.fromEntries(j.files.map((f) => [f.filename, f]));
  assert.ok(a.read(byName[S.name].file).equals(S.mine), 'the uploaded file, byte for byte');
  assert.equal(byName[S.name].sha256, sha(S.mine));
  assert.ok(a.read(byName['second.txt'].file).equals(S.mineReply));

  // Their ticket, with the public thread and status history only.
  assert.deepEqual(j.tickets.map((t) => t.number), [Number(S.num)], 'only the ticket they requested');
  const t = j.tickets[0];
  assert.deepEqual(t.thread.map((c) => [c.type, c.body]), [['reply', 'We are on it.'], ['reply', 'Thanks!']]);
  assert.ok(t.events.every((e) => e.field === 'status'), JSON.stringify(t.events));
  for (const k of ['priority', 'assignee', 'tags', 'cc']) assert.ok(!(k in t), `no ${k} for a requester`);
  assert.deepEqual(t.attachments.map((f) => f.filename).sort(), [S.name, 'public.txt', 'second.txt'].sort());
  assert.equal(t.attachments.find((f) => f.filename === 'public.txt').file, undefined, 'others\' files are listed, not included');

  // What they wrote elsewhere, with its ticket.
  assert.deepEqual(j.authored.map((c) => [c.workspace, c.ticket, c.body]),
    [[S.slug, Number(S.numTwo), 'AUTHORED-ELSEWHERE-5c1d']]);
  assert.ok(j.sessions.length >= 1 && j.sessions.every((s) => 'ip' in s && 'user_agent' in s));
  assert.deepEqual(j.consents, []);
  assert.equal(j.notifications.length, 4);

  // Nothing they may not see, and nobody else's address.
  assert.ok(!a.text.includes(S.noteText), 'no internal note');
  assert.ok(!a.text.includes('secret.txt'), 'no note\'s file');
  assert.ok(!a.text.includes('"note"'), 'no message of type note');
  for (const who of ['admin', 'agent', 'outsider']) {
    assert.ok(!a.text.includes(S.users[who].email), `no address of the ${who}`);
  }
  assert.ok(!a.text.includes(S.two.user.email), 'no address of the requester copied on their ticket');
  for (const n of a.names) {
    if (n === 'export.json') continue;
    assert.ok(!a.read(n).equals(S.secret), 'the note\'s file is not in the archive');
  }

  const [[n]] = sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'user.export'
                     AND actor_id = ${S.users.requester.id} AND object_id = ${S.users.requester.id}`);
  assert.equal(n, '1', 'the export is in the audit log');
  fs.rmSync(a.dir, { recursive: true });
});

test('an admin\'s workspace export: notes, members, the log and every file', async () => {
  const res = await exportWs(S.admin, S.slug);
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'application/zip');
  assert.match(res.headers['content-disposition'], new RegExp(`^attachment; filename="helpdesk-${S.slug}-`));
  const a = unpack(res.raw);
  const j = a.json;
  assert.equal(j.format, 'helpdesk-export');
  assert.equal(j.version, 1);
  assert.equal(j.kind, 'workspace');
  assert.equal(j.workspace.slug, S.slug);
  const t = j.tickets.find((x) => x.number === Number(S.num));
  assert.ok(t.thread.some((c) => c.type === 'note' && c.body === S.noteText), 'the note is there');
  assert.equal(t.priority, 'high');
  assert.deepEqual(t.tags, ['fire']);
  assert.deepEqual(t.cc.map((p) => p.email), [S.two.user.email]);
  assert.deepEqual(j.tickets.map((x) => x.number).sort(), [Number(S.num), Number(S.numTwo)].sort());
  const emails = j.members.map((m) => m.email).sort();
  assert.deepEqual(emails, [S.users.admin.email, S.users.agent.email, S.users.requester.email, S.two.user.email].sort());
  assert.equal(j.invitations.length, 3);
  assert.ok(j.audit_log.some((r) => r.action === 'workspace.export' && r.actor_email === S.users.admin.email),
    'the export itself is logged before the log is read');

  // Every attachment of the workspace, byte for byte.
  const stored = sql(`SELECT a.id, a.filename, HEX(a.sha256) FROM attachments a JOIN workspaces w
                      ON w.id = a.workspace_id WHERE w.slug = ${q(S.slug)} ORDER BY a.id`);
  assert.equal(stored.length, 4);
  assert.deepEqual(a.names, ['export.json', ...j.files.map((f) => f.file)].sort());
  for (const [id, name, hex] of stored) {
    const f = j.files.find((x) => x.id === Number(id));
    assert.ok(f, `attachment ${id} listed`);
    assert.equal(f.filename, name);
    assert.equal(sha(a.read(f.file)), hex.toLowerCase(), `${name}: the same bytes`);
  }
  const [[n]] = sql(`SELECT COUNT(*) FROM audit_log l JOIN workspaces w ON w.id = l.workspace_id
                     WHERE w.slug = ${q(S.slug)} AND l.action = 'workspace.export'
                     AND l.actor_id = ${S.users.admin.id}`);
  assert.equal(n, '1');
  fs.rmSync(a.dir, { recursive: true });
});

test('only admins export a workspace: 403 for its agents and requesters, 404 outside', async () => {
  assert.equal((await exportWs(S.agent, S.slug)).status, 403);
  assert.equal((await exportWs(S.requester, S.slug)).status, 403);
  await S.outsider.get('/account');
  assert.equal((await S.outsider.post(`/w/${S.slug}/admin/export`, {})).status, 404);
  await S.admin.get(`/w/${S.slug}/admin/settings`);
  assert.match(S.admin.lastBody, new RegExp(`action="/w/${S.slug}/admin/export"`), 'the settings page has the button');
  // No token, no export (the core's CSRF check), and nothing logged.
  const before = sql(`SELECT COUNT(*) FROM audit_log WHERE action LIKE '%.export'`)[0][0];
  assert.equal((await S.admin.post(`/w/${S.slug}/admin/export`, { csrf: '' })).status, 403);
  assert.equal((await S.requester.post('/account/export', { csrf: '' })).status, 403);
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action LIKE '%.export'`)[0][0], before);
});

test('as plain CGI (shared hosting): the same archive on standard output', async () => {
  const { cgi } = require('../lib/cgi');
  await S.requester.get('/account');
  const res = cgi('export', { method: 'POST', uri: '/account/export', body: `csrf=${S.requester.csrf()}`,
    cookie: S.requester.cookieHeader() });
  assert.equal(res.status, 200, res.stderr);
  assert.equal(res.headers['content-type'], 'application/zip');
  assert.equal(res.headers['content-length'], undefined);
  assert.match(res.headers['content-disposition'], /^attachment; /);
  const a = unpack(res.raw);
  assert.equal(a.json.user.email, S.users.requester.email);
  const f = a.json.files.find((x) => x.filename === S.name);
  assert.ok(a.read(f.file).equals(S.mine));
  fs.rmSync(a.dir, { recursive: true });
});

// A raw POST that keeps what arrived even when the download fails.
function download(c, urlPath, onChunk) {
  const body = `csrf=${c.csrf()}`;
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(urlPath, c.base), {
      method: 'POST', localAddress: c.localAddress, agent: false,
      headers: { cookie: c.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded',
        'content-length': Buffer.byteLength(body) },
    }, (res) => {
      const chunks = [];
      let failed = false;
      res.on('data', (d) => { chunks.push(d); if (onChunk) onChunk(d); });
      res.on('error', () => { failed = true; });
      res.on('close', () => resolve({ status: res.statusCode, headers: res.headers,
        raw: Buffer.concat(chunks), complete: res.complete && !failed }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('a failure mid-stream: the download fails and the archive has no end', async () => {
  const { client, user } = await newUser('requester');
  const slug = `cut-${process.pid.toString(36)}${Date.now().toString(36)}`;
  assert.equal((await client.submit('/workspaces', '/workspaces', { name: 'Cut', slug })).status, 303);
  const data = crypto.randomBytes(3 * CHUNK + 5);
  await openTicket(client, slug, 'Broken file', 'Its third chunk is lost.', [file('broken.bin', data)]);
  sql(`DELETE c FROM blob_chunks c JOIN attachments a ON a.workspace_id = c.workspace_id
       AND a.sha256 = c.sha256 JOIN workspaces w ON w.id = a.workspace_id
       WHERE w.slug = ${q(slug)} AND c.seq = 2`);

  await client.get('/account');
  const res = await download(client, '/account/export');
  assert.equal(res.status, 200, 'the head was out before the failure');
  assert.equal(res.complete, false, 'the client sees the download fail, not end');
  assert.ok(res.raw.length > 0, 'part of it arrived');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-export-'));
  fs.writeFileSync(path.join(dir, 'a.zip'), res.raw);
  assert.throws(() => execFileSync('unzip', ['-tq', 'a.zip'], { cwd: dir, stdio: 'pipe' }),
    'unzip refuses what arrived');
  fs.rmSync(dir, { recursive: true });
  const log = fs.readFileSync(path.join(process.env.HD_STACK_DIR, 'log', 'app.log'), 'utf8');
  assert.match(log, /an export of a person's data cut short: a file could not be read or written whole/);
  const [[n]] = sql(`SELECT COUNT(*) FROM audit_log a JOIN users u ON u.id = a.actor_id
                     WHERE u.email = ${q(user.email)} AND a.action = 'user.export'`);
  assert.equal(n, '1');
});

// What nginx holds under its FastCGI temp directory: files there, and
// files its processes have open there (a temp file may be unlinked).
function spooled() {
  // The stack's nginx, or the one in front of it (tests/tls/run).
  const prefix = process.env.HD_NGINX_PREFIX || path.join(process.env.HD_STACK_DIR, 'nginx');
  const dir = path.join(prefix, 'tmp', 'fastcgi');
  const found = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else found.push(path.join(d, e.name));
    }
  };
  walk(dir);
  const master = supervisor(process.env.HD_NGINX_NAME || 'nginx');
  for (const pid of [master, ...workers(process.env.HD_NGINX_NAME || 'nginx')]) {
    let fds = [];
    try { fds = fs.readdirSync(`/proc/${pid}/fd`); } catch { continue; }
    for (const fd of fds) {
      try {
        const to = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (to.startsWith(dir)) found.push(to);
      } catch { /* closed meanwhile */ }
    }
  }
  return found;
}

// The export is personal data: nginx must not copy it to disk while a
// client reads slower than the program writes (fastcgi_max_temp_file_size
// 0 on the export locations): it waits, and the program with it.
test('a slow reader: nginx spools nothing of an export to disk', async () => {
  const { client } = await newUser('requester');
  const slug = `slow-${process.pid.toString(36)}${Date.now().toString(36)}`;
  assert.equal((await client.submit('/workspaces', '/workspaces', { name: 'Slow', slug })).status, 303);
  const data = crypto.randomBytes(12 * MB);
  await openTicket(client, slug, 'A file to read slowly', 'Twelve megabytes.', [file('slow.bin', data)]);
  await client.get('/account');
  const body = `csrf=${client.csrf()}`;
  const result = await new Promise((resolve, reject) => {
    const req = httpRequest(new URL('/account/export', client.base), {
      method: 'POST', localAddress: client.localAddress, agent: false,
      headers: { cookie: client.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded',
        'content-length': Buffer.byteLength(body) },
    }, (res) => {
      const chunks = [];
      let seen = null;
      res.once('data', (d) => {
        chunks.push(d);
        res.pause();
        // Long enough for nginx to fill its buffers and, if allowed, a
        // temp file with the rest.
        setTimeout(() => {
          seen = spooled();
          res.on('data', (c) => chunks.push(c));
          res.resume();
        }, 1500);
      });
      res.on('end', () => resolve({ raw: Buffer.concat(chunks), seen, complete: res.complete }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
  assert.deepEqual(result.seen, [], 'nothing under nginx\'s FastCGI temp directory');
  assert.ok(result.complete);
  const a = unpack(result.raw);
  assert.ok(a.read(a.json.files[0].file).equals(data), 'and the download is whole');
  fs.rmSync(a.dir, { recursive: true });
});

// The sanitizer build's shadow memory and quarantine are not the program's.
function sanitized(pid) {
  try {
    return /libasan|libubsan/.test(fs.readFileSync(`/proc/${pid}/maps`, 'utf8'));
  } catch {
    return false;
  }
}

test('60 MB of files: the export worker stays under 24 MB resident', async (t) => {
  const pids = workers('export');
  assert.ok(pids.length > 0, 'the export workers');
  if (pids.some(sanitized)) {
    t.skip('a sanitizer build');
    return;
  }
  const { client } = await newUser('requester');
  const slug = `big-${process.pid.toString(36)}${Date.now().toString(36)}`;
  assert.equal((await client.submit('/workspaces', '/workspaces', { name: 'Big', slug })).status, 303);
  const num = await openTicket(client, slug, 'Large files', 'Sixty megabytes.', [file('seed.bin', Buffer.from('x'))]);
  // Three 20 MB files made in the database (40 chunks each), attached to
  // the ticket as the requester's: fast, and the same rows an upload makes.
  const CHUNKS = 40;
  const [[ws, ticket, uid]] = sql(`SELECT w.id, t.id, t.requester_id FROM tickets t JOIN workspaces w
    ON w.id = t.workspace_id WHERE w.slug = ${q(slug)} AND t.number = ${num}`);
  for (let i = 0; i < 3; i++) {
    const h = `UNHEX(SHA2(${q(`${slug}-${i}`)}, 256))`;
    sql(`INSERT INTO blobs (workspace_id, sha256, size, created_at)
           VALUES (${ws}, ${h}, ${CHUNKS * CHUNK}, UTC_TIMESTAMP());
         SET STATEMENT max_recursive_iterations = 1000 FOR
         INSERT INTO blob_chunks (workspace_id, sha256, seq, data)
           WITH RECURSIVE n (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ${CHUNKS})
           SELECT ${ws}, ${h}, i, REPEAT(UNHEX(SHA2(CONCAT(${q(slug)}, ${i}, '-', i), 256)), ${CHUNK / 32}) FROM n;
         INSERT INTO attachments (workspace_id, ticket_id, comment_id, uploader_id, filename,
           content_type, size, sha256, created_at)
           VALUES (${ws}, ${ticket}, NULL, ${uid}, 'big-${i}.bin', 'application/octet-stream',
           ${CHUNKS * CHUNK}, ${h}, UTC_TIMESTAMP())`);
  }
  const expected = (i) => {
    const parts = [];
    for (let s = 0; s < CHUNKS; s++) {
      const d = crypto.createHash('sha256').update(`${slug}${i}-${s}`).digest();
      parts.push(Buffer.alloc(CHUNK, d));
    }
    return Buffer.concat(parts);
  };

  await client.get('/account');
  let peakRss = 0;
  const sample = () => {
    for (const pid of pids) {
      try { peakRss = Math.max(peakRss, memory(pid).rss); } catch { /* gone: checked below */ }
    }
  };
  const timer = setInterval(sample, 5);
  const res = await download(client, '/account/export', sample);
  clearInterval(timer);
  assert.equal(res.status, 200);
  assert.ok(res.complete, 'the download ended whole');
  assert.ok(res.raw.length > 60 * MB, `the archive holds the files (${res.raw.length} bytes)`);
  assert.deepEqual(workers('export'), pids, 'no worker was restarted');
  const peaks = pids.map((pid) => [pid, memory(pid).hwm]);
  t.diagnostic(`export workers (pid, VmHWM kB): ${JSON.stringify(peaks)}; sampled VmRSS peak ${peakRss} kB`);
  const max = Math.max(...peaks.map(([, hwm]) => hwm));
  assert.ok(max > 0, 'read the workers\' status');
  assert.ok(max < 24 * 1024, `an export worker peaked at ${max} kB for 60 MB of files (limit 24 MB)`);

  const a = unpack(res.raw);
  for (let i = 0; i < 3; i++) {
    const f = a.json.files.find((x) => x.filename === `big-${i}.bin`);
    assert.ok(a.read(f.file).equals(expected(i)), `big-${i}.bin byte for byte`);
  }
  fs.rmSync(a.dir, { recursive: true });
});
