// The quarantine of incoming mail (issue 12), as a workspace's admins
// use it through cgi-bin/mailadmin: the list, one message with its body
// shown safely, the original downloaded byte for byte, release into a
// ticket and deletion (each only once confirmed), who may see it; the
// workspace's inbound address on the settings page; the site operator's
// helpdesk-quarantine for mail of no workspace; and the person's rights
// over the mail they sent: their export holds it, retention deletes it
// (but for a legal hold). Erasure is proven in erasure.test.js, whose
// search of every column covers the quarantine.
//
// Messages are stored by SQL as lib/domain/mailin.c stores them
// (tests/lib/quarantine.js), and one is quarantined by the real
// helpdesk-mailgate.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync, spawnSync } = require('node:child_process');
const { workspaceWithMembers } = require('../lib/fixtures');
const { sql, q } = require('../lib/db');
const { message, quarantine, CHUNK } = require('../lib/quarantine');

const REPO = path.resolve(__dirname, '..', '..');
const BIN = path.resolve(REPO, process.env.HD_BIN || path.join('build', 'bin'));
const DIR = process.env.HD_STACK_DIR;

const one = (query) => sql(query)[0][0];
const wsId = (slug) => Number(one(`SELECT id FROM workspaces WHERE slug = ${q(slug)}`));
const count = (query) => Number(one(query));
const exists = (id) => count(`SELECT COUNT(*) FROM mail_quarantine WHERE id = ${id}`) === 1;
const chunks = (id) => count(`SELECT COUNT(*) FROM mail_quarantine_chunks WHERE quarantine_id = ${id}`);
const audited = (ws, action) => count(`SELECT COUNT(*) FROM audit_log WHERE workspace_id = ${ws}
  AND action = ${q(action)}`);

// One workspace with its members, shared by the tests that only read.
let W;
async function ws() {
  if (!W) {
    W = await workspaceWithMembers();
    W.id = wsId(W.slug);
  }
  return W;
}

// A message from the workspace's requester, parsed (text kept).
function fromRequester(w, extra = {}) {
  const { raw, messageId } = message({ from: `${w.users.requester.name} <${w.users.requester.email}>`,
    subject: 'My order never came', body: 'Where is order 1234?\n' });
  const id = quarantine(raw, {
    ws: w.id, from_addr: w.users.requester.email, from_name: w.users.requester.name,
    subject: 'My order never came', message_id: messageId, reason_code: 'no_reference',
    reason: 'It answers a ticket, but its reference could not be verified.',
    body_text: 'Where is order 1234?\n\nOn Monday, Support wrote:\n> Thanks\n', reply_len: 21,
    sender_id: w.users.requester.id, ...extra,
  });
  return { id, raw };
}

test('the list shows each message newest first; the settings page counts them', async () => {
  const w = await workspaceWithMembers();
  w.id = wsId(w.slug);
  const empty = await w.admin.get(`/w/${w.slug}/admin/settings`);
  assert.match(empty.body, /Quarantine<\/a>: no messages\./);
  const a = quarantine(message({ subject: 'First' }).raw,
    { ws: w.id, from_addr: 'ann@example.org', from_name: 'Ann', subject: 'First', body_text: 'one' });
  const b = quarantine(message({ subject: 'Second' }).raw,
    { ws: w.id, from_addr: 'bob@example.org', subject: 'Second & <more>', reason: 'Bob may not open tickets here.' });
  const res = await w.admin.get(`/w/${w.slug}/admin/mail/quarantine`);
  assert.equal(res.status, 200);
  assert.ok(res.body.indexOf(`/quarantine/${b}"`) < res.body.indexOf(`/quarantine/${a}"`), 'newest first');
  assert.match(res.body, /Second &amp; &lt;more&gt;/, 'the subject, escaped');
  assert.match(res.body, /Bob may not open tickets here\./, 'the reason in words');
  assert.match(res.body, /Ann &lt;ann@example\.org&gt;/, 'the sender');
  assert.match(res.body, /\d+ bytes/, 'the size');
  const settings = await w.admin.get(`/w/${w.slug}/admin/settings`);
  assert.match(settings.body, /Quarantine<\/a>: 2 messages that could not be read or routed/);
});

