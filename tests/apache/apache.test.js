// Apache in front (tools/apache; tests/run starts it): what the
// integration suite cannot see through it, because it looks at nginx or
// at tools/stack's processes (tests/lib/frontends.js names those). Run
// with BASE_URL, HD_STACK_DIR and HD_FRONTEND=apache-fcgid or apache-cgi.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { Client } = require('../lib/client');
const { workspaceWithMembers, invite } = require('../lib/fixtures');

const DIR = process.env.HD_STACK_DIR;
const FRONT = process.env.HD_FRONTEND;
const fcgid = { skip: FRONT !== 'apache-fcgid' && 'needs HD_FRONTEND=apache-fcgid' };
const cgi = { skip: FRONT !== 'apache-cgi' && 'needs HD_FRONTEND=apache-cgi' };
const SECURITY = ['content-security-policy', 'x-content-type-options', 'x-frame-options',
  'referrer-policy', 'cross-origin-opener-policy', 'permissions-policy'];

// As root, over the socket of the stack in dir (HD_STACK_DIR's by default).
function root(query, dir = DIR) {
  return execFileSync('mariadb', [`--defaults-file=${path.join(dir, 'my.cnf')}`, '--batch',
    '--skip-column-names', '-e', query], { encoding: 'utf8' })
    .split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

// The config Apache's programs read (fcgid: DIR/apache; cgi: the tree's).
function appConfig() {
  const conf = fs.readFileSync(path.join(DIR, 'apache', 'httpd.conf'), 'utf8');
  const m = conf.match(/^DocumentRoot (.*)$/m);
  return m ? path.join(m[1], 'cgi-bin', 'helpdesk.conf') : path.join(DIR, 'apache', 'helpdesk.conf');
}

test('Apache: static files and its own errors carry the pages\' security headers', async () => {
  const c = new Client();
  const page = await c.get('/signin');
  assert.equal(page.status, 200);
  for (const [what, res, status] of [
    ['a static file', await c.get('/static/app.css'), 200],
    ['a missing static file', await c.get('/static/no-such-file.css'), 404],
    ['a POST to a static file', await c.request('POST', '/static/app.css', { body: '' }), 405],
  ]) {
    assert.equal(res.status, status, what);
    for (const h of SECURITY) assert.equal(res.headers[h], page.headers[h], `${what}: ${h}`);
    // Each header once: Apache adds nothing to what the programs send.
    if (status !== 200) assert.match(res.body, /Back to the helpdesk/, `${what}: our page`);
  }
});

test('Apache: an invitation token reaches neither its access log nor its error log', fcgid, async () => {
  const W = await workspaceWithMembers();
  const link = await invite(W.admin, W.slug, `invitee-${process.pid}-${Date.now()}@test.example`, 'agent');
  const token = link.split('/').pop();
  const anon = new Client();
  const first = await anon.get(link);
  await anon.get(first.headers.location);
  for (const p of [`${link}/extra`, link.replace('/invite/', '/%69nvite/'),
    link.replace('/invite/', '/./invite/'), `${link}?again=1`, link.toUpperCase()]) {
    await W.outsider.get(p);
  }
  const files = ['access.log', 'error.log'].map((f) => path.join(DIR, 'apache', f));
  for (const f of files) {
    const text = fs.readFileSync(f, 'latin1').toLowerCase();
    for (const needle of [token, token.slice(0, 16), token.slice(-16)]) {
      assert.ok(!text.includes(needle), `${path.basename(f)} holds the invitation token`);
    }
  }
  const access = fs.readFileSync(files[0], 'latin1');
  assert.ok((access.match(/"GET \[secret\] /g) || []).length >= 5, 'the visits were logged, without the token');
});

// The programs mod_fcgid started for the stack in dir: their environment
// names its config.
function fcgidWorkers(dir) {
  const want = `HELPDESK_CONFIG=${path.join(dir, 'apache', 'helpdesk.conf')}`;
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(want);
    } catch {
      return false;
    }
  });
}

// On an Apache stack of its own: killing the programs' database links
// would make the first write of each program in the shared stack a 503
// (db.h: a write whose link broke may have happened).
test('mod_fcgid: every program is confined, and connects again over TCP after its link is killed', fcgid, async (t) => {
  const dir = fs.mkdtempSync('/tmp/hdap.');
  const port = await new Promise((resolve) => {
    const s = require('node:net').createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port; s.close(() => resolve(p));
    });
  });
  const apache = path.join(__dirname, '..', '..', 'tools', 'apache');
  execFileSync(apache, ['start', dir, String(port), 'fcgid'], {
    stdio: 'ignore', env: { ...process.env, STACK_BIN: process.env.HD_BIN || 'build/bin' },
  });
  t.after(() => {
    execFileSync(apache, ['stop-at', dir], { stdio: 'ignore' });
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const c = new Client({ base: `http://127.0.0.1:${port}` });
  for (const p of ['/healthz', '/signin', '/healthz']) assert.equal((await c.get(p)).status, 200, p);
  const workers = fcgidWorkers(dir);
  assert.ok(workers.length >= 2, `programs started by mod_fcgid: ${workers}`);
  for (const pid of workers) {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    assert.match(status, /^NoNewPrivs:\s+1$/m, `${pid}`);
    assert.match(status, /^Seccomp:\s+2$/m, `${pid}`);
  }
  // Every link of the app over TCP, killed by the server: the next check
  // connects again from inside the sandbox (seccomp allows an IPv4
  // socket, Landlock the database's port), as after a database restart.
  const mine = (q) => root(q, dir);
  const conns = mine("SELECT id FROM information_schema.processlist WHERE user = 'helpdesk' AND host LIKE '127.0.0.1:%'");
  assert.ok(conns.length >= 1, 'the programs are connected over TCP');
  for (const [id] of conns) mine(`KILL ${Number(id)}`);
  for (let i = 0; i < 3; i++) assert.equal((await c.get('/healthz')).status, 200, 'healthz after the link was killed');
  const again = mine("SELECT COUNT(*) FROM information_schema.processlist WHERE user = 'helpdesk' AND host LIKE '127.0.0.1:%'");
  assert.ok(Number(again[0][0]) >= 1, 'connected again over TCP');
});

test('shared hosting: the config, the libraries and the migrations are never served', cgi, async () => {
  const c = new Client();
  for (const p of ['/cgi-bin/helpdesk.conf', '/cgi-bin/.htaccess', '/.htaccess', '/lib/libfcgi.so.0',
    '/sql/001-accounts.sql', '/policy/privacy.md', '/locale/de.mo', '/bin/migrate', '/cgi-bin/auth.cgi/../helpdesk.conf',
    '/cgi-bin/HELPDESK.CONF', '/html/layout.html']) {
    const res = await c.get(p);
    assert.ok([403, 404].includes(res.status), `${p}: ${res.status}`);
    assert.doesNotMatch(res.body, /db_password|secret =|ELF|CREATE TABLE/, `${p}: nothing of the file`);
  }
});

test('shared hosting: the database over TCP with a user and password, migrated by the first request', cgi, () => {
  const conf = fs.readFileSync(appConfig(), 'utf8');
  assert.doesNotMatch(conf, /^db_socket/m, 'no socket in the config');
  assert.match(conf, /^db_host = 127\.0\.0\.1$/m);
  assert.match(conf, /^db_password = [0-9a-f]+$/m);
  assert.match(conf, /^auto_migrate = on$/m);
  // tools/apache left the database empty: the programs migrated it.
  const files = fs.readdirSync(path.join(path.dirname(appConfig()), '..', 'sql')).filter((f) => /^\d{3}-.*\.sql$/.test(f));
  const [[n, distinct]] = root('SELECT COUNT(*), COUNT(DISTINCT version) FROM helpdesk.schema_migrations');
  assert.equal(Number(n), files.length, 'every migration applied');
  assert.equal(Number(distinct), files.length, 'each once');
  assert.equal(fs.existsSync(path.join(DIR, 'log', 'migrate.log')), false, 'helpdesk-migrate never ran');
});
