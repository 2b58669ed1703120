// The systemd units in dist/, every one of them (a unit added there is
// picked up): `systemd-analyze verify` as INSTALL installs them, and the
// hardening INSTALL promises (section 6, "Hardening": the list is read
// from INSTALL itself).
//
// Offline, without systemd as PID 1: `make install DESTDIR=ROOT` puts
// the programs where the units' ExecStart expects them, the units go to
// ROOT/etc/systemd/system as INSTALL copies them, systemd's own units
// (sysinit.target, ...) are copied to ROOT/usr/lib/systemd/system, and
// `systemd-analyze --root=ROOT verify` checks them there. verify exits 0
// even on an unknown key or a bad value, so any output fails the test.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync, execFileSync } = require('node:child_process');

const REPO = path.resolve(__dirname, '..', '..');
const DIST = path.join(REPO, 'dist');
const INSTALL = fs.readFileSync(path.join(REPO, 'INSTALL'), 'utf8');
const UNITS = fs.readdirSync(DIST).filter((f) => /\.(service|timer|socket|path)$/.test(f)).sort();
const SERVICES = UNITS.filter((f) => f.endsWith('.service'));
const PROGRAMS = fs.readdirSync(path.join(REPO, 'cgi-bin')).filter((f) => f.endsWith('.c'))
  .map((f) => f.slice(0, -2)).sort();
const SHARE = 'usr/local/share/helpdesk/nginx';

let root;

function analyze(...args) {
  const r = spawnSync('systemd-analyze', [`--root=${root}`, ...args], { encoding: 'utf8' });
  return { status: r.status, out: (r.stdout + r.stderr).trim() };
}

// The [Service] section of a unit: directive -> list of values, in order.
function directives(file) {
  const out = new Map();
  let section = '';
  for (const raw of fs.readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const m = line.match(/^\[(.+)\]$/);
    if (m) { section = m[1]; continue; }
    if (section !== 'Service') continue;
    const eq = line.indexOf('=');
    const k = line.slice(0, eq).trim();
    if (!out.has(k)) out.set(k, []);
    out.get(k).push(line.slice(eq + 1).trim());
  }
  return out;
}

// INSTALL's hardening list: the indented Key=value lines after the
// sentence that names tests/systemd. "..." is a value of the unit's own.
function promised() {
  const at = INSTALL.indexOf('tests/systemd reads this list');
  assert.ok(at > 0, 'INSTALL has the hardening list');
  const lines = INSTALL.slice(at).split('\n');
  const list = [];
  // From the first such line to the next blank one; a line indented
  // further continues the one above.
  let i = lines.findIndex((l) => /^ {4}[A-Z][A-Za-z]+=/.test(l));
  for (; i < lines.length && lines[i].trim() !== ''; i++) {
    if (/^ {5}/.test(lines[i])) continue;
    assert.match(lines[i], /^ {4}[A-Z][A-Za-z]+=/);
    const [kv] = lines[i].trim().split(/\s+/);
    const eq = kv.indexOf('=');
    list.push([kv.slice(0, eq), kv.slice(eq + 1)]);
  }
  return list;
}

