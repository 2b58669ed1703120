// Attachments through nginx and MariaDB: uploads on a new ticket, a
// comment and a note (the tickets program's forms), downloads byte for
// byte with safe headers, deduplicated storage, hostile file names, and
// ids that reveal nothing to those who may not see the message.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { Client, httpRequest } = require('../lib/client');
const { sql, q } = require('../lib/db');
const { workspaceWithMembers, uniqueSlug, invite, accept, newUser } = require('../lib/fixtures');

const MB = 1024 * 1024;
const MAX_FILE = 25 * MB;	// the stack's max_file (the default)
const CHUNK = 512 * 1024;	// CHUNK_SIZE in lib/attachments.c

// ---- set-up -------------------------------------------------------------------

// A signed-in member: { c (Client), id }.
const seat = (client, user) => ({ c: client, id: String(user.id) });

async function extraRequester(admin, slug) {
  const { client, user } = await newUser('requester');
  await accept(client, await invite(admin, slug, user.email, 'requester'));
  const [[id]] = sql(`SELECT id FROM users WHERE email = ${q(user.email)}`);
  return { c: client, id };
}

// As client: a workspace of their own (they become its admin).
async function ownWorkspace(client) {
  const slug = uniqueSlug('att-b');
  const res = await client.submit('/workspaces', '/workspaces', { name: `Other ${slug}`, slug });
  assert.equal(res.status, 303, 'creating the outsider\'s workspace');
  return slug;
}

// Opens a ticket through the form; resolves to its number and id.
async function openTicket(c, slug, subject, files) {
  await c.get(`/w/${slug}/tickets/new`);
  const res = await c.postMultipart(`/w/${slug}/tickets/new`,
    { subject, body: `About ${subject}.` }, files);
  assert.equal(res.status, 303, `ticket created (got ${res.status})`);
  const m = res.headers.location.match(new RegExp(`^/w/${slug}/tickets/(\\d+)$`));
  assert.ok(m, res.headers.location);
  const [[id]] = sql(`SELECT t.id FROM tickets t JOIN workspaces w ON w.id = t.workspace_id
                      WHERE w.slug = ${q(slug)} AND t.number = ${m[1]}`);
  return { num: m[1], id };
}

// A comment ("0") or an internal note ("1") through the reply form.
async function reply(c, slug, num, body, internal, files) {
  await c.get(`/w/${slug}/tickets/${num}`);
  const res = await c.postMultipart(`/w/${slug}/tickets/${num}/comments`,
    { body, internal }, files);
  assert.equal(res.status, 303, `reply saved (got ${res.status})`);
}

const file = (filename, data, contentType) => ({ name: 'files', filename, contentType, data });

// Attachment ids of a ticket by stored file name.
function attachmentIds(ticketId) {
  const out = {};
  for (const [id, name] of sql(`SELECT id, filename FROM attachments WHERE ticket_id = ${ticketId} ORDER BY id`)) {
    out[name] = id;
  }
  return out;
}

const url = (slug, id) => `/w/${slug}/attachments/${id}`;
const sha = (b) => crypto.createHash('sha256').update(b).digest('hex');
// The error page without what differs between two requests (its token).
const bare = (body) => body.replace(/value="[0-9a-f]{64}"/g, '');

// One workspace A (agent, two requesters) and an outsider who belongs
// only to workspace B. Made once: every test reads this state.
const S = {};

