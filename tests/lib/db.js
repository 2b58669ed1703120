// Direct SQL for tests that must move time or look behind the pages (an
// expired session, a stored hash). Uses the stack's own config and the
// mariadb client over the stack's unix socket.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const DIR = process.env.HD_STACK_DIR;

// dir: a test's private stack (tests/lib/stack.js); HD_STACK_DIR otherwise.
function conf(dir = DIR) {
  const out = {};
  const text = fs.readFileSync(path.join(dir, 'helpdesk.conf'), 'utf8');
  for (const line of text.split('\n')) {
    const m = line.match(/^\s*([a-z_0-9]+)\s*=\s*(.*?)\s*$/);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

// Runs sql and returns rows as arrays of strings (tab-separated output).
function sql(query, dir = DIR) {
  const c = conf(dir);
  const out = execFileSync('mariadb', [
    `--socket=${c.db_socket}`, `--user=${c.db_user}`, `--password=${c.db_password}`,
    '--batch', '--skip-column-names', c.db_name, '-e', query,
  ], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

// Quotes a string for SQL in tests only (values are test-made).
function q(s) {
  return `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

// Rebuilds the search index of workspace slug (issue 14) with the real
// tools/search-reindex, after a test wrote tickets or comments by SQL
// (which bypasses the model that keeps the index). dir as for sql.
function reindex(slug, dir = DIR) {
  const bin = path.resolve(__dirname, '..', '..',
    process.env.HD_BIN || path.join('build', 'bin'), 'search-reindex');
  return execFileSync(bin, slug === undefined ? [] : [slug], {
    env: { ...process.env, HELPDESK_CONFIG: path.join(dir, 'helpdesk.conf') },
    encoding: 'utf8',
  });
}

module.exports = { sql, q, conf, reindex };
