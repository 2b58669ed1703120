// The web edge: what nginx answers by itself carries the programs' security
// headers and a page of ours, and no secret reaches a log. Malformed
// requests go over raw sockets (node's http client refuses to send them).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { Client, BASE } = require('../lib/client');
const { workspaceWithMembers, invite } = require('../lib/fixtures');

const DIR = process.env.HD_STACK_DIR;
const SECURITY = ['content-security-policy', 'x-content-type-options', 'x-frame-options',
  'referrer-policy', 'cross-origin-opener-policy', 'permissions-policy'];

// Sends raw bytes; resolves to { status, headers (lower-case names), body }.
function raw(bytes) {
  const { hostname, port } = new URL(BASE);
  return new Promise((resolve, reject) => {
    const chunks = [];
    const s = net.connect({ host: hostname, port: Number(port) }, () => s.write(bytes));
    s.setTimeout(10000, () => s.destroy(new Error('timeout')));
    s.on('data', (c) => chunks.push(c));
    s.on('error', reject);
    s.on('close', () => {
      const all = Buffer.concat(chunks);
      const text = all.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const head = text.slice(0, end).split('\r\n');
      const status = Number((head.shift() || '').split(' ')[1]);
      const headers = {};
      for (const line of head) {
        const i = line.indexOf(':');
        const name = line.slice(0, i).trim().toLowerCase();
        headers[name] = headers[name] === undefined ? line.slice(i + 1).trim() : `${headers[name]}, ${line.slice(i + 1).trim()}`;
      }
      resolve({ status, headers, body: all.subarray(end + 4).toString('utf8') });
    });
  });
}

const get = (target, extra = '') => raw(Buffer.concat([
  Buffer.from(`GET ${target} HTTP/1.1\r\nHost: localhost\r\n`, 'latin1'),
  Buffer.isBuffer(extra) ? extra : Buffer.from(extra, 'latin1'),
  Buffer.from('Connection: close\r\n\r\n'),
]));

let appHeaders;
test.before(async () => {
  // The set the programs send, on one of their pages.
  const page = await get('/signin');
  assert.equal(page.status, 200);
  appHeaders = Object.fromEntries(SECURITY.map((h) => [h, page.headers[h]]));
  for (const h of SECURITY) assert.ok(appHeaders[h], `the app sends ${h}`);
});

function sameHeaders(res, what) {
  for (const h of SECURITY) {
    assert.equal(res.headers[h], appHeaders[h], `${what}: ${h}`);
  }
}

function ourPage(res, what) {
  assert.match(res.headers['content-type'] || '', /^text\/html/, `${what}: content type`);
  assert.match(res.body, /<title>[^<]* – Helpdesk<\/title>/, `${what}: our page`);
  assert.match(res.body, /Back to the helpdesk/, `${what}: our page`);
  assert.doesNotMatch(res.body, /<center>nginx<\/center>|<hr>/, `${what}: not nginx's page`);
}

const cases = [
  ['a NUL in the path', () => get('/sign\0in'), 400],
  ['a NUL in a cookie', () => get('/signin', 'Cookie: hd_anon=a\0b\r\n'), 400],
  ['a cookie header over the buffer size', () => get('/signin', `Cookie: big=${'a'.repeat(9000)}\r\n`), 400],
  ['too many large headers', () => get('/signin', Array.from({ length: 6 }, (_, i) => `X-Pad-${i}: ${'b'.repeat(7000)}\r\n`).join('')), 400],
  ['a 10 KB URL', () => get(`/signin?x=${'c'.repeat(10 * 1024)}`), 414],
  ['a malformed request line', () => raw(Buffer.from('GET /\x01 HTTP/1.1\r\nHost: localhost\r\n\r\n', 'latin1')), 400],
  ['a missing static file', () => get('/static/no-such-file.css'), 404],
  ['a POST to a static file', () => raw(Buffer.from('POST /static/app.css HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')), 405],
];

for (const [what, send, status] of cases) {
  test(`nginx's own ${status} for ${what} carries our headers and our page`, async () => {
    const res = await send();
    assert.equal(res.status, status, what);
    sameHeaders(res, what);
    ourPage(res, what);
  });
}

test('static files carry the same security headers as pages', async () => {
  const res = await get('/static/app.css');
  assert.equal(res.status, 200);
  assert.match(res.headers['content-type'], /^text\/css/);
  sameHeaders(res, 'static file');
});

test('an unknown path gets the app\'s 404 page with the same headers', async () => {
  const res = await get('/no/such/page');
  assert.equal(res.status, 404);
  sameHeaders(res, 'app 404');
  assert.match(res.headers['content-type'], /^text\/html/);
});

function logs() {
  const files = [path.join(DIR, 'log', 'app.log'), path.join(DIR, 'nginx', 'logs', 'access.log')];
  return files.filter((f) => fs.existsSync(f)).map((f) => [f, fs.readFileSync(f, 'latin1').toLowerCase()]);
}

test('an invitation token reaches no log, however the link is visited', { skip: !DIR && 'needs HD_STACK_DIR' }, async () => {
  const W = await workspaceWithMembers();
  const email = `invitee-${process.pid}-${Date.now()}@test.example`;
  const link = await invite(W.admin, W.slug, email, 'agent');
  const token = link.split('/').pop();
  assert.match(token, /^[0-9a-f]{64}$/);

  // Signed out: sent to /signin?next=/invite/TOKEN, which is followed too.
  const anon = new Client();
  const first = await anon.get(link);
  assert.equal(first.status, 303);
  assert.match(first.headers.location, /^\/signin\?next=/);
  await anon.get(first.headers.location);
  // Signed in as someone else, and the ways a path can be spelled.
  await W.outsider.get(link);
  await W.outsider.get(`/signin?next=${encodeURIComponent(link)}`);
  const cookie = `Cookie: ${W.outsider.cookieHeader()}\r\n`;
  for (const p of [`${link}/extra`, `/${link}`, link.replace('/invite/', '/%69nvite/'),
    link.replace('/invite/', '/./invite/'), `${link}?again=1`, link.toUpperCase()]) {
    await get(p, cookie);
  }

  const found = logs();
  assert.ok(found.length >= 1, 'the stack has logs');
  const [appLog] = found.find(([f]) => f.endsWith('app.log')) || [];
  assert.ok(appLog, 'the programs log to app.log');
  let redacted = 0;
  for (const [file, text] of found) {
    for (const needle of [token, token.slice(0, 16), token.slice(-16)]) {
      assert.ok(!text.includes(needle), `${path.basename(file)} holds the invitation token`);
    }
    redacted += (text.match(/\/invite\/\[secret\]/g) || []).length;
  }
  assert.ok(redacted >= 2, 'the visits were logged, without the token');
});