test('the list pages by id (keyset): 50 a page, then Older', async () => {
  const w = await workspaceWithMembers();
  w.id = wsId(w.slug);
  const { raw } = message();
  const values = [];
  for (let i = 0; i < 52; i++) {
    values.push(`(${w.id}, 'x', 'Paged.', 'p${i}@example.org', 'Page ${i}', ${raw.length}, X'${'00'.repeat(32)}', UTC_TIMESTAMP())`);
  }
  sql(`INSERT INTO mail_quarantine (workspace_id, reason_code, reason, from_addr, subject, size, sha256, created_at)
    VALUES ${values.join(', ')}`);
  const first = await w.admin.get(`/w/${w.slug}/admin/mail/quarantine`);
  assert.equal((first.body.match(/<dt>Subject<\/dt>/g) || []).length, 50);
  assert.match(first.body, /Page 51</);
  assert.doesNotMatch(first.body, /Page 1</);
  const older = first.body.match(/href="([^"]+\?before=\d+)" rel="next"/);
  assert.ok(older, 'a link to the older page');
  const second = await w.admin.get(older[1].replace(/&amp;/g, '&'));
  assert.equal((second.body.match(/<dt>Subject<\/dt>/g) || []).length, 2);
  assert.match(second.body, /Page 0</);
  assert.match(second.body, /Page 1</);
});

