// The production nginx example (nginx/helpdesk.conf) with TLS, loaded as
// it is (tests/tls/nginx-tls substitutes only paths and ports) in front of
// a stack's programs, with a self-signed certificate: nginx -t, the
// redirect from http, HSTS, Secure cookies, TLS 1.2 and 1.3 only, and
// HTTP/2. Started by tests/tls/run, which sets:
//   BASE_URL        https://127.0.0.1:PORT, the example's TLS server
//   HD_TLS_HTTP     http://127.0.0.1:PORT, the example's plain-http server
//   HD_PLAIN_URL    the stack's own (dev) nginx, plain http: the control
//   HD_CA_FILE      the certificate, trusted by the clients
//   HD_STACK_DIR    the stack (its mail, its tls/ directory)
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const http2 = require('node:http2');
const net = require('node:net');
const path = require('node:path');
const tls = require('node:tls');
const { execFileSync } = require('node:child_process');
const { Client, signUp } = require('../lib/client');

const REPO = path.resolve(__dirname, '..', '..');
const BASE = new URL(process.env.BASE_URL);
const HTTP = new URL(process.env.HD_TLS_HTTP);
const CA = fs.readFileSync(process.env.HD_CA_FILE);
const PREFIX = path.join(process.env.HD_STACK_DIR, 'tls', 'nginx');
const HSTS = 'max-age=63072000; includeSubDomains';
const EXAMPLE = fs.readFileSync(path.join(REPO, 'nginx', 'helpdesk.conf'), 'utf8');

// One plain-http request to the example's port 80 server.
function plain(method, p, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(p, HTTP), { method, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res));
    });
    req.on('error', reject);
    req.end();
  });
}

// A TLS handshake with the given protocol versions: resolves to the
// protocol agreed, or to the error's code.
function handshake(port, min, max, extra = {}) {
  return new Promise((resolve) => {
    const s = tls.connect({
      host: '127.0.0.1', port, ca: CA, servername: 'helpdesk.example.org',
      minVersion: min, maxVersion: max,
      // OpenSSL 3 offers nothing below TLS 1.2 at its default security
      // level: level 0 lets this client offer TLS 1.0 and 1.1, so that
      // a refusal is the server's.
      ciphers: 'DEFAULT@SECLEVEL=0', ...extra,
    }, () => {
      const out = { protocol: s.getProtocol(), alpn: s.alpnProtocol };
      s.end();
      resolve(out);
    });
    s.on('error', (e) => resolve({ error: e.code }));
  });
}

test('what is loaded is the example: only paths, ports and listen addresses differ', () => {
  const loaded = fs.readFileSync(path.join(PREFIX, 'helpdesk.conf'), 'utf8').split('\n');
  const orig = EXAMPLE.split('\n');
  assert.equal(loaded.length, orig.length);
  let changed = 0;
  for (let i = 0; i < orig.length; i++) {
    if (orig[i] === loaded[i]) continue;
    changed++;
    assert.match(orig[i], /^\s*(listen |ssl_certificate|access_log |error_log |include \/etc\/nginx\/helpdesk-routes\.conf;)/,
      `line ${i + 1} of nginx/helpdesk.conf changed: ${orig[i]}`);
  }
  // 4 listen lines, 2 certificate paths, 3 logs and the routes include.
  assert.equal(changed, 10);
});

