// A burst of more clients than workers: 512 connections held open against
// 2 workers per program, each asking for an agent's queue as fast as it
// can for 10 s (wrk). Every request must wait its turn and get its page:
// no socket error, no 502, nothing but 2xx. tests/run gives this a stack
// of its own (2 workers, nginx access log off).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFile } = require('node:child_process');
const { BASE } = require('../lib/client');
const { workspaceWithMembers } = require('../lib/fixtures');

const DIR = process.env.HD_STACK_DIR;
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS || 512);
const SECONDS = Number(process.env.LOAD_SECONDS || 10);

// wrk, with the file limit raised in its own shell: 512 connections need
// more descriptors than a default `ulimit -n` of 1024 leaves.
function wrk(url, cookie) {
  const script = 'ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"; '
    + 'exec wrk -t2 -c"$1" -d"$2"s --timeout 30s -H "Cookie: $3" "$4"';
  return new Promise((resolve, reject) => {
    execFile('bash', ['-c', script, 'wrk', String(CONNECTIONS), String(SECONDS), cookie, url],
      { timeout: (SECONDS + 60) * 1000 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`wrk failed: ${err.message}\n${stderr}`));
        else resolve(stdout);
      });
  });
}

test(`${CONNECTIONS} connections against 2 workers: every request waits its turn and gets its page`, async (t) => {
  const W = await workspaceWithMembers();
  for (let i = 0; i < 5; i++) {
    const r = await W.requester.submit(`/w/${W.slug}/tickets/new`, `/w/${W.slug}/tickets/new`, { subject: `Burst ${i}`, body: 'x' });
    assert.equal(r.status, 303);
  }
  const queue = `/w/${W.slug}/tickets`;
  const page = await W.agent.get(queue);
  assert.equal(page.status, 200);
  assert.match(page.body, /Burst 4/);

  const errorLog = DIR && path.join(DIR, 'nginx', 'logs', 'error.log');
  const logStart = errorLog && fs.existsSync(errorLog) ? fs.statSync(errorLog).size : 0;
  const out = await wrk(new URL(queue, BASE).href, W.agent.cookieHeader());
  t.diagnostic(out.replace(/\n/g, ' | '));
  const requests = Number((out.match(/(\d+) requests in/) || [])[1] || 0);
  assert.ok(requests > CONNECTIONS, `wrk made ${requests} requests:\n${out}`);
  assert.doesNotMatch(out, /Socket errors/, out);
  assert.doesNotMatch(out, /Non-2xx or 3xx responses/, out);
  if (errorLog && fs.existsSync(errorLog)) {
    const log = fs.readFileSync(errorLog, 'utf8').slice(logStart);
    assert.doesNotMatch(log, /Resource temporarily unavailable|worker_connections are not enough/, log.slice(0, 2000));
  }
});