test('a hostile text body is shown escaped; kept HTML is shown as kept', async () => {
  const w = await ws();
  const hostile = '<script>alert("owned")</script> [click](javascript:alert(1)) <img src=x onerror=alert(2)>\n';
  const t = quarantine(message().raw, { ws: w.id, from_addr: 'eve@example.org', subject: 'Hostile',
    body_text: hostile, reply_len: hostile.length });
  const page = await w.admin.get(`/w/${w.slug}/admin/mail/quarantine/${t}`);
  assert.equal(page.status, 200);
  assert.doesNotMatch(page.body, /<script>alert/);
  assert.doesNotMatch(page.body, /<img src=x/);
  assert.doesNotMatch(page.body, /href="javascript:/i);
  assert.match(page.body, /&lt;script&gt;alert\(/, 'the text is there, as text');
  const h = quarantine(message().raw, { ws: w.id, from_addr: 'ann@example.org', subject: 'Html',
    body_text: 'Bold words', body_html: '<p><b>Bold</b> words</p>' });
  const html = await w.admin.get(`/w/${w.slug}/admin/mail/quarantine/${h}`);
  assert.match(html.body, /<div class="msg mail-body"><p><b>Bold<\/b> words<\/p><\/div>/);
  const u = quarantine(message().raw, { ws: w.id, reason_code: 'unparseable', reason: 'It is no mail message.' });
  const unread = await w.admin.get(`/w/${w.slug}/admin/mail/quarantine/${u}`);
  assert.match(unread.body, /This message could not be read/);
  assert.match(unread.body, /no member of this workspace has the sender's address/);
});

test('the original downloads byte for byte, as an attachment of type message/rfc822', async () => {
  const w = await ws();
  const { raw } = message({ pad: CHUNK * 2 + 1234 });	// three chunks
  const id = quarantine(raw, { ws: w.id, from_addr: 'ann@example.org', subject: 'Big' });
  assert.equal(chunks(id), 3);
  const res = await w.admin.get(`/w/${w.slug}/admin/mail/quarantine/${id}/original`);
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'message/rfc822');
  assert.match(res.headers['content-disposition'], /^attachment; filename="message-\d+\.eml"/);
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.equal(Number(res.headers['content-length']), raw.length);
  assert.ok(res.raw.equals(raw), 'the same bytes');
});

test('release needs its box ticked; then the sender gets a ticket with the original attached', async () => {
  const w = await ws();
  const { id, raw } = fromRequester(w);
  const url = `/w/${w.slug}/admin/mail/quarantine/${id}`;
  const refused = await w.admin.submit(url, `${url}/release`, {});
  assert.equal(refused.status, 400);
  assert.match(refused.body, /Nothing was released: tick &quot;I understand&quot;/);
  assert.ok(exists(id), 'still in quarantine');
  const before = audited(w.id, 'quarantine.release');
  const res = await w.admin.submit(url, `${url}/release`, { confirm: '1' });
  assert.equal(res.status, 303);
  const num = Number(res.headers.location.match(new RegExp(`^/w/${w.slug}/tickets/(\\d+)$`))[1]);
  assert.ok(!exists(id), 'out of quarantine');
  assert.equal(chunks(id), 0, 'its bytes too');
  assert.equal(audited(w.id, 'quarantine.release'), before + 1, 'audited');
  const [[requester, format, body]] = sql(`SELECT requester_id, body_format, body FROM tickets
    WHERE workspace_id = ${w.id} AND number = ${num}`);
  assert.equal(Number(requester), w.users.requester.id, 'the sender is the requester');
  assert.equal(format, '1', 'mail text');
  assert.match(body, /Where is order 1234\?/);
  assert.equal(one(`SELECT outcome FROM mail_seen WHERE quarantine_id IS NULL AND ticket_id =
    (SELECT id FROM tickets WHERE workspace_id = ${w.id} AND number = ${num})`), 'ticket',
  'the Message-ID now names the ticket');
  // The requester sees it, with the original.
  const page = await w.requester.get(`/w/${w.slug}/tickets/${num}`);
  assert.equal(page.status, 200);
  assert.match(page.body, /My order never came/);
  const link = page.body.match(new RegExp(`href="(/w/${w.slug}/attachments/\\d+)"[^>]*>original\\.eml`));
  assert.ok(link, 'original.eml is attached');
  const file = await w.requester.get(link[1]);
  assert.equal(file.status, 200);
  assert.ok(file.raw.equals(raw), 'the attached original is the message as it arrived');
});

test('a message that could not be read is released as a ticket that says so, the admin its requester', async () => {
  const w = await ws();
  const { raw } = message({ from: 'stranger@example.net' });
  const id = quarantine(raw, { ws: w.id, reason_code: 'unparseable', reason: 'It is no mail message.' });
  const url = `/w/${w.slug}/admin/mail/quarantine/${id}`;
  const res = await w.admin.submit(url, `${url}/release`, { confirm: '1' });
  assert.equal(res.status, 303);
  const num = res.headers.location.match(/(\d+)$/)[1];
  const [[requester, subject, body]] = sql(`SELECT requester_id, subject, body FROM tickets
    WHERE workspace_id = ${w.id} AND number = ${num}`);
  assert.equal(Number(requester), w.users.admin.id);
  assert.equal(subject, '(no subject)');
  assert.match(body, /could not be read/);
  const page = await w.admin.get(res.headers.location);
  assert.match(page.body, />original\.eml</);
});

test('released mail of an unknown sender makes them a requester without a password; of a non-member, the admin\'s', async () => {
  const w = await ws();
  const stranger = `new-${crypto.randomBytes(4).toString('hex')}@example.net`;
  const a = quarantine(message({ from: `Nia New <${stranger}>` }).raw, { ws: w.id, from_addr: stranger,
    from_name: 'Nia\tNew', subject: 'Hello', body_text: 'Hi there', reply_len: 8 });
  const url = `/w/${w.slug}/admin/mail/quarantine/${a}`;
  const page = await w.admin.get(url);
  assert.match(page.body, new RegExp(`requested by the sender, <strong>${stranger}</strong>`));
  let res = await w.admin.submit(url, `${url}/release`, { confirm: '1' });
  assert.equal(res.status, 303);
  const [[uid, name, hash, role]] = sql(`SELECT u.id, u.name, COALESCE(u.password_hash, 'none'), m.role
    FROM users u JOIN memberships m ON m.user_id = u.id AND m.workspace_id = ${w.id} WHERE u.email = ${q(stranger)}`);
  assert.deepEqual([name, hash, role], ['Nia New', 'none', 'requester']);
  const num = res.headers.location.match(/(\d+)$/)[1];
  assert.equal(one(`SELECT requester_id FROM tickets WHERE workspace_id = ${w.id} AND number = ${num}`), uid);
  assert.equal(count(`SELECT COUNT(*) FROM audit_log WHERE workspace_id = ${w.id}
    AND action = 'quarantine.requester' AND object_id = ${uid}`), 1);
  // An account that is no member here is not made one by a release.
  const outsider = w.users.outsider;
  const b = quarantine(message().raw, { ws: w.id, from_addr: outsider.email, subject: 'Outside', body_text: 'x' });
  const burl = `/w/${w.slug}/admin/mail/quarantine/${b}`;
  assert.match((await w.admin.get(burl)).body, /with you as its requester/);
  res = await w.admin.submit(burl, `${burl}/release`, { confirm: '1' });
  assert.equal(res.status, 303);
  assert.equal(Number(one(`SELECT requester_id FROM tickets WHERE workspace_id = ${w.id}
    AND number = ${res.headers.location.match(/(\d+)$/)[1]}`)), w.users.admin.id);
  assert.equal(count(`SELECT COUNT(*) FROM memberships WHERE workspace_id = ${w.id} AND user_id = ${outsider.id}`), 0);
});

test('delete needs its box ticked; then the message and its bytes are gone, audited', async () => {
  const w = await ws();
  const { id } = fromRequester(w);
  const url = `/w/${w.slug}/admin/mail/quarantine/${id}`;
  const refused = await w.admin.submit(url, `${url}/delete`, { confirm: '' });
  assert.equal(refused.status, 400);
  assert.match(refused.body, /Nothing was deleted/);
  assert.ok(exists(id));
  const before = audited(w.id, 'quarantine.delete');
  const res = await w.admin.submit(url, `${url}/delete`, { confirm: '1' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.location, `/w/${w.slug}/admin/mail/quarantine`);
  assert.ok(!exists(id));
  assert.equal(chunks(id), 0);
  assert.equal(audited(w.id, 'quarantine.delete'), before + 1);
  assert.equal((await w.admin.get(url)).status, 404);
});

test('only the workspace\'s admins: agents and requesters 403, outsiders and other admins 404, CSRF checked', async () => {
  const w = await ws();
  const { id } = fromRequester(w);
  const base = `/w/${w.slug}/admin/mail/quarantine`;
  for (const who of ['agent', 'requester']) {
    for (const p of [base, `${base}/${id}`, `${base}/${id}/original`]) {
      assert.equal((await w[who].get(p)).status, 403, `${who} ${p}`);
    }
    await w[who].get(`/w/${w.slug}/tickets`);
    assert.equal((await w[who].post(`${base}/${id}/delete`, { confirm: '1' })).status, 403);
  }
  assert.equal((await w.outsider.get(`${base}/${id}`)).status, 404);
  // Another workspace's admin, by the id in their own workspace's URL.
  const other = await workspaceWithMembers();
  const theirs = `/w/${other.slug}/admin/mail/quarantine/${id}`;
  assert.equal((await other.admin.get(theirs)).status, 404);
  assert.equal((await other.admin.get(`${theirs}/original`)).status, 404);
  await other.admin.get(`/w/${other.slug}/admin/mail/quarantine`);
  assert.equal((await other.admin.post(`${theirs}/release`, { confirm: '1' })).status, 404);
  assert.equal((await other.admin.post(`${theirs}/delete`, { confirm: '1' })).status, 404);
  // Without the CSRF field, nothing.
  await w.admin.get(`${base}/${id}`);
  assert.equal((await w.admin.post(`${base}/${id}/delete`, { confirm: '1', csrf: '' })).status, 403);
  assert.ok(exists(id), 'nothing deleted');
});

test('the inbound address: set lower-cased, refused when not an address or another workspace\'s, cleared', async () => {
  const w = await workspaceWithMembers();
  w.id = wsId(w.slug);
  const settings = `/w/${w.slug}/admin/settings`;
  const addr = `Help-${crypto.randomBytes(4).toString('hex')}@Example.ORG`;
  let res = await w.admin.submit(settings, settings, { name: w.wsName, inbound_address: addr });
  assert.equal(res.status, 303);
  assert.equal(one(`SELECT inbound_address FROM workspaces WHERE id = ${w.id}`), addr.toLowerCase());
  assert.equal(audited(w.id, 'settings.inbound_address'), 1);
  const page = await w.admin.get(settings);
  assert.match(page.body, new RegExp(`name="inbound_address"[^>]*value="${addr.toLowerCase()}"`));
  assert.match(page.body, /helpdesk-mailgate/);
  // Saving other settings leaves it (and writes no audit row for it).
  res = await w.admin.submit(settings, settings, { name: w.wsName, inbound_address: addr.toLowerCase() });
  assert.equal(res.status, 303);
  assert.equal(audited(w.id, 'settings.inbound_address'), 1);
  res = await w.admin.submit(settings, settings, { name: w.wsName });
  assert.equal(one(`SELECT inbound_address FROM workspaces WHERE id = ${w.id}`), addr.toLowerCase(),
    'a form without the field leaves it');
  for (const bad of ['not an address', 'a@b@c.org', 'Name <x@example.org>', 'x@exa_mple.org', '"q"@example.org']) {
    res = await w.admin.submit(settings, settings, { name: w.wsName, inbound_address: bad });
    assert.equal(res.status, 400, bad);
    assert.match(res.body, /id="inbound_address"[^>]*>\s*<p class="field-error"[^>]*>Inbound address must be an email address|Give one plain address, like support@example\.org/);
    assert.equal(one(`SELECT inbound_address FROM workspaces WHERE id = ${w.id}`), addr.toLowerCase());
  }
  // Taken by another workspace: said so, as typed, nothing saved.
  const o = await workspaceWithMembers();
  const taken = `/w/${o.slug}/admin/settings`;
  res = await o.admin.submit(taken, taken, { name: `${o.wsName} renamed`, inbound_address: addr.toUpperCase() });
  assert.equal(res.status, 409);
  assert.match(res.body, /Another workspace receives mail at this address/);
  assert.match(res.body, new RegExp(`name="inbound_address"[^>]*value="${addr}"`, 'i'), 'what was typed stays');
  assert.match(res.body, new RegExp(`name="name"[^>]*value="${o.wsName} renamed"`), 'the other fields too');
  assert.equal(one(`SELECT COALESCE(inbound_address, 'none') FROM workspaces WHERE slug = ${q(o.slug)}`), 'none');
  assert.equal(one(`SELECT name FROM workspaces WHERE slug = ${q(o.slug)}`), o.wsName, 'nothing saved');
  // Cleared.
  res = await w.admin.submit(settings, settings, { name: w.wsName, inbound_address: '' });
  assert.equal(res.status, 303);
  assert.equal(one(`SELECT COALESCE(inbound_address, 'none') FROM workspaces WHERE id = ${w.id}`), 'none');
  assert.equal(audited(w.id, 'settings.inbound_address'), 2);
});

// Runs a program of build/bin with the stack's config (and extra keys).
function run(name, args, extra = {}) {
  const base = fs.readFileSync(path.join(DIR, 'helpdesk.conf'), 'utf8');
  const lines = Object.entries(extra).map(([k, v]) => `${k} = ${v}`);
  const conf = path.join(DIR, `quarantine-${process.pid}.conf`);
  fs.writeFileSync(conf, `${base}\n${lines.join('\n')}\n`, { mode: 0o600 });
  return spawnSync(path.join(BIN, name), args, {
    env: { ...process.env, HELPDESK_CONFIG: conf }, timeout: 120000, maxBuffer: 1 << 26,
  });
}

test('mail of no workspace: helpdesk-quarantine lists, shows, hands out and deletes it', async () => {
  const subject = `Lost\tmail ${crypto.randomBytes(4).toString('hex')}\nX-Forged: yes`;
  const { raw } = message({ pad: CHUNK + 10 });
  const id = quarantine(raw, { from_addr: 'who@example.net', subject, reason_code: 'no_workspace',
    reason: 'It was sent to no address of a workspace.' });
  let r = run('quarantine', ['list']);
  assert.equal(r.status, 0, r.stderr.toString());
  const line = r.stdout.toString().split('\n').find((l) => l.startsWith(`${id}\t`));
  assert.ok(line, 'listed');
  assert.equal(line.split('\t').length, 6, 'a subject cannot add a field or a line');
  assert.match(line, /Lost mail [0-9a-f]{8} X-Forged: yes$/);
  r = run('quarantine', ['show', String(id)]);
  assert.equal(r.status, 0);
  assert.match(r.stdout.toString(), /reason: It was sent to no address of a workspace\./);
  r = run('quarantine', ['original', String(id)]);
  assert.equal(r.status, 0);
  assert.ok(r.stdout.equals(raw), 'byte for byte');
  // A workspace's message is not the operator's to handle here.
  const w = await ws();
  const theirs = quarantine(message().raw, { ws: w.id });
  assert.equal(run('quarantine', ['delete', String(theirs)]).status, 1);
  assert.ok(exists(theirs));
  r = run('quarantine', ['delete', String(id)]);
  assert.equal(r.status, 0);
  assert.ok(!exists(id));
  assert.equal(chunks(id), 0);
  assert.equal(count(`SELECT COUNT(*) FROM audit_log WHERE workspace_id IS NULL
    AND action = 'quarantine.delete' AND object_id = ${id} AND user_agent = 'quarantine'`), 1);
  assert.equal(run('quarantine', ['show', 'x']).status, 2);
});

test('a person\'s export holds the quarantined mail they sent, with the original; Your data lists it; the workspace export holds its own', async () => {
  const w = await ws();
  const { id, raw } = fromRequester(w);
  // By address alone too (no sender_id: mailin could not tell).
  const byAddr = quarantine(message().raw, { from_addr: w.users.requester.email, subject: 'Lost one' });
  const theirs = quarantine(message().raw, { ws: w.id, from_addr: 'someone@example.net', subject: 'Not mine' });
  await w.requester.get('/account');
  const res = await w.requester.post('/account/export', {});
  assert.equal(res.status, 200);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-q-export-'));
  fs.writeFileSync(path.join(dir, 'a.zip'), res.raw);
  execFileSync('unzip', ['-q', 'a.zip', '-d', 'out'], { cwd: dir });
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'export.json'), 'utf8'));
  const mail = json.quarantined_mail;
  const ids = mail.map((m) => m.id);
  assert.ok(ids.includes(id) && ids.includes(byAddr), 'both of theirs');
  assert.ok(!ids.includes(theirs), 'nobody else\'s');
  const m = mail.find((x) => x.id === id);
  assert.equal(m.workspace, w.slug);
  assert.equal(m.subject, 'My order never came');
  assert.match(m.text, /order 1234/);
  assert.equal(m.file, `quarantine/${id}.eml`);
  assert.ok(fs.readFileSync(path.join(dir, 'out', m.file)).equals(raw), 'the original, whole');
  // The workspace's export holds its quarantine whole.
  await w.admin.get(`/w/${w.slug}/admin/settings`);
  const wsx = await w.admin.post(`/w/${w.slug}/admin/export`, {});
  assert.equal(wsx.status, 200);
  fs.writeFileSync(path.join(dir, 'w.zip'), wsx.raw);
  execFileSync('unzip', ['-q', 'w.zip', '-d', 'wout'], { cwd: dir });
  const wj = JSON.parse(fs.readFileSync(path.join(dir, 'wout', 'export.json'), 'utf8'));
  const wids = wj.quarantine.map((x) => x.id);
  assert.ok(wids.includes(id) && wids.includes(theirs) && !wids.includes(byAddr), 'the workspace\'s only');
  assert.ok(fs.readFileSync(path.join(dir, 'wout', `quarantine/${id}.eml`)).equals(raw));
  assert.ok('inbound_address' in wj.workspace);
  fs.rmSync(dir, { recursive: true });
  const data = await w.requester.get('/account/data');
  assert.equal(data.status, 200);
  const section = data.body.slice(data.body.indexOf('Your mail in quarantine'));
  assert.match(section, /My order never came<\/td><td>Workspace /);
  assert.match(section, /Lost one<\/td><td><span class="muted">no workspace/);
  assert.doesNotMatch(section.slice(0, section.indexOf('What you wrote')), /Not mine/);
});