test.before(async () => {
  const w = await workspaceWithMembers();
  S.A = { slug: w.slug };
  [[S.A.id]] = sql(`SELECT id FROM workspaces WHERE slug = ${q(w.slug)}`);
  S.agent = seat(w.agent, w.users.agent);
  S.req1 = seat(w.requester, w.users.requester);
  S.req2 = await extraRequester(w.admin, w.slug);
  S.outsider = seat(w.outsider, w.users.outsider);
  S.B = { slug: await ownWorkspace(w.outsider) };

  S.big = crypto.randomBytes(MB + 250000);	// "1.2 MB"
  S.shared = crypto.randomBytes(4096);	// uploaded twice: stored once
  S.svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');
  S.html = Buffer.from('<!doctype html><script>alert(document.cookie)</script>');
  S.png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), crypto.randomBytes(64)]);
  S.utf8Name = 'Grüße «Bericht» 日本.txt';

  S.t1 = await openTicket(S.req1.c, S.A.slug, 'Printer on fire', [
    file('big.bin', S.big, 'application/octet-stream'),
    file('\u200B.htaccess', Buffer.from('Deny from all\n'), 'text/plain'),
    file('../../x', Buffer.from('x\n')),
    file('a\r\nb', Buffer.from('ab\n')),
    file('\u202Egpj.exe', Buffer.from('MZ')),
    file('pic.svg', S.svg, 'image/svg+xml'),
    file('page.html', S.html, 'text/html'),
    file('shot.png', S.png, 'image/png'),
    file(S.utf8Name, Buffer.from('Hallo\n'), 'text/plain'),
    file('shared.dat', S.shared),
  ]);
  await reply(S.agent.c, S.A.slug, S.t1.num, 'Public answer.', '0',
    [file('shared-again.dat', S.shared), file('public.txt', Buffer.from('public\n'), 'text/plain')]);
  await reply(S.agent.c, S.A.slug, S.t1.num, 'Internal: the real cause.', '1',
    [file('secret.txt', Buffer.from('for agents only\n'), 'text/plain')]);
  S.t2 = await openTicket(S.req2.c, S.A.slug, 'Other requester', [
    file('other.txt', Buffer.from('requester two\n'), 'text/plain'),
  ]);
  S.ids1 = attachmentIds(S.t1.id);
  S.ids2 = attachmentIds(S.t2.id);

  // Several chunks, the last one short; sent again on a reply.
  S.multi = crypto.randomBytes(6 * CHUNK + 123457);
  S.t3 = await openTicket(S.req1.c, S.A.slug, 'Several chunks', [
    file('multi.bin', S.multi),
    file('empty.txt', Buffer.alloc(0), 'text/plain'),
  ]);
  await reply(S.agent.c, S.A.slug, S.t3.num, 'The same file back.', '0',
    [file('multi-again.bin', S.multi)]);
  S.ids3 = attachmentIds(S.t3.id);
});

// A download read to its end or until the connection drops: what came,
// and whether the response was complete.
function download(c, path) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, process.env.BASE_URL || 'http://127.0.0.1:8080'), {
      headers: { cookie: c.cookieHeader() }, localAddress: c.localAddress, agent: false,
    }, (res) => {
      let got = 0;
      const done = () => resolve({ status: res.statusCode, headers: res.headers, got, complete: res.complete });
      res.on('data', (b) => { got += b.length; });
      res.on('end', done);
      res.on('error', done);
      res.on('aborted', done);
    });
    req.on('error', reject);
    req.end();
  });
}

// ---- storage and round trip ---------------------------------------------------

test('a binary over 1 MB comes back byte for byte', async () => {
  const res = await S.req1.c.get(url(S.A.slug, S.ids1['big.bin']));
  assert.equal(res.status, 200);
  assert.equal(res.raw.length, S.big.length);
  assert.ok(res.raw.equals(S.big), 'same bytes');
  assert.equal(res.headers['content-length'], String(S.big.length));
  assert.equal(res.headers['content-type'], 'application/octet-stream');
  const [[size, hash]] = sql(`SELECT size, LOWER(HEX(sha256)) FROM attachments WHERE id = ${S.ids1['big.bin']}`);
  assert.equal(size, String(S.big.length));
  assert.equal(hash, sha(S.big));
});

test('HEAD answers the same headers without the bytes', async () => {
  const res = await S.req1.c.request('HEAD', url(S.A.slug, S.ids1['big.bin']));
  assert.equal(res.status, 200);
  assert.equal(res.raw.length, 0);
  assert.equal(res.headers['content-length'], String(S.big.length));
  assert.match(res.headers['content-disposition'], /^attachment;/);
});

test('a file of several chunks comes back byte for byte', async () => {
  const res = await S.req1.c.get(url(S.A.slug, S.ids3['multi.bin']));
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-length'], String(S.multi.length));
  assert.equal(res.raw.length, S.multi.length);
  assert.ok(res.raw.equals(S.multi), 'same bytes');
  const again = await S.agent.c.get(url(S.A.slug, S.ids3['multi-again.bin']));
  assert.equal(again.status, 200);
  assert.ok(again.raw.equals(S.multi), 'same bytes from the reply');
});

