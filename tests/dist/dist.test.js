// `make dist` (tools/dist): the shared-hosting tarball, unpacked into a
// temp dir, runs on a host with none of our libraries: each program's
// libraries are the C library's own or sit in its lib/ (RPATH
// $ORIGIN/../lib), it runs with nothing else on the system, and its
// first requests, several at once on an empty database, migrate it once
// (auto_migrate's GET_LOCK). Needs build/dist/helpdesk-*.tar.gz (tests/run
// makes it); starts its own Apache (tools/apache, plain CGI).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { execFileSync, spawnSync } = require('node:child_process');
const { Client } = require('../lib/client');

const REPO = path.resolve(__dirname, '..', '..');
const APACHE = path.join(REPO, 'tools', 'apache');
// The C library's own objects (tools/dist's list): the host's, never shipped.
const LIBC_OWN = /^(linux-vdso|ld-linux[^/]*|libc|libm|libmvec|libpthread|libdl|librt|libresolv|libutil|libanl|libnsl|libnss_[a-z]+|libBrokenLocale|libcrypt|libthread_db)\.so/;

const tarballs = fs.existsSync(path.join(REPO, 'build', 'dist'))
  ? fs.readdirSync(path.join(REPO, 'build', 'dist')).filter((f) => /^helpdesk-.*\.tar\.gz$/.test(f)) : [];
const skip = tarballs.length !== 1 && 'needs one build/dist/helpdesk-*.tar.gz: make dist';

let tmp; let tree; let stack; let port;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

function programs() {
  return [...fs.readdirSync(path.join(tree, 'cgi-bin')).filter((f) => f.endsWith('.cgi')).map((f) => path.join(tree, 'cgi-bin', f)),
    ...fs.readdirSync(path.join(tree, 'bin')).filter((f) => !f.startsWith('.')).map((f) => path.join(tree, 'bin', f))];
}

// readelf -d: { needed: [...], rpath, runpath }.
function dynamic(file) {
  const out = execFileSync('readelf', ['-d', '-W', file], { encoding: 'utf8' });
  const field = (tag) => [...out.matchAll(new RegExp(`\\(${tag}\\)\\s+.*?\\[(.*)\\]`, 'g'))].map((m) => m[1]);
  return { needed: field('NEEDED'), rpath: field('RPATH')[0], runpath: field('RUNPATH')[0] };
}

test.before(() => {
  if (skip) return;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hddist.'));
  execFileSync('tar', ['-C', tmp, '-xzf', path.join(REPO, 'build', 'dist', tarballs[0])]);
  tree = path.join(tmp, tarballs[0].replace(/\.tar\.gz$/, ''));
});

