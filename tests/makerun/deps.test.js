// What `make run` installs (issue 13): tools/deps's `run` list holds
// everything running needs and nothing only the tests need; `check` holds
// all of it and the rest.
//
// "Needs" is derived, not copied: the pkg-config names come from
// GNUmakefile itself (PKGS and every *_PKG: a library added there is
// picked up), each resolved to the Debian package that owns its .pc file;
// the commands come from what tools/stack and tools/mta run, each resolved
// to the package that owns it. Each must be in the run list or among what
// its packages depend on (dpkg's Depends, recursively: libmariadb-dev
// comes with default-libmysqlclient-dev). So this runs on a machine where
// `make deps` has installed everything, as `make check` does.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync, spawnSync } = require('node:child_process');

const REPO = path.resolve(__dirname, '..', '..');
const DEPS = path.join(REPO, 'tools', 'deps');

// What only the tests, `make fuzz` and `make bench` use: the list
// (chromium, clang, wrk, the npm packages, ...) and the servers of the
// other front ends and of the cluster.
const TEST_ONLY = [
  'chromium', 'clang', 'libclang-rt-dev', 'valgrind', 'wrk', 'apache2',
  'libapache2-mod-fcgid', 'galera-4', 'rsync', 'iproute2', 'dovecot-core',
  'dovecot-imapd', 'systemd', 'testssl.sh', 'libcmocka-dev', 'nodejs', 'npm',
  'unzip',
];
// The unit tests' framework: the one pkg-config name of GNUmakefile that
// only `make check` links.
const CHECK_ONLY_PKG_VARS = ['CMOCKA_PKG'];