test('a blob is stored as 512 KiB chunks, once however often it is sent', () => {
  const h = q(sha(S.multi));
  assert.equal(sql(`SELECT COUNT(*) FROM blobs WHERE sha256 = UNHEX(${h})`)[0][0], '1');
  assert.equal(sql(`SELECT size FROM blobs WHERE sha256 = UNHEX(${h})`)[0][0], String(S.multi.length));
  // Chunk n holds the bytes from n * 512 KiB on (compared by hash).
  const chunks = sql(`SELECT seq, LENGTH(data), SHA2(data, 256) FROM blob_chunks
                      WHERE sha256 = UNHEX(${h}) ORDER BY seq`);
  const want = [];
  for (let i = 0; i * CHUNK < S.multi.length; i += 1) {
    const piece = S.multi.subarray(i * CHUNK, (i + 1) * CHUNK);
    want.push([String(i), String(piece.length), sha(piece)]);
  }
  assert.equal(want.length, 7);
  assert.deepEqual(chunks, want);
  const rows = sql(`SELECT filename FROM attachments WHERE sha256 = UNHEX(${h}) ORDER BY id`);
  assert.deepEqual(rows, [['multi.bin'], ['multi-again.bin']]);
});

test('an empty file has a blob, no chunks, and downloads as nothing', async () => {
  const h = q(sha(Buffer.alloc(0)));
  assert.equal(sql(`SELECT size FROM blobs WHERE sha256 = UNHEX(${h})`)[0][0], '0');
  assert.equal(sql(`SELECT COUNT(*) FROM blob_chunks WHERE sha256 = UNHEX(${h})`)[0][0], '0');
  const res = await S.req1.c.get(url(S.A.slug, S.ids3['empty.txt']));
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-length'], '0');
  assert.equal(res.raw.length, 0);
});

test('HEAD of a file of several chunks has its length and no body', async () => {
  const res = await S.req1.c.request('HEAD', url(S.A.slug, S.ids3['multi.bin']));
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-length'], String(S.multi.length));
  assert.equal(res.raw.length, 0);
  assert.equal(res.headers['content-security-policy'], "default-src 'none'; sandbox");
  assert.match(res.headers['content-disposition'], /^attachment; filename="multi\.bin"/);
});

test('a chunk lost from the database cuts the download short: never a wrong file', async () => {
  const data = crypto.randomBytes(3 * CHUNK + 1000);
  const t = await openTicket(S.req1.c, S.A.slug, 'A chunk goes missing', [file('lossy.bin', data)]);
  const id = attachmentIds(t.id)['lossy.bin'];
  sql(`DELETE FROM blob_chunks WHERE sha256 = UNHEX(${q(sha(data))}) AND seq = 1`);
  const res = await download(S.req1.c, url(S.A.slug, id));
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-length'], String(data.length));
  assert.ok(res.got < data.length, `got ${res.got} of ${data.length} bytes`);
  assert.equal(res.complete, false);
});

test('the same bytes uploaded twice are one blob and two attachments', () => {
  const h = sha(S.shared);
  assert.equal(sql(`SELECT COUNT(*) FROM blobs WHERE sha256 = UNHEX(${q(h)})`)[0][0], '1');
  const rows = sql(`SELECT filename, comment_id IS NULL FROM attachments
                    WHERE sha256 = UNHEX(${q(h)}) ORDER BY id`);
  assert.deepEqual(rows, [['shared.dat', '1'], ['shared-again.dat', '0']]);
  const [[bsize]] = sql(`SELECT size FROM blobs WHERE sha256 = UNHEX(${q(h)})`);
  assert.equal(bsize, String(S.shared.length));
});