test('nginx -t accepts it without a warning', () => {
  const out = execFileSync(path.join(__dirname, 'nginx-tls'),
    ['check', process.env.HD_STACK_DIR, HTTP.port, BASE.port], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.match(out, /syntax is ok/);
  assert.match(out, /test is successful/);
});

test('the example stays a production config: TLS 1.2 and 1.3 only, HSTS, no stapling without a resolver', () => {
  const lines = EXAMPLE.split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
  assert.deepEqual(lines.filter((l) => l.startsWith('ssl_protocols')), ['ssl_protocols       TLSv1.2 TLSv1.3;']);
  assert.ok(lines.includes('ssl_session_tickets off;'));
  assert.ok(lines.includes(`https   "${HSTS}";`), 'HSTS for two years on https');
  if (!lines.some((l) => l.startsWith('resolver '))) {
    assert.ok(!lines.some((l) => /^ssl_stapling\s+on/.test(l)), 'OCSP stapling needs a resolver');
  }
  assert.deepEqual(lines.filter((l) => /^listen .*443/.test(l)).length, 2);
  assert.ok(lines.filter((l) => /^listen .*443/.test(l)).every((l) => / ssl /.test(l)));
});

test('http redirects to https (301, same host, path and query), without HSTS', async () => {
  for (const p of ['/', '/signin?next=%2Fworkspaces', '/static/app.css', '/w/acme/tickets/7', '/no/such/page']) {
    const res = await plain('GET', p, { host: 'helpdesk.example.org' });
    assert.equal(res.statusCode, 301, p);
    assert.equal(res.headers.location, `https://helpdesk.example.org${p}`);
    assert.equal(res.headers['strict-transport-security'], undefined, `no HSTS over http: ${p}`);
    assert.equal(res.headers['x-content-type-options'], 'nosniff', 'the security headers still');
  }
  const post = await plain('POST', '/signin', { host: 'helpdesk.example.org', 'content-length': '0' });
  assert.equal(post.statusCode, 301);
  // An HTTP/1.0 request without a Host header goes to the server_name.
  const bare = await new Promise((resolve, reject) => {
    const s = net.connect(Number(HTTP.port), '127.0.0.1', () => s.end('GET / HTTP/1.0\r\n\r\n'));
    let got = '';
    s.on('data', (d) => { got += d; });
    s.on('end', () => resolve(got));
    s.on('error', reject);
  });
  assert.match(bare, /^HTTP\/1\.1 301 /);
  assert.match(bare, /\r\nLocation: https:\/\/helpdesk\.example\.org\//);
});

test('every https answer carries HSTS once: pages, static files, nginx\'s own errors', async () => {
  const c = new Client();
  for (const [p, status] of [['/signin', 200], ['/healthz', 200], ['/static/app.css', 200],
    ['/static/no-such.css', 404], ['/no/such/page', 404], ['/workspaces', 303]]) {
    const res = await c.get(p);
    assert.equal(res.status, status, p);
    assert.equal(res.headers['strict-transport-security'], HSTS, p);
  }
  const big = await c.get(`/${'x'.repeat(9000)}`);
  assert.equal(big.status, 414);
  assert.equal(big.headers['strict-transport-security'], HSTS, 'on a 414 too');
});

// A client that records every Set-Cookie line it receives.
class Recorder extends Client {
  constructor(opts) {
    super(opts);
    this.seen = [];
  }

  keepCookies(res) {
    this.seen.push(...(res.headers['set-cookie'] || []));
    super.keepCookies(res);
  }
}

async function cookieFlow(base) {
  const c = new Recorder({ base, stackDir: process.env.HD_STACK_DIR });
  const { email, password } = await signUp(c);
  assert.equal((await c.get('/workspaces')).status, 200, 'signed up and confirmed');
  await c.get('/workspaces');
  assert.equal((await c.post('/signout', {})).status, 303);
  await c.get('/signin');
  assert.equal((await c.post('/signin', { email, password })).status, 303);
  assert.equal((await c.get('/account')).status, 200, 'signed in');
  return c.seen;
}

test('every cookie set over https is Secure (sign-up, confirmation, sign-out, sign-in)', async () => {
  const seen = await cookieFlow(BASE.href);
  const names = new Set(seen.map((l) => l.split('=')[0]));
  for (const n of ['hd_anon', 'hd_session', 'hd_device']) assert.ok(names.has(n), `${n} was set`);
  for (const line of seen) assert.match(line, /; Secure(;|$)/, line);
});

test('the control: the same flow over plain http (the stack\'s own nginx) sets no Secure cookie', async () => {
  // cookie_secure = auto in this stack: what makes the cookies above
  // Secure is the HTTPS parameter nginx passes over TLS.
  const seen = await cookieFlow(process.env.HD_PLAIN_URL);
  assert.ok(seen.length >= 3);
  for (const line of seen) assert.doesNotMatch(line, /Secure/, line);
});

test('TLS 1.2 and 1.3 are accepted; TLS 1.0 and 1.1 are refused by the server', async () => {
  const port = Number(BASE.port);
  assert.equal((await handshake(port, 'TLSv1.3', 'TLSv1.3')).protocol, 'TLSv1.3');
  assert.equal((await handshake(port, 'TLSv1.2', 'TLSv1.2')).protocol, 'TLSv1.2');
  // The server's "protocol version" alert, not this client's refusal.
  assert.equal((await handshake(port, 'TLSv1.1', 'TLSv1.1')).error, 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION');
  assert.equal((await handshake(port, 'TLSv1', 'TLSv1')).error, 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION');
  // A client allowed anything gets TLS 1.3.
  assert.equal((await handshake(port, 'TLSv1', 'TLSv1.3')).protocol, 'TLSv1.3');
});

test('TLS 1.2 offers forward-secret AEAD ciphers only: no CBC, no RSA key exchange', async () => {
  const port = Number(BASE.port);
  const tls12 = (ciphers) => handshake(port, 'TLSv1.2', 'TLSv1.2', { ciphers: `${ciphers}@SECLEVEL=0` });
  for (const c of ['ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-ECDSA-CHACHA20-POLY1305']) {
    assert.equal((await tls12(c)).protocol, 'TLSv1.2', c);
  }
  for (const c of ['ECDHE-ECDSA-AES128-SHA', 'ECDHE-ECDSA-AES256-SHA384', 'AES128-GCM-SHA256', 'AES256-SHA']) {
    assert.equal((await tls12(c)).error, 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', c);
  }
});

test('the control: this client does speak TLS 1.0 and 1.1 to a server that allows them', async () => {
  const dir = path.join(process.env.HD_STACK_DIR, 'tls');
  const server = tls.createServer({
    key: fs.readFileSync(path.join(dir, 'privkey.pem')), cert: CA,
    minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0',
  }, (s) => s.end());
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    const { port } = server.address();
    assert.equal((await handshake(port, 'TLSv1.1', 'TLSv1.1')).protocol, 'TLSv1.1');
    assert.equal((await handshake(port, 'TLSv1', 'TLSv1')).protocol, 'TLSv1');
  } finally {
    server.close();
  }
});

test('HTTP/2 is offered (ALPN h2) and serves the pages', async () => {
  const port = Number(BASE.port);
  assert.equal((await handshake(port, 'TLSv1.2', 'TLSv1.3', { ALPNProtocols: ['h2', 'http/1.1'] })).alpn, 'h2');
  const session = http2.connect(BASE.origin, { ca: CA });
  try {
    const res = await new Promise((resolve, reject) => {
      const req = session.request({ ':path': '/signin' });
      let headers;
      let body = '';
      req.setEncoding('utf8');
      req.on('response', (h) => { headers = h; });
      req.on('data', (d) => { body += d; });
      req.on('end', () => resolve({ headers, body }));
      req.on('error', reject);
      req.end();
    });
    assert.equal(res.headers[':status'], 200);
    assert.equal(res.headers['strict-transport-security'], HSTS);
    assert.match(res.body, /name="csrf"/);
    assert.ok(res.headers['set-cookie'].every((l) => /; Secure/.test(l)));
  } finally {
    session.close();
  }
});

test('the access log is the example\'s: no secret, no query string', async () => {
  await new Client().get('/password/reset/0123456789abcdef?x=secret');
  const log = path.join(PREFIX, 'logs', 'helpdesk.access.log');
  // nginx writes a request's line as it finalises the request, which may
  // be just after the client has the whole answer: wait for it a little.
  const line = /"GET \/password\/reset\/\[secret\] HTTP\/1\.1" \d{3} /;
  let text = fs.readFileSync(log, 'utf8');
  for (let i = 0; i < 40 && !line.test(text); i++) {
    await new Promise((r) => setTimeout(r, 50));
    text = fs.readFileSync(log, 'utf8');
  }
  assert.match(text, line);
  assert.ok(!text.includes('0123456789abcdef'));
});
