// Memory of the FastCGI workers under a large attachment: a 20 MB file
// uploaded through nginx to the tickets program and downloaded from the
// attachments program must not raise any worker's peak resident set
// (VmHWM) near the file's size. The body is spooled to a temp file and
// parsed in place, the blob goes to the database in chunks and comes back
// chunk by chunk, so a worker holds about a megabyte of it at a time.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const { sql, q } = require('../lib/db');
const { workspaceWithMembers } = require('../lib/fixtures');
const { workers, memory } = require('../lib/procs');

const MB = 1024 * 1024;
const FILE_SIZE = 20 * MB;
const HWM_LIMIT_KB = 16 * 1024;

// The sanitizer build's shadow memory and quarantine are not the program's.
function sanitized(pid) {
  try {
    return /libasan|libubsan/.test(fs.readFileSync(`/proc/${pid}/maps`, 'utf8'));
  } catch {
    return false;
  }
}

test('a 20 MB upload and download keep every worker under 16 MB resident', async (t) => {
  const pids = [...workers('tickets'), ...workers('attachments')];
  assert.ok(workers('tickets').length > 0 && workers('attachments').length > 0,
    'the workers of tickets and attachments');
  if (pids.some(sanitized)) {
    t.skip('a sanitizer build');
    return;
  }

  const w = await workspaceWithMembers();
  const c = w.requester;
  const data = crypto.randomBytes(FILE_SIZE);
  await c.get(`/w/${w.slug}/tickets/new`);
  const res = await c.postMultipart(`/w/${w.slug}/tickets/new`,
    { subject: 'A large file', body: 'Twenty megabytes.' },
    [{ name: 'files', filename: 'large.bin', data }]);
  assert.equal(res.status, 303, `ticket created (got ${res.status})`);
  const num = res.headers.location.match(/\/tickets\/(\d+)$/)[1];
  const [[id]] = sql(`SELECT a.id FROM attachments a
                      JOIN tickets t ON t.id = a.ticket_id
                      JOIN workspaces s ON s.id = t.workspace_id
                      WHERE s.slug = ${q(w.slug)} AND t.number = ${num}`);
  const down = await c.get(`/w/${w.slug}/attachments/${id}`);
  assert.equal(down.status, 200);
  assert.equal(down.raw.length, FILE_SIZE);
  assert.ok(down.raw.equals(data), 'same bytes');

  // The same workers: one that died and was replaced would hide a peak.
  const now = [...workers('tickets'), ...workers('attachments')];
  assert.deepEqual(now, pids, 'no worker was restarted');
  const peaks = pids.map((pid) => [pid, memory(pid).hwm, memory(pid).rss]);
  t.diagnostic(`workers (pid, VmHWM kB, VmRSS kB): ${JSON.stringify(peaks)}`);
  const max = Math.max(...peaks.map(([, hwm]) => hwm));
  assert.ok(max > 0, 'read the workers\' status');
  assert.ok(max < HWM_LIMIT_KB, `a worker peaked at ${max} kB (limit ${HWM_LIMIT_KB} kB)`);
});

test('sign-ins give argon2 memory back: auth workers stay under 10 MB resident', async (t) => {
  const { Client, signUp } = require('../lib/client');
  const pids = workers('auth');
  if (pids.some(sanitized)) {
    t.skip('a sanitizer build');
    return;
  }
  const { email, password } = await signUp(new Client());
  for (let i = 0; i < 6; i++) {
    const r = await new Client().submit('/signin', '/signin', { email, password });
    assert.equal(r.status, 303);
  }
  for (const pid of workers('auth')) {
    const m = memory(pid);
    assert.ok(m.rss < 10 * 1024, `auth worker ${pid}: VmRSS ${m.rss} kB (peak ${m.hwm} kB)`);
  }
});

// Issue 7, item 9: a 45 MB text field to /healthz, signed out, got its
// 413 only after the worker had copied it whole (peak 4.8 -> 97 MB). Plain
// fields share the urlencoded limit (max_form, 1 MB), checked while the
// parser looks for each one's end, before anything is copied.
test('text fields past max_form are refused (413) while parsed: no worker copies them', async (t) => {
  const { Client } = require('../lib/client');
  const pids = workers('health');
  assert.ok(pids.length > 0, 'the workers of health');
  if (pids.some(sanitized)) {
    t.skip('a sanitizer build');
    return;
  }
  const peak = (what) => {
    assert.deepEqual(workers('health'), pids, 'no worker was restarted');
    const peaks = pids.map((pid) => [pid, memory(pid).hwm]);
    t.diagnostic(`after ${what}: health workers (pid, VmHWM kB): ${JSON.stringify(peaks)}`);
    const max = Math.max(...peaks.map(([, hwm]) => hwm));
    assert.ok(max > 0, 'read the workers\' status');
    assert.ok(max < HWM_LIMIT_KB, `after ${what}, a worker peaked at ${max} kB (limit ${HWM_LIMIT_KB} kB)`);
  };
  const c = new Client();
  const one = await c.postMultipart('/healthz', { note: 'x'.repeat(45 * MB) });
  assert.equal(one.status, 413, 'one 45 MB field');
  peak('one 45 MB field');
  // Forty fields of just under a megabyte each: none alone passes the
  // limit, together they do.
  const many = {};
  for (let i = 0; i < 40; i++) many[`f${i}`] = 'y'.repeat(MB - 1024);
  const all = await c.postMultipart('/healthz', many);
  assert.equal(all.status, 413, 'forty fields of 1 MB');
  peak('forty fields of 1 MB');
});