// Issue 7, item 11: uploading bytes that another workspace had stored
// skipped the chunk writes, and was measurably faster. Blobs are now per
// workspace; this checks the database, not the clock.
test('the same file in two workspaces is two blobs: an upload reads and writes only its own', async () => {
  const data = crypto.randomBytes(2 * CHUNK + 777);
  const h = q(sha(data));
  const a = await openTicket(S.req1.c, S.A.slug, 'Same file, workspace A', [file('same.bin', data)]);
  // A's chunks go: B's upload cannot have used them if it serves the
  // whole file afterwards.
  sql(`DELETE FROM blob_chunks WHERE sha256 = UNHEX(${h})`);
  const b = await openTicket(S.outsider.c, S.B.slug, 'Same file, workspace B', [file('same.bin', data)]);
  const fromB = await download(S.outsider.c, url(S.B.slug, attachmentIds(b.id)['same.bin']));
  assert.equal(fromB.status, 200);
  assert.ok(fromB.complete && fromB.got === data.length,
    `B's download is the whole file (got ${fromB.got} of ${data.length} bytes)`);
  const res = await S.outsider.c.get(url(S.B.slug, attachmentIds(b.id)['same.bin']));
  assert.ok(res.raw.equals(data), 'the same bytes');
  // ...and A's download never reads B's chunks.
  const fromA = await download(S.req1.c, url(S.A.slug, attachmentIds(a.id)['same.bin']));
  assert.equal(fromA.complete, false, 'A has lost its own chunks');

  const [[bId]] = sql(`SELECT id FROM workspaces WHERE slug = ${q(S.B.slug)}`);
  const want = [[S.A.id, String(data.length)], [bId, String(data.length)]]
    .sort((x, y) => Number(x[0]) - Number(y[0]));
  assert.deepEqual(sql(`SELECT workspace_id, size FROM blobs WHERE sha256 = UNHEX(${h}) ORDER BY workspace_id`), want,
    'one blob per workspace');
  assert.deepEqual(sql(`SELECT workspace_id, COUNT(*) FROM blob_chunks WHERE sha256 = UNHEX(${h}) GROUP BY workspace_id`),
    [[bId, '3']], 'B stored its own three chunks');
});

test('the uploader, the workspace and the message are recorded', () => {
  const rows = sql(`SELECT a.workspace_id, a.uploader_id, a.comment_id IS NULL, c.internal
                    FROM attachments a LEFT JOIN comments c ON c.id = a.comment_id
                    WHERE a.ticket_id = ${S.t1.id} AND a.filename IN ('big.bin', 'public.txt', 'secret.txt')
                    ORDER BY a.id`);
  assert.deepEqual(rows, [
    [String(S.A.id), String(S.req1.id), '1', 'NULL'],
    [String(S.A.id), String(S.agent.id), '0', '0'],
    [String(S.A.id), String(S.agent.id), '0', '1'],
  ]);
});

// ---- names and headers --------------------------------------------------------

test('hostile file names are normalised before they are stored', () => {
  const names = Object.keys(S.ids1);
  // "\u200B.htaccess": the zero-width space goes, then the leading dot.
  assert.ok(names.includes('htaccess'), names.join(' | '));
  // "../../x": separators go, then the dots they leave at the front.
  assert.ok(names.includes('x'));
  // "a\r\nb": control characters go.
  assert.ok(names.includes('ab'));
  // The right-to-left override goes; what is left is what is shown.
  assert.ok(names.includes('gpj.exe'));
  assert.ok(names.includes(S.utf8Name), 'ordinary Unicode is kept');
  for (const n of names) {
    assert.doesNotMatch(n, /^[. ]|[/\\\r\n\u200B\u202E]/, n);
  }
});

test('downloads are attachments with an RFC 6266 filename*, nosniff and a sandbox', async () => {
  const res = await S.req1.c.get(url(S.A.slug, S.ids1[S.utf8Name]));
  assert.equal(res.status, 200);
  const enc = encodeURIComponent(S.utf8Name).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  assert.equal(res.headers['content-disposition'],
    `attachment; filename="Gr__e _Bericht_ __.txt"; filename*=UTF-8''${enc}`);
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.equal(res.headers['content-security-policy'], "default-src 'none'; sandbox");
  assert.equal(res.headers['cache-control'], 'no-store');
  assert.equal(res.headers['content-type'], 'text/plain');
  assert.equal(res.body, 'Hallo\n');
});

test('a name that held CR LF gives a clean header', async () => {
  const res = await S.req1.c.get(url(S.A.slug, S.ids1.ab));
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-disposition'], "attachment; filename=\"ab\"; filename*=UTF-8''ab");
});

test('SVG and HTML are served as octet-stream, a PNG as a PNG, all as downloads', async () => {
  for (const [name, type, data] of [
    ['pic.svg', 'application/octet-stream', S.svg],
    ['page.html', 'application/octet-stream', S.html],
    ['shot.png', 'image/png', S.png],
  ]) {
    const res = await S.req1.c.get(url(S.A.slug, S.ids1[name]));
    assert.equal(res.status, 200, name);
    assert.equal(res.headers['content-type'], type, name);
    assert.match(res.headers['content-disposition'], /^attachment; /, name);
    assert.equal(res.headers['content-security-policy'], "default-src 'none'; sandbox", name);
    assert.ok(res.raw.equals(data), name);
  }
  const stored = sql(`SELECT content_type FROM attachments WHERE id IN (${S.ids1['pic.svg']}, ${S.ids1['page.html']})`);
  assert.deepEqual(stored, [['application/octet-stream'], ['application/octet-stream']]);
});

