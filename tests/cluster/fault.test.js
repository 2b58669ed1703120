// The fault test under load: writers create tickets and replies through
// the front nginx, which spreads them over both app nodes, while database
// node 2 (app node B's first) and then app node A are killed with SIGKILL
// and later started again. Afterwards every write that got a success
// answer is stored exactly once, every failure was a clean error page (503
// from the app, or 502 from nginx for a request the killed app node was
// serving), nothing is stored twice, the ticket numbers have no gap, and
// the cluster and both app nodes are whole again without anything else
// restarted (node 2 rejoined by IST).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { Client, signUp } = require('../lib/client');
const { uniqueSlug } = require('../lib/fixtures');
const { node, front, cluster, syncedSql, DIR } = require('./lib');

const RUN_MS = 16000;
const WRITERS = 6;
const sleep = (ms) => new Promise((r) => { setTimeout(r, ms); });

async function sizes() {
  const out = [];
  for (const n of [1, 2, 3]) out.push(await cluster('size', n));
  return out;
}

test('writes under load while a database node and an app node are killed', async () => {
  for (const n of [1, 2, 3]) if ((await cluster('size', n)) === '') await cluster('db-start', n);
  assert.deepEqual(await sizes(), ['3', '3', '3']);

  const owner = new Client({ base: front(), stackDir: DIR });
  await signUp(owner);
  const slug = uniqueSlug('ft');
  assert.equal((await owner.submit('/workspaces', '/workspaces', { name: `Fault ${slug}`, slug })).status, 303);

  const answers = [];
  const t0 = Date.now();
  const at = () => Date.now() - t0;
  const writer = async (w) => {
    const c = new Client({ base: front(), stackDir: DIR });
    c.jar = new Map(owner.jar);
    const mine = [];
    for (let i = 0; at() < RUN_MS; i++) {
      const reply = mine.length > 0 && i % 3 === 2;
      const tag = `${slug}-w${w}-${i}`;
      const form = reply ? `/w/${slug}/tickets/${mine[i % mine.length]}` : `/w/${slug}/tickets/new`;
      const action = reply ? `${form}/comments` : form;
      let page;
      try {
        page = await c.get(form);
      } catch (e) {
        answers.push({ kind: 'get', tag, status: `error ${e.code}`, t: at() });
        await sleep(100);
        continue;
      }
      if (page.status !== 200) {
        answers.push({ kind: 'get', tag, status: page.status, t: at() });
        await sleep(100);
        continue;
      }
      const fields = reply ? { body: tag } : { subject: tag, body: 'Written under load.' };
      let res;
      try {
        res = await c.post(action, fields);
      } catch (e) {
        res = { status: `error ${e.code}`, headers: {} };
      }
      const m = (res.headers.location || '').match(/\/tickets\/(\d+)$/);
      answers.push({ kind: reply ? 'reply' : 'ticket', tag, status: res.status, num: m ? Number(m[1]) : null, t: at() });
      if (res.status === 303 && !reply) mine.push(m[1]);
      if (res.status !== 303) await sleep(100);
    }
  };
  const faults = (async () => {
    await sleep(3000);
    await cluster('db-kill', 2);
    console.log(`# ${at()} ms: database node 2 killed`);
    await sleep(2000);
    await cluster('app-kill', 1);
    console.log(`# ${at()} ms: app node A killed`);
    await sleep(4000);
    await cluster('app-start', 1);
    console.log(`# ${at()} ms: app node A started`);
    await cluster('db-start', 2);
    console.log(`# ${at()} ms: database node 2 back (IST)`);
  })();
  await Promise.all([faults, ...Array.from({ length: WRITERS }, (_, w) => writer(w))]);

  const writes = answers.filter((a) => a.kind !== 'get');
  const ok = writes.filter((a) => a.status === 303);
  const failed = answers.filter((a) => a.status !== 303 && a.status !== 200);
  const byStatus = {};
  for (const a of answers) byStatus[`${a.kind} ${a.status}`] = (byStatus[`${a.kind} ${a.status}`] || 0) + 1;
  console.log(`# ${writes.length} writes, ${ok.length} succeeded; ${JSON.stringify(byStatus)}`);

  // Every failure is an error page of ours: 503 from the app, 502 from
  // nginx (the app node died under the request).
  assert.deepEqual(failed.filter((a) => a.status !== 503 && a.status !== 502), [], 'only clean 502/503 failures');
  const pages = answers.filter((a) => a.status === 502 || a.status === 503).length;
  assert.ok(ok.length > 50, `writes went on (${ok.length})`);
  assert.ok(ok.some((a) => a.t > 10000), 'writes succeeded after the faults');

  // What is stored: each tag at most once; each success exactly once.
  const tickets = syncedSql(`SELECT t.subject, t.number FROM tickets t JOIN workspaces w ON w.id = t.workspace_id
    WHERE w.slug = '${slug}'`);
  const comments = syncedSql(`SELECT c.body FROM comments c JOIN workspaces w ON w.id = c.workspace_id
    WHERE w.slug = '${slug}' AND c.body LIKE '${slug}-w%'`);
  const count = new Map();
  for (const [subject] of tickets) count.set(subject, (count.get(subject) || 0) + 1);
  for (const [body] of comments) count.set(body, (count.get(body) || 0) + 1);
  assert.deepEqual([...count].filter(([, n]) => n > 1), [], 'nothing stored twice');
  assert.deepEqual(ok.filter((a) => count.get(a.tag) !== 1).map((a) => a.tag), [], 'every success stored once');
  const tagged = new Set(writes.map((a) => a.tag));
  assert.deepEqual([...count.keys()].filter((k) => k.startsWith(`${slug}-w`) && !tagged.has(k)), []);
  // A success's number is the stored one; numbers run 1..N with no gap.
  const numberOf = new Map(tickets.map(([s, n]) => [s, Number(n)]));
  for (const a of ok.filter((x) => x.kind === 'ticket')) assert.equal(numberOf.get(a.tag), a.num, a.tag);
  const nums = tickets.map(([, n]) => Number(n)).sort((x, y) => x - y);
  assert.deepEqual(nums, Array.from({ length: nums.length }, (_, i) => i + 1), 'ticket numbers 1..N');
  console.log(`# stored: ${tickets.length} tickets, ${comments.length} replies; ${pages} error pages`);
  // No audit row without its ticket: nothing of a lost transaction
  // committed on its own.
  const orphans = syncedSql(`SELECT a.object_id FROM audit_log a JOIN workspaces w ON w.id = a.workspace_id
    LEFT JOIN tickets t ON t.id = a.object_id WHERE w.slug = '${slug}' AND a.action = 'ticket.create' AND t.id IS NULL`);
  // (Galera rolled transactions back between two statements, silently;
  // db.c now sees it in the status of the next PREPARE's answer. Before,
  // the statement after ran on its own and committed.)
  assert.deepEqual(orphans, [], 'no audit row without its ticket');

  // Whole again: three nodes, node 2 by IST, both app nodes writing.
  assert.deepEqual(await sizes(), ['3', '3', '3']);
  const log = fs.readFileSync(path.join(DIR, 'db2', 'mariadb.log'), 'utf8');
  assert.match(log.slice(log.lastIndexOf('WSREP: Found saved state')), /rsync IST completed on joiner/);
  for (const k of [1, 2]) {
    const c = new Client({ base: node(k), stackDir: DIR });
    c.jar = new Map(owner.jar);
    const res = await c.submit(`/w/${slug}/tickets/new`, `/w/${slug}/tickets/new`, { subject: `after, node ${k}`, body: 'x' });
    assert.equal(res.status, 303, `app node ${k} writes after the faults`);
  }
});
