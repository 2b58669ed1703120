// Notice of change (issue 10): when the operator changes policy_version,
// every signed-in person sees a notice linking the new text once, on
// their next page, and that they saw it is recorded (who, which version,
// when); a person who signs up under the new version never sees it. The
// version is the programs' configuration, so this runs on a private
// stack that is started again with another version, keeping its data.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { execFile } = require('node:child_process');
const { promisify } = require('node:util');
const { Client, signUp, uniqueEmail } = require('../lib/client');
const { sql, q } = require('../lib/db');
const { startStack, stackDir } = require('../lib/stack');

const run = promisify(execFile);
const STACK = path.resolve(__dirname, '..', '..', 'tools', 'stack');
const OLD = '2026-01-16';
const NEW = '2026-12-01';
const NOTICE = /We updated our <a href="\/privacy">privacy policy<\/a> and <a href="\/terms">terms<\/a> \(version 2026-12-01\)/;

const dir = stackDir();
let stack;

test.after(async () => {
  const crashes = stack ? await stack.stop() : [];
  assert.deepEqual(crashes, [], `the private stack (${dir}) logged a crash`);
});

const Q = (s) => sql(s, dir);

test('a new policy_version: each signed-in person sees the notice once, recorded; a new sign-up never', async () => {
  stack = await startStack(dir, { env: { HELPDESK_POLICY_VERSION: OLD } });
  const before = new Client({ base: stack.base });
  const { res, email } = await signUp(before, { name: 'Early Bird', email: uniqueEmail('notice') });
  assert.equal(res.status, 303);
  const id = Q(`SELECT id FROM users WHERE email = ${q(email)}`)[0][0];
  assert.doesNotMatch((await before.get('/workspaces')).body, /We updated our/, 'nothing new yet');

  // The operator changes the version: the programs start again with it.
  await run(STACK, ['stop-at', dir]);
  stack = await startStack(dir, { env: { HELPDESK_POLICY_VERSION: NEW } });
  before.base = stack.base;

  const first = await before.get('/workspaces');
  assert.equal(first.status, 200, 'still signed in');
  assert.match(first.body, NOTICE);
  assert.match((await before.get('/privacy')).body, /Version 2026-12-01/, 'the link shows the new text');
  assert.doesNotMatch((await before.get('/workspaces')).body, /We updated our/, 'only once');
  assert.doesNotMatch((await before.get('/account')).body, /We updated our/, 'only once');

  const rows = Q(`SELECT version, how, created_at >= UTC_TIMESTAMP() - INTERVAL 5 MINUTE FROM policy_acks WHERE user_id = ${id} ORDER BY version`);
  assert.deepEqual(rows, [[OLD, 'signup', '1'], [NEW, 'notice', '1']]);
  assert.equal(Q(`SELECT COUNT(*) FROM audit_log WHERE actor_id = ${id} AND action = 'user.policy_notice'`)[0][0], '1');

  // Someone who signs up under the new version accepted it: no notice.
  const fresh = new Client({ base: stack.base });
  const made = await signUp(fresh, { name: 'Late Comer', email: uniqueEmail('notice') });
  assert.equal(made.res.status, 303);
  for (const p of ['/workspaces', '/account', '/account/privacy']) {
    assert.doesNotMatch((await fresh.get(p)).body, /We updated our/, p);
  }
  const fid = Q(`SELECT id FROM users WHERE email = ${q(made.email)}`)[0][0];
  assert.deepEqual(Q(`SELECT version, how FROM policy_acks WHERE user_id = ${fid}`), [[NEW, 'signup']]);

  // A visitor who is not signed in is never told.
  assert.doesNotMatch((await new Client({ base: stack.base }).get('/signin')).body, /We updated our/);
});