test('a stored type off the allow-list is still served as octet-stream', async () => {
  // As if a row had been written by something other than this code.
  sql(`INSERT INTO attachments (workspace_id, ticket_id, comment_id, uploader_id, filename,
         content_type, size, sha256, created_at)
       SELECT workspace_id, ticket_id, NULL, uploader_id, 'evil.html', 'text/html', size, sha256,
         UTC_TIMESTAMP() FROM attachments WHERE id = ${S.ids1['page.html']}`);
  const [[id]] = sql(`SELECT MAX(id) FROM attachments WHERE ticket_id = ${S.t1.id} AND filename = 'evil.html'`);
  const res = await S.req1.c.get(url(S.A.slug, id));
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'application/octet-stream');
  assert.match(res.headers['content-disposition'], /^attachment; filename="evil\.html"/);
});

// ---- who may download ---------------------------------------------------------

test('a requester gets 404 for an attachment on an internal note; an agent gets it', async () => {
  const id = S.ids1['secret.txt'];
  assert.ok(id);
  const seen = await S.agent.c.get(url(S.A.slug, id));
  assert.equal(seen.status, 200);
  assert.equal(seen.body, 'for agents only\n');
  const hidden = await S.req1.c.get(url(S.A.slug, id));
  assert.equal(hidden.status, 404);
  assert.doesNotMatch(hidden.body, /for agents only/);
  const head = await S.req1.c.request('HEAD', url(S.A.slug, id));
  assert.equal(head.status, 404);
  // The same page as an id that never existed.
  const none = await S.req1.c.get(url(S.A.slug, '999999999999'));
  assert.equal(none.status, 404);
  assert.equal(bare(hidden.body), bare(none.body));
});

test('a requester may download from public comments on their own ticket', async () => {
  const res = await S.req1.c.get(url(S.A.slug, S.ids1['public.txt']));
  assert.equal(res.status, 200);
  assert.equal(res.body, 'public\n');
});

test("a requester gets 404 for an attachment on another requester's ticket", async () => {
  const id = S.ids2['other.txt'];
  assert.equal((await S.req1.c.get(url(S.A.slug, id))).status, 404);
  assert.equal((await S.req2.c.get(url(S.A.slug, id))).status, 200);
  assert.equal((await S.agent.c.get(url(S.A.slug, id))).status, 200);
  for (const aid of Object.values(S.ids1)) {
    assert.equal((await S.req2.c.get(url(S.A.slug, aid))).status, 404, `id ${aid}`);
  }
});

test('an outsider gets 404 for every attachment id of the workspace, under either slug', async () => {
  const ids = sql(`SELECT id FROM attachments WHERE workspace_id = ${S.A.id}`).map((r) => r[0]);
  assert.ok(ids.length >= 12);
  const pages = [];
  for (const id of ids) {
    for (const slug of [S.A.slug, S.B.slug]) {
      const res = await S.outsider.c.get(url(slug, id));
      assert.equal(res.status, 404, `${slug} ${id}`);
      assert.equal(res.headers['content-disposition'], undefined);
      if (slug === S.B.slug) pages.push(bare(res.body));
    }
  }
  // Their own workspace's 404 for a real id of A is the page for no id.
  const none = await S.outsider.c.get(url(S.B.slug, '999999999999'));
  assert.equal(pages[0], bare(none.body));
});

test('ids that are not numbers are not found', async () => {
  for (const id of ['abc', '0', '-1', '1e3', '99999999999999999999999', '1%20']) {
    const res = await S.agent.c.get(`/w/${S.A.slug}/attachments/${id}`);
    assert.ok([404].includes(res.status), `${id}: ${res.status}`);
  }
});

test('signed-out visitors are sent to sign in', async () => {
  const res = await new Client().get(url(S.A.slug, S.ids1['big.bin']));
  assert.equal(res.status, 303);
  assert.match(res.headers.location, /^\/signin\?next=/);
});

// ---- the ticket page lists what the caller may see ----------------------------