// systemd's syscall groups, as `systemd-analyze syscall-filter` lists
// them: name -> members (calls and @groups).
function groups() {
  const text = execFileSync('systemd-analyze', ['syscall-filter'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const g = new Map();
  let cur = null;
  for (const line of text.split('\n')) {
    if (/^@\S+$/.test(line)) { cur = line; g.set(cur, []); continue; }
    const m = line.match(/^ {4}([@\w-]+)$/);
    if (cur && m) g.get(cur).push(m[1]);
  }
  return g;
}

// The calls a unit's SystemCallFilter= lines allow (allow-lists only).
function allowed(values, g) {
  const set = new Set();
  const add = (name, depth = 0) => {
    assert.ok(depth < 10);
    if (!name.startsWith('@')) { set.add(name); return; }
    assert.ok(g.has(name), `systemd knows ${name}`);
    for (const n of g.get(name)) add(n, depth + 1);
  };
  for (const v of values) {
    assert.ok(!v.startsWith('~'), 'an allow-list, not a deny-list');
    for (const n of v.split(/\s+/)) add(n);
  }
  return set;
}

// The calls a worker's own seccomp filter lets through (lib/web/seccomp.c,
// the x86_64 table without the sanitizer build's extras), and those it
// makes to confine itself.
function workerCalls() {
  const src = fs.readFileSync(path.join(REPO, 'lib', 'web', 'seccomp.c'), 'utf8');
  const calls = new Set(['prctl', 'landlock_create_ruleset', 'landlock_add_rule', 'landlock_restrict_self']);
  let skip = false;
  for (const line of src.split('\n')) {
    if (/^#if defined\(__SANITIZE_ADDRESS__\)/.test(line)) skip = true;
    else if (skip && /^#(else|endif)/.test(line)) skip = false;
    const m = line.match(/\{ SYS_(\w+), (\w+) \}/);
    if (m && !skip && m[2] !== 'KILL' && m[2] !== 'NOSYS') calls.add(m[1]);
  }
  assert.ok(calls.size > 40, 'the table was read');
  return calls;
}

test.before(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-systemd-'));
  // The normal build (make check has made it), whatever make called us.
  const env = { ...process.env };
  for (const k of ['MAKEFLAGS', 'MFLAGS', 'MAKELEVEL', 'SANITIZE']) delete env[k];
  execFileSync('make', ['--no-print-directory', '-s', '-C', REPO, 'install', `DESTDIR=${root}`, 'PREFIX=/usr/local'],
    { stdio: ['ignore', 'ignore', 'inherit'], env });
  fs.mkdirSync(path.join(root, 'etc', 'systemd', 'system'), { recursive: true });
  fs.mkdirSync(path.join(root, 'usr', 'lib', 'systemd'), { recursive: true });
  fs.cpSync('/usr/lib/systemd/system', path.join(root, 'usr', 'lib', 'systemd', 'system'), { recursive: true, verbatimSymlinks: true });
  // INSTALL: cp /usr/local/share/helpdesk/nginx/<unit> /etc/systemd/system/
  for (const u of fs.readdirSync(path.join(root, SHARE)).filter((f) => UNITS.includes(f))) {
    fs.copyFileSync(path.join(root, SHARE, u), path.join(root, 'etc', 'systemd', 'system', u));
  }
});

test.after(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

test('make install puts every unit of dist/ where INSTALL copies it from', () => {
  assert.ok(UNITS.length >= 4, `units found: ${UNITS.join(' ')}`);
  for (const u of UNITS) {
    assert.ok(fs.existsSync(path.join(root, SHARE, u)), `${u} is installed in /${SHARE}/`);
  }
});

test('systemd-analyze verify passes, silently, on every unit and every program\'s instance', () => {
  const names = [];
  for (const u of UNITS) {
    if (u.includes('@.')) names.push(...PROGRAMS.map((p) => u.replace('@.', `@${p}.`)));
    else names.push(u);
  }
  const r = analyze('verify', ...names);
  assert.equal(r.out, '', `verify said:\n${r.out}`);
  assert.equal(r.status, 0);
});

test('the control: verify does report a typo, a bad value and a missing program', () => {
  const dir = path.join(root, 'etc', 'systemd', 'system');
  const text = fs.readFileSync(path.join(dir, 'helpdesk-mailer.service'), 'utf8')
    .replace('ProtectSystem=strict', 'ProtectSytem=strict\nProtectHome=bogus');
  fs.writeFileSync(path.join(dir, 'helpdesk-typo.service'), text);
  try {
    const r = analyze('verify', 'helpdesk-typo.service', 'helpdesk@no-such-program.service');
    assert.match(r.out, /Unknown key 'ProtectSytem'/);
    assert.match(r.out, /protect home value/i);
    assert.match(r.out, /no-such-program is not executable/);
  } finally {
    fs.rmSync(path.join(dir, 'helpdesk-typo.service'));
  }
});

test('INSTALL enables every program (section 6\'s loop names each cgi-bin program)', () => {
  const m = INSTALL.match(/for p in ([a-z ]+); do\s+systemctl enable --now helpdesk@\$p/);
  assert.ok(m, 'INSTALL has the loop');
  assert.deepEqual(m[1].trim().split(/\s+/).sort(), PROGRAMS);
});

test('every service carries INSTALL\'s hardening list', () => {
  const list = promised();
  assert.ok(list.length >= 15, `INSTALL's list: ${list.map(([k]) => k).join(' ')}`);
  for (const u of SERVICES) {
    const d = directives(path.join(DIST, u));
    for (const [k, v] of list) {
      assert.ok(d.has(k), `${u} has ${k}=`);
      if (v !== '...') assert.deepEqual(d.get(k), [v], `${u}: ${k}=${v}`);
      else assert.ok(d.get(k).every((x) => x !== ''), `${u}: ${k}= is set`);
    }
  }
});

test('each service\'s SystemCallFilter allows what its program needs', () => {
  const g = groups();
  const need = workerCalls();
  for (const u of SERVICES) {
    const set = allowed(directives(path.join(DIST, u)).get('SystemCallFilter'), g);
    // Every service runs a program of ours: libc, MariaDB's client,
    // threads, signals, sockets.
    for (const c of ['read', 'write', 'openat', 'connect', 'clone', 'futex', 'rt_sigaction', 'exit_group']) {
      assert.ok(set.has(c), `${u} allows ${c}`);
    }
    if (!u.includes('@.')) continue;
    const missing = [...need].filter((c) => !set.has(c));
    assert.deepEqual(missing, [], `${u} allows every call of the workers' own filter`);
  }
});

test('systemd-analyze security rates every service at most 2.5', () => {
  for (const u of SERVICES) {
    const name = u.includes('@.') ? u.replace('@.', '@auth.') : u;
    const r = analyze('security', '--offline=yes', name);
    const m = r.out.match(/Overall exposure level for \S+: ([\d.]+)/);
    assert.ok(m, r.out.slice(-300));
    assert.ok(Number(m[1]) <= 2.5, `${name}: ${m[1]}\n${r.out}`);
  }
});