// As retention.test.js: only what this file ages past ten years is the
// install's to purge while other suites run.
const SAFE = {
  retention_batch: 10, retention_audit_days: 3650, retention_invitations_days: 3650,
  retention_sessions_days: 3650, retention_signin_failures_days: 3650, retention_tokens_days: 3650,
  retention_rate_counts_days: 3650, retention_outbox_days: 3650, retention_unconfirmed_days: 3650,
  retention_quarantine_days: 3650, retention_mail_seen_days: 3650,
};

test('retention deletes quarantined mail and Message-IDs past their days (the workspace\'s own, else the install\'s), but what a hold keeps', async () => {
  const w = await workspaceWithMembers();
  w.id = wsId(w.slug);
  // This workspace keeps quarantined mail 5 days; the shared one keeps
  // the default (SAFE: 3650).
  const settings = `/w/${w.slug}/admin/settings`;
  assert.equal((await w.admin.submit(settings, settings, { name: w.wsName, retain_quarantine_days: '5' })).status, 303);
  assert.equal(one(`SELECT retain_quarantine_days FROM workspaces WHERE id = ${w.id}`), '5');
  const other = await ws();
  const old = [];
  for (let i = 0; i < 12; i++) {
    old.push(quarantine(message().raw, { ws: i % 2 ? w.id : null, age_days: i % 2 ? 10 : 4000, subject: `old ${i}` }));
  }
  const fresh = quarantine(message().raw, { ws: w.id, age_days: 2 });
  const elsewhere = quarantine(message().raw, { ws: other.id, age_days: 10 });
  const held = fromRequester(w, { age_days: 4000 }).id;
  const heldByAddr = quarantine(message().raw, { ws: w.id, from_addr: w.users.requester.email, age_days: 4000 });
  // A hold on the requester's data keeps what they sent.
  const page = `/w/${w.slug}/admin/holds`;
  const placed = await w.admin.submit(page, page, { scope: 'person', member: String(w.users.requester.id),
    reason: 'A dispute about order 1234' });
  assert.equal(placed.status, 303);
  assert.equal(count(`SELECT COUNT(*) FROM mail_seen WHERE quarantine_id IN (${old.join(', ')})`), 12);
  sql(`UPDATE mail_seen SET created_at = UTC_TIMESTAMP() - INTERVAL 4000 DAY
    WHERE quarantine_id IN (${[...old, held].join(', ')})`);
  const dry = run('retention', ['--dry-run'], SAFE);
  assert.equal(dry.status, 0, dry.stderr.toString());
  assert.match(dry.stdout.toString(), new RegExp(`^${w.slug}\tquarantine\t6$`, 'm'));
  assert.match(dry.stdout.toString(), /^-\tquarantine_no_workspace\t(\d+)$/m);
  assert.ok(old.every(exists), 'a dry run changes nothing');
  const r = run('retention', [], SAFE);
  assert.equal(r.status, 0, r.stderr.toString());
  assert.ok(!old.some(exists), 'every aged message, with or without a workspace, in batches');
  assert.equal(count(`SELECT COUNT(*) FROM mail_quarantine_chunks WHERE quarantine_id IN (${old.join(', ')})`), 0);
  assert.ok(exists(fresh), 'a younger one stays');
  assert.ok(exists(elsewhere), 'another workspace\'s days apply to its own');
  assert.ok(exists(held) && exists(heldByAddr), 'the held person\'s stay');
  assert.equal(count(`SELECT COUNT(*) FROM mail_seen WHERE quarantine_id IN (${old.join(', ')})`), 0,
    'their Message-IDs went after retention_mail_seen_days');
  assert.equal(count(`SELECT COUNT(*) FROM mail_seen WHERE quarantine_id = ${fresh}`), 1);
  const again = run('retention', [], SAFE);
  assert.match(again.stdout.toString(), new RegExp(`^${w.slug}\tquarantine\t0$`, 'm'), 'a second pass does nothing');
  // Out of bounds is refused, as typed.
  const bad = await w.admin.submit(settings, settings, { name: w.wsName, retain_quarantine_days: '0' });
  assert.equal(bad.status, 400);
  assert.match(bad.body, /id="retain_quarantine_days"[^>]*value="0"/);
});