function list(target) {
  return execFileSync(DEPS, ['list', target], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

// GNUmakefile's variables: PKGS and each *_PKG, as { var: [names] }.
function makefilePkgs() {
  const out = execFileSync('make', ['-s', '--no-print-directory', '-C', REPO,
    '--eval', 'print-pkgs: ; @$(foreach v,PKGS $(sort $(filter %_PKG,$(.VARIABLES))),echo "$(v)=$($(v))";)',
    'print-pkgs'], { encoding: 'utf8' });
  const vars = {};
  for (const line of out.split('\n').filter(Boolean)) {
    const [k, v] = line.split('=');
    vars[k] = v.trim().split(/\s+/).filter(Boolean);
  }
  return vars;
}

// The installed package owning FILE (dpkg -S), without its :arch.
function owner(file) {
  const out = execFileSync('dpkg', ['-S', file], { encoding: 'utf8' });
  const line = out.split('\n').find((l) => l.endsWith(`: ${file}`));
  assert.ok(line, `dpkg -S ${file}: ${out}`);
  return line.split(':')[0].split(',')[0].trim();
}

// Every installed package PKGS bring in: themselves and their Depends and
// Pre-Depends, recursively (every alternative that is installed). One
// dpkg-query reads the dependencies of every installed package.
let depends;
function closure(pkgs) {
  if (!depends) {
    depends = new Map();
    const out = execFileSync('dpkg-query', ['-W', '-f', '${Package}\t${db:Status-Abbrev}\t${Depends}, ${Pre-Depends}\n'],
      { encoding: 'utf8', maxBuffer: 64 << 20 });
    for (const line of out.split('\n')) {
      const [name, status, deps] = line.split('\t');
      if (!name || !status.startsWith('ii')) continue;
      depends.set(name, deps.split(/[,|]/).map((d) => d.trim().split(/[\s(]/)[0].split(':')[0]).filter(Boolean));
    }
  }
  const seen = new Set();
  const todo = [...pkgs];
  while (todo.length) {
    const p = todo.pop();
    if (seen.has(p)) continue;
    seen.add(p);
    for (const d of depends.get(p) || []) if (!seen.has(d)) todo.push(d);
  }
  return seen;
}

test('the run list holds none of what only the tests need, and check holds all of it', () => {
  const run = list('run');
  const check = list('check');
  assert.ok(run.length > 10, `run list: ${run}`);
  for (const p of TEST_ONLY) assert.ok(!run.includes(p), `${p} is in the run list`);
  for (const p of run) assert.ok(check.includes(p), `${p} of run is not in check`);
  for (const p of TEST_ONLY.filter((x) => !['nodejs', 'npm'].includes(x))) {
    assert.ok(check.includes(p), `${p} is not in the check list`);
  }
});

test('the run list builds: the package of every pkg-config name of GNUmakefile', () => {
  const vars = makefilePkgs();
  assert.ok(vars.PKGS && vars.PKGS.includes('libmariadb'), `GNUmakefile's PKGS: ${JSON.stringify(vars)}`);
  for (const v of CHECK_ONLY_PKG_VARS) assert.ok(vars[v], `GNUmakefile has no ${v}`);
  const have = closure(list('run'));
  const checkHave = closure(list('check'));
  let n = 0;
  for (const [v, names] of Object.entries(vars)) {
    for (const name of names) {
      const dir = execFileSync('pkg-config', ['--variable=pcfiledir', name], { encoding: 'utf8' }).trim();
      const pkg = owner(path.join(dir, `${name}.pc`));
      if (CHECK_ONLY_PKG_VARS.includes(v)) {
        assert.ok(!have.has(pkg), `${pkg} (${v}=${name}) comes with the run list`);
        assert.ok(checkHave.has(pkg), `${pkg} (${v}=${name}) is not in the check list`);
      } else {
        assert.ok(have.has(pkg), `${pkg} (pkg-config ${name}, ${v}) is not in the run list`);
        n++;
      }
    }
  }
  assert.ok(n >= 11, `only ${n} pkg-config names checked`);
  // The compiler and pkg-config the build calls.
  for (const cmd of ['cc', 'make', 'pkg-config']) {
    const file = fs.realpathSync(execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim());
    assert.ok(have.has(owner(file)), `${cmd} (${file}) does not come with the run list`);
  }
});

test('the run list runs the stack: MariaDB, nginx, the mail catcher, Postfix, curl', () => {
  const have = closure(list('run'));
  // What tools/stack run and tools/mta start call, and the module of the
  // mail catcher; curl for the mail-in line make run prints.
  const files = ['mariadbd', 'mariadb-install-db', 'mariadb-admin', 'mariadb', 'nginx',
    'postfix', 'postalias', 'curl']
    .map((cmd) => execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim())
    .concat(['/usr/lib/postfix/sbin/master', '/usr/lib/python3/dist-packages/aiosmtpd']);
  for (const f of files) {
    const real = fs.realpathSync(f);
    assert.ok(have.has(owner(real)), `${real} (${owner(real)}) does not come with the run list`);
  }
});

// As a non-root user with every package missing, tools/deps prints the
// apt-get line of the target asked and stops. `id` and `dpkg-query` are
// replaced for this (a uid of 1000, nothing installed): tools/deps itself
// runs as it is.
function asUserWithNothing(target) {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'deps-'));
  fs.writeFileSync(path.join(bin, 'id'), '#!/bin/sh\necho 1000\n', { mode: 0o755 });
  fs.writeFileSync(path.join(bin, 'dpkg-query'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
  const r = spawnSync(DEPS, [target], {
    encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
  });
  fs.rmSync(bin, { recursive: true });
  return r;
}

for (const target of ['run', 'check']) {
  test(`not root: tools/deps ${target} prints the apt-get line for ${target} and stops`, () => {
    const r = asUserWithNothing(target);
    assert.equal(r.status, 1, r.stderr);
    const line = r.stderr.split('\n').find((l) => l.includes('apt-get install'));
    assert.ok(line, r.stderr);
    const asked = line.split('--no-install-recommends')[1].trim().split(/\s+/);
    // node and npm are asked for only where none is on PATH.
    assert.deepEqual(asked.filter((p) => !['nodejs', 'npm'].includes(p)),
      list(target).filter((p) => !['nodejs', 'npm'].includes(p)));
    assert.equal(asked.includes('chromium'), target === 'check');
  });
}
