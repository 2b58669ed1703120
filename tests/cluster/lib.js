// The cluster of tools/cluster for the tests in tests/cluster/: its
// directory (HD_STACK_DIR), its ports, a client per app node, and the
// commands that stop, kill and start its nodes.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { execFile } = require('node:child_process');
const { promisify } = require('node:util');
const { execFileSync } = require('node:child_process');
const { conf } = require('../lib/db');

const run = promisify(execFile);
const REPO = path.resolve(__dirname, '..', '..');
const DIR = process.env.HD_STACK_DIR;

// DIR/ports: the shell assignments tools/cluster wrote.
function ports() {
  const out = {};
  for (const m of fs.readFileSync(path.join(DIR, 'ports'), 'utf8').matchAll(/([A-Z_]+[0-9]*)=(\S+)/g)) {
    out[m[1]] = m[2];
  }
  return out;
}

// The URL of app node k alone (1-based), and of the balanced front.
const node = (k) => `http://127.0.0.1:${ports()[`N${k}`]}`;
const front = () => `http://127.0.0.1:${ports().PORT}`;

async function cluster(...args) {
  const { stdout } = await run(path.join(REPO, 'tools', 'cluster'), [args[0], DIR, ...args.slice(1).map(String)], {
    env: { ...process.env, STACK_BIN: process.env.HD_BIN || 'build/bin' },
  });
  return stdout.trim();
}

// SQL through database node n (default 1), reading after every write the
// cluster committed: rows as arrays of strings.
function syncedSql(query, n = 1) {
  const c = conf(DIR);
  const out = execFileSync('mariadb', [
    `--socket=${path.join(DIR, `db${n}`, 'mysql.sock')}`, `--user=${c.db_user}`, `--password=${c.db_password}`,
    '--batch', '--skip-column-names', c.db_name, '-e', `SET SESSION wsrep_sync_wait = 1; ${query}`,
  ], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

// Lines of app node k's log matching re.
function logLines(k, re) {
  const f = path.join(DIR, 'log', `app${k}.log`);
  return fs.existsSync(f) ? fs.readFileSync(f, 'utf8').split('\n').filter((l) => re.test(l)) : [];
}

module.exports = { ports, node, front, cluster, syncedSql, logLines, DIR };