test.after(() => {
  if (stack) execFileSync(APACHE, ['stop-at', stack], { stdio: 'ignore' });
  if (stack) fs.rmSync(stack, { recursive: true, force: true });
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('make dist: the programs, templates, static files, migrations, .htaccess files and a sample config', { skip }, () => {
  for (const p of ['.htaccess', 'cgi-bin/.htaccess', 'cgi-bin/helpdesk.conf', 'cgi-bin/auth.cgi',
    'cgi-bin/tickets.cgi', 'bin/migrate', 'bin/mailer', 'html/layout.html', 'html/static/app.css',
    'html/static/.htaccess', 'sql/001-accounts.sql', 'policy/privacy.md', 'lib/.htaccess',
    'locale/de.mo', 'locale/.htaccess']) {
    assert.ok(fs.existsSync(path.join(tree, p)), p);
  }
  const conf = fs.readFileSync(path.join(tree, 'cgi-bin', 'helpdesk.conf'), 'utf8');
  assert.match(conf, /^db_host = /m);
  assert.match(conf, /^auto_migrate = on$/m);
  assert.match(conf, /^locale_dir = \.\.\/locale$/m);
  assert.doesNotMatch(conf, /^db_socket/m);
});

test('every program and library needs only the C library\'s own objects and what is in lib/, by RPATH $ORIGIN/../lib', { skip }, () => {
  const shipped = new Set(fs.readdirSync(path.join(tree, 'lib')));
  for (const file of programs()) {
    const d = dynamic(file);
    assert.equal(d.rpath, '$ORIGIN/../lib', `${file}: RPATH`);
    // RUNPATH would not be searched for the libraries' own dependencies.
    assert.equal(d.runpath, undefined, `${file}: no RUNPATH`);
    for (const n of d.needed) assert.ok(LIBC_OWN.test(n) || shipped.has(n), `${path.basename(file)} needs ${n}`);
  }
  for (const lib of shipped) {
    if (lib.startsWith('.')) continue;
    for (const n of dynamic(path.join(tree, 'lib', lib)).needed) {
      assert.ok(LIBC_OWN.test(n) || shipped.has(n), `lib/${lib} needs ${n}`);
    }
  }
});

test('ldd of every program, without LD_LIBRARY_PATH, finds each library in lib/ or the C library\'s own', { skip }, () => {
  const lib = path.join(tree, 'lib') + '/';
  for (const file of programs()) {
    const out = execFileSync('ldd', [file], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    assert.doesNotMatch(out, /not found/, file);
    for (const m of out.matchAll(/^\s*(\S+) => (\S+)/gm)) {
      const [, soname, where] = m;
      assert.ok(LIBC_OWN.test(soname) || path.resolve(where).startsWith(lib),
        `${path.basename(file)}: ${soname} from ${where}, not from the dist`);
    }
  }
});

test('shared hosting: first requests at once on an empty database apply each migration once', { skip }, async () => {
  stack = fs.mkdtempSync('/tmp/hdd.');
  port = await freePort();
  execFileSync(APACHE, ['start', stack, String(port), 'cgi', tree], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  // Eight visitors, all at once: each CGI process finds the schema behind.
  const res = await Promise.all(Array.from({ length: 8 }, () => new Client({ base }).get('/signin')));
  assert.deepEqual(res.map((r) => r.status), Array(8).fill(200));
  const files = fs.readdirSync(path.join(tree, 'sql')).filter((f) => /^\d{3}-.*\.sql$/.test(f));
  const rows = execFileSync('mariadb', [`--defaults-file=${stack}/my.cnf`, '--batch', '--skip-column-names', '-e',
    'SELECT COUNT(*), COUNT(DISTINCT version) FROM helpdesk.schema_migrations'], { encoding: 'utf8' }).trim().split('\t');
  assert.deepEqual(rows.map(Number), [files.length, files.length], 'each migration applied, once');
  const log = fs.readFileSync(path.join(stack, 'apache', 'error.log'), 'utf8');
  assert.doesNotMatch(log, /migrate:|auto_migrate|db: /, 'no migration failed or raced');
  assert.equal((log.match(/req GET \/signin 200/g) || []).length, 8);
});

test('the programs run on a system that has only the C library\'s objects',
  { skip: skip || (process.getuid() !== 0 && 'needs root: a mount namespace') }, () => {
  assert.ok(stack, 'the stack of the test above');
  // A mount namespace where the system's library folder holds only what
  // ldd found of the C library for one program: anything else the
  // programs needed from the system would now be missing.
  const fake = fs.mkdtempSync(path.join(os.tmpdir(), 'hdlibc.'));
  try {
    const out = execFileSync('ldd', [path.join(tree, 'cgi-bin', 'auth.cgi')], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    for (const m of out.matchAll(/^\s*(\S+) => (\S+)/gm)) {
      if (LIBC_OWN.test(m[1])) fs.copyFileSync(m[2], path.join(fake, m[1]));
    }
    const ld = out.match(/^\s*(\/\S*ld-linux\S*)/m)[1];
    fs.copyFileSync(ld, path.join(fake, path.basename(ld)));
    const system = path.dirname(fs.realpathSync('/lib/x86_64-linux-gnu/libc.so.6'));
    const script = `mount --bind ${fake} ${system} || exit 99
      ls ${system} >/dev/null 2>&1 && exit 98
      cd ${tree}/cgi-bin && exec ./auth.cgi`;
    const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script], {
      encoding: 'utf8',
      env: { PATH: '/usr/bin:/bin', GATEWAY_INTERFACE: 'CGI/1.1', REQUEST_METHOD: 'GET', REQUEST_URI: '/signin',
        SERVER_PROTOCOL: 'HTTP/1.1', REMOTE_ADDR: '127.0.0.1', HELPDESK_CONFIG: 'helpdesk.conf' },
    });
    assert.ok(!r.error && r.status !== 99, `a mount namespace (as root): ${r.error || r.stderr}`);
    assert.notEqual(r.status, 98, 'ls still ran: the system libraries were not hidden');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Status: 200 OK\r?\n/);
    assert.match(r.stdout, /<form[^>]+action="\/signin"/);
  } finally {
    fs.rmSync(fake, { recursive: true, force: true });
  }
});