test('the mailgate quarantines a stranger\'s HTML mail; the admin sees it sanitised, releases it, gets the same bytes back', async () => {
  const w = await workspaceWithMembers();	// portal sign-up off
  w.id = wsId(w.slug);
  const inbound = `in-${crypto.randomBytes(4).toString('hex')}@example.org`;
  const settings = `/w/${w.slug}/admin/settings`;
  assert.equal((await w.admin.submit(settings, settings, { name: w.wsName, inbound_address: inbound })).status, 303);
  const msgid = `<${crypto.randomBytes(8).toString('hex')}@outlook.example.com>`;
  const raw = Buffer.from([
    'From: "Sam Stranger" <sam@stranger.example>', `To: ${inbound}`, 'Subject: =?UTF-8?Q?Caf=C3=A9_order?=',
    'Date: Mon, 30 Nov 2026 10:00:00 +0000', `Message-ID: ${msgid}`, 'MIME-Version: 1.0',
    'Content-Type: text/html; charset=utf-8', '',
    '<html><body><p onclick="steal()">Hello <b>there</b></p><script>alert(1)</script>',
    '<a href="javascript:alert(2)">click</a><img src="https://tracker.example/p.gif"></body></html>', '',
  ].join('\r\n'));
  const gate = spawnSync(path.join(BIN, 'mailgate'), ['--recipient', inbound], {
    input: raw, env: { ...process.env, HELPDESK_CONFIG: path.join(DIR, 'helpdesk.conf') }, timeout: 60000,
  });
  assert.equal(gate.status, 0, gate.stderr.toString());
  const [[id, reason]] = sql(`SELECT id, reason FROM mail_quarantine WHERE workspace_id = ${w.id}
    AND message_id = ${q(msgid)}`);
  const url = `/w/${w.slug}/admin/mail/quarantine/${id}`;
  const list = await w.admin.get(`/w/${w.slug}/admin/mail/quarantine`);
  assert.match(list.body, /Café order/);
  assert.match(list.body, new RegExp(reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/'/g, '&#39;')));
  const page = await w.admin.get(url);
  assert.equal(page.status, 200);
  assert.match(page.body, /<b>there<\/b>/);
  assert.doesNotMatch(page.body, /<script>alert|onclick=|javascript:|tracker\.example/);
  const orig = await w.admin.get(`${url}/original`);
  assert.ok(orig.raw.equals(raw), 'the original as the MTA gave it');
  const res = await w.admin.submit(url, `${url}/release`, { confirm: '1' });
  assert.equal(res.status, 303);
  const [[format, html]] = sql(`SELECT body_format, body_html FROM tickets WHERE workspace_id = ${w.id}
    AND number = ${res.headers.location.match(/(\d+)$/)[1]}`);
  assert.equal(format, '2', 'the sanitised HTML kept');
  assert.doesNotMatch(html, /script|onclick|javascript:/);
  // The same message again is a duplicate: not quarantined again.
  const again = spawnSync(path.join(BIN, 'mailgate'), ['--recipient', inbound], {
    input: raw, env: { ...process.env, HELPDESK_CONFIG: path.join(DIR, 'helpdesk.conf') }, timeout: 60000,
  });
  assert.equal(again.status, 0);
  assert.equal(count(`SELECT COUNT(*) FROM mail_quarantine WHERE message_id = ${q(msgid)}`), 0);
});