test('the ticket page links each visible attachment, and no other', async () => {
  const link = (id) => `href="${url(S.A.slug, id)}"`;
  const agentPage = await S.agent.c.get(`/w/${S.A.slug}/tickets/${S.t1.num}`);
  assert.equal(agentPage.status, 200);
  for (const id of Object.values(S.ids1)) {
    assert.ok(agentPage.body.includes(link(id)), `agent sees ${id}`);
  }
  assert.match(agentPage.body, /1\.2 MB/, 'a size label');
  const reqPage = await S.req1.c.get(`/w/${S.A.slug}/tickets/${S.t1.num}`);
  assert.equal(reqPage.status, 200);
  assert.ok(reqPage.body.includes(link(S.ids1['public.txt'])));
  assert.ok(reqPage.body.includes(link(S.ids1['big.bin'])));
  assert.ok(!reqPage.body.includes(link(S.ids1['secret.txt'])), 'no link to a note\'s file');
  assert.doesNotMatch(reqPage.body, /secret\.txt/);
});

// ---- refusals (the tickets program's forms) -----------------------------------
// The core marks a refused file (r->upload_error: over max_file, or past
// max_files) and keeps the request; cgi-bin/tickets.c re-renders its form
// with the reason and status 413. The stack is shared, so these use its
// default limits (25 MB, 10 files) rather than smaller ones.

test('a file just over the size limit is refused with the reason, and the form is kept', async () => {
  const c = S.req1.c;
  const subject = `Too big ${crypto.randomBytes(4).toString('hex')}`;
  await c.get(`/w/${S.A.slug}/tickets/new`);
  const res = await c.postMultipart(`/w/${S.A.slug}/tickets/new`,
    { subject, body: 'Typed text that must survive.' },
    [file('huge.bin', Buffer.alloc(MAX_FILE + 1, 7))]);
  assert.equal(res.status, 413);
  assert.match(res.body, /A file is larger than 25 MB, the limit for one file\./);
  assert.ok(res.body.includes(`value="${subject}"`), 'subject kept');
  assert.match(res.body, /Typed text that must survive\./, 'body kept');
  assert.equal(sql(`SELECT COUNT(*) FROM tickets WHERE subject = ${q(subject)}`)[0][0], '0');
});

test('a file of exactly the limit is accepted', async () => {
  const data = Buffer.alloc(MAX_FILE, 3);
  const t = await openTicket(S.req1.c, S.A.slug, 'Exactly at the limit', [file('limit.bin', data)]);
  const ids = attachmentIds(t.id);
  const res = await S.req1.c.get(url(S.A.slug, ids['limit.bin']));
  assert.equal(res.status, 200);
  assert.equal(res.raw.length, MAX_FILE);
  assert.ok(res.raw.equals(data));
});

test('too many files in one message are refused with the reason, and the reply is kept', async () => {
  const c = S.req1.c;
  const files = [];
  for (let i = 0; i < 11; i += 1) files.push(file(`f${i}.txt`, Buffer.from(`${i}\n`)));
  await c.get(`/w/${S.A.slug}/tickets/${S.t1.num}`);
  const before = sql(`SELECT COUNT(*) FROM comments WHERE ticket_id = ${S.t1.id}`)[0][0];
  const res = await c.postMultipart(`/w/${S.A.slug}/tickets/${S.t1.num}/comments`,
    { body: 'Eleven files attached.', internal: '0' }, files);
  assert.equal(res.status, 413);
  assert.match(res.body, /Too many files in one message: the limit is 10\./);
  assert.match(res.body, /Eleven files attached\./);
  assert.equal(sql(`SELECT COUNT(*) FROM comments WHERE ticket_id = ${S.t1.id}`)[0][0], before);
});

test('a requester cannot attach to an internal note', async () => {
  const c = S.req1.c;
  await c.get(`/w/${S.A.slug}/tickets/${S.t1.num}`);
  const res = await c.postMultipart(`/w/${S.A.slug}/tickets/${S.t1.num}/comments`,
    { body: 'Sneaky.', internal: '1' }, [file('sneaky.txt', Buffer.from('x'))]);
  assert.equal(res.status, 403);
  assert.equal(sql(`SELECT COUNT(*) FROM attachments WHERE filename = 'sneaky.txt' AND ticket_id = ${S.t1.id}`)[0][0], '0');
});
