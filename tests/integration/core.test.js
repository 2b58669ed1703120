// The core every page shares: health, error pages with the right status,
// security headers on every response, and the plain CGI mode.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, signUp } = require('../lib/client');
const { cgi } = require('../lib/cgi');
const { sql, q } = require('../lib/db');

function assertSecurityHeaders(res) {
  const csp = res.headers['content-security-policy'];
  assert.ok(csp, 'has a CSP');
  assert.match(csp, /frame-ancestors 'none'/);
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.equal(res.headers['referrer-policy'], 'same-origin');
}

test('GET /healthz answers ok while the database answers', async () => {
  const res = await new Client().get('/healthz');
  assert.equal(res.status, 200);
  assert.equal(res.body, 'ok\n');
});

test('the sign-in page is served with the security headers', async () => {
  const res = await new Client().get('/signin');
  assert.equal(res.status, 200);
  assert.match(res.body, /<form method="post" action="\/signin"/);
  assert.match(res.body, /name="csrf" value="[0-9a-f]{64}"/);
  assertSecurityHeaders(res);
  assert.equal(res.headers['cache-control'], 'no-store');
});

test('security headers are on error pages and static files too', async () => {
  const c = new Client();
  assertSecurityHeaders(await c.get('/no/such/page'));
  const css = await c.get('/static/app.css');
  assert.equal(css.status, 200);
  assertSecurityHeaders(css);
});

test('an unknown path is a 404 page, a wrong method a 405 with Allow', async () => {
  const c = new Client();
  const nf = await c.get('/no/such/page');
  assert.equal(nf.status, 404);
  assert.match(nf.body, /Page not found/);
  assert.doesNotMatch(nf.body, /no\/such\/page/, 'the path is not echoed');
  const na = await c.request('PUT', '/signin');
  assert.equal(na.status, 405);
  assert.match(na.headers.allow, /GET/);
  assert.match(na.headers.allow, /POST/);
  const get = await c.get('/signout');
  assert.equal(get.status, 405);
});

test('HEAD answers like GET without a body', async () => {
  const res = await new Client().request('HEAD', '/signin');
  assert.equal(res.status, 200);
  assert.equal(res.raw.length, 0);
});

test('pages for signed-in users send others to sign in', async () => {
  const res = await new Client().get('/account');
  assert.equal(res.status, 303);
  assert.equal(res.headers.location, '/signin?next=/account');
  // "/" itself is the landing page for visitors (first-run.test.js).
  const home = await new Client().get('/');
  assert.equal(home.status, 200);
});

test('the same binary serves one request as plain CGI', () => {
  const res = cgi('auth', { uri: '/signin' });
  assert.equal(res.code, 0);
  assert.equal(res.status, 200);
  assert.match(res.body, /Sign in/);
  assert.match(res.headers['content-security-policy'], /frame-ancestors 'none'/);
  const hz = cgi('health', { uri: '/healthz' });
  assert.equal(hz.status, 200);
  assert.equal(hz.body, 'ok\n');
});

test('a plain CGI process confines itself before it reads the request', async () => {
  const fs = require('node:fs');
  const path = require('node:path');
  const { spawn } = require('node:child_process');
  const bin = process.env.HD_BIN || path.join(__dirname, '..', '..', 'build', 'bin');
  const body = 'a=1&b=2';
  const child = spawn(path.join(bin, 'health'), [], {
    env: {
      PATH: process.env.PATH,
      HELPDESK_CONFIG: path.join(process.env.HD_STACK_DIR, 'helpdesk.conf'),
      GATEWAY_INTERFACE: 'CGI/1.1',
      REQUEST_METHOD: 'POST',
      REQUEST_URI: '/healthz',
      SCRIPT_NAME: '/healthz',
      QUERY_STRING: '',
      REMOTE_ADDR: '127.9.9.9',
      SERVER_PROTOCOL: 'HTTP/1.1',
      CONTENT_TYPE: 'application/x-www-form-urlencoded',
      CONTENT_LENGTH: String(body.length),
    },
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  // The body is held back: the process waits for it, confined or not.
  let status = '';
  for (let i = 0; i < 100 && !/^Seccomp:\s+2$/m.test(status); i++) {
    await new Promise((r) => setTimeout(r, 30));
    try { status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'); } catch { break; }
  }
  child.stdin.end(body);
  await exited;
  assert.match(status, /^NoNewPrivs:\s+1$/m);
  assert.match(status, /^Seccomp:\s+2$/m);
});

test('cookies are Secure when the request came over HTTPS', () => {
  const res = cgi('auth', { uri: '/signin', env: { HTTPS: 'on', HELPDESK_COOKIE_SECURE: 'auto' } });
  const anon = res.headers['set-cookie'].find((l) => l.startsWith('hd_anon='));
  assert.match(anon, /; Secure/);
  assert.match(anon, /HttpOnly/);
});

test('a password hashed with old argon2 costs is re-hashed at sign-in', async () => {
  const { email, password } = await signUp(new Client());
  const page = cgi('auth', { uri: '/signin' });
  const anon = page.headers['set-cookie'][0].split(';')[0];
  const csrf = page.body.match(/name="csrf" value="([0-9a-f]{64})"/)[1];
  const body = `csrf=${csrf}&email=${encodeURIComponent(email)}&password=${encodeURIComponent(password)}`;
  const res = cgi('auth', { method: 'POST', uri: '/signin', body, cookie: anon, env: { HELPDESK_ARGON2_T: '3' } });
  assert.equal(res.status, 303);
  const [[hash]] = sql(`SELECT password_hash FROM users WHERE email = ${q(email)}`);
  assert.match(hash, /\$m=\d+,t=3,p=\d+\$/);
});

test('every worker has confined itself: no new privileges, a seccomp filter', () => {
  const procs = require('../lib/procs');
  const fs = require('node:fs');
  for (const program of ['auth', 'account', 'workspaces', 'tickets', 'attachments', 'admin', 'export', 'health']) {
    const workers = procs.workers(program);
    assert.ok(workers.length >= 1, program);
    for (const pid of workers) {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      assert.match(status, /^NoNewPrivs:\s+1$/m, `${program} ${pid}`);
      assert.match(status, /^Seccomp:\s+2$/m, `${program} ${pid}`);
    }
  }
});
