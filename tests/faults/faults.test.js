// Faults under a bounded load on loopback: the database going away and
// coming back, a worker killed mid-request, slow and oversized clients.
// Destructive: tests/run gives these a stack of their own.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { Client, BASE } = require('../lib/client');
const { workspaceWithMembers } = require('../lib/fixtures');
const { sql, q } = require('../lib/db');
const procs = require('../lib/procs');

const STACK = path.resolve(__dirname, '..', '..', 'tools', 'stack');
const DIR = process.env.HD_STACK_DIR;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let W;
test.before(async () => { W = await workspaceWithMembers(); });

// Runs fn in `n` parallel loops until stop() is called; gathers statuses.
function load(n, fn) {
  const statuses = [];
  let running = true;
  const loops = Array.from({ length: n }, async () => {
    // Bounded: at most 2,000 requests a loop, whatever happens.
    for (let i = 0; running && i < 2000; i++) {
      try {
        statuses.push((await fn(i)).status);
      } catch {
        statuses.push('error');
      }
    }
  });
  return { statuses, stop: async () => { running = false; await Promise.all(loops); } };
}

const count = (list, v) => list.filter((s) => s === v).length;

test('MariaDB stops: clear 503s, nothing spins or half-writes, and service returns by itself', async () => {
  const num = Number((await W.requester.submit(`/w/${W.slug}/tickets/new`, `/w/${W.slug}/tickets/new`, { subject: 'Fault ticket', body: 'x' })).headers.location.match(/(\d+)$/)[1]);
  const ticketPath = `/w/${W.slug}/tickets/${num}`;
  const readers = load(3, () => new Client().get('/healthz'));
  await sleep(200);

  execFileSync(STACK, ['db-stop', DIR]);
  const health = await new Client().get('/healthz');
  assert.equal(health.status, 503);
  const page = await W.agent.get(ticketPath);
  assert.equal(page.status, 503);
  assert.match(page.body, /database is not answering/);
  // A reply sent during the outage fails whole.
  await W.agent.get('/account');
  const reply = await W.agent.post(`${ticketPath}/comments`, { body: 'lost in the outage' });
  assert.equal(reply.status, 503);

  // Workers wait for requests; they do not spin while the database is away.
  const pids = procs.workers('tickets');
  const before = pids.map((p) => procs.stat(p).ticks);
  await sleep(1000);
  const used = pids.map((p, i) => procs.stat(p).ticks - before[i]);
  assert.ok(used.every((t) => t < 20), `CPU ticks in 1 s of outage: ${used}`);

  execFileSync(STACK, ['db-start', DIR]);
  const t0 = Date.now();
  let back = 0;
  while (Date.now() - t0 < 10000) {
    if ((await new Client().get('/healthz')).status === 200) { back = Date.now() - t0; break; }
    await sleep(100);
  }
  assert.ok(back > 0 || (await new Client().get('/healthz')).status === 200, 'healthz answers again within 10 s');
  assert.equal((await W.agent.get(ticketPath)).status, 200, 'pages work again without a restart');
  await readers.stop();
  const s = readers.statuses;
  assert.ok(s.length > 0);
  assert.deepEqual([...new Set(s)].filter((x) => x !== 200 && x !== 503), [], `only 200 and 503: ${[...new Set(s)]}`);
  assert.equal(sql(`SELECT COUNT(*) FROM comments WHERE body = 'lost in the outage'`)[0][0], '0');
  // Every program is still the one that was started.
  for (const p of ['auth', 'tickets', 'health', 'workspaces']) assert.ok(procs.alive(procs.supervisor(p)), p);
});

test('a worker killed mid-request: only that request fails, it is replaced, nothing else is lost', async () => {
  const num = Number((await W.requester.submit(`/w/${W.slug}/tickets/new`, `/w/${W.slug}/tickets/new`, { subject: 'Kill ticket', body: 'x' })).headers.location.match(/(\d+)$/)[1]);
  const ticketPath = `/w/${W.slug}/tickets/${num}`;
  // Replies from several agents' sessions at once, each with its own token.
  const writers = await Promise.all([0, 1, 2].map(async () => {
    const c = new Client();
    c.jar = new Map(W.agent.jar);
    await c.get(ticketPath);
    return { c, token: c.csrf() };
  }));
  const load1 = load(3, async (i) => {
    const w = writers[i % 3];
    return w.c.post(`${ticketPath}/comments`, { csrf: w.token, body: `load reply ${i}` });
  });
  await sleep(300);
  const victims = procs.workers('tickets');
  assert.equal(victims.length, 2);
  process.kill(victims[0], 'SIGKILL');
  await sleep(700);
  await load1.stop();

  const s = load1.statuses;
  const ok = count(s, 303);
  assert.ok(count(s, 502) + count(s, 'error') <= 1, `failures: ${s.filter((x) => x !== 303)}`);
  assert.deepEqual([...new Set(s)].filter((x) => ![303, 502, 'error'].includes(x)), []);
  // Every reply that was answered 303 is stored, once; none other is.
  const stored = Number(sql(`SELECT COUNT(*) FROM comments c JOIN tickets t ON t.id = c.ticket_id JOIN workspaces w ON w.id = t.workspace_id WHERE w.slug = ${q(W.slug)} AND t.number = ${num}`)[0][0]);
  assert.ok(stored === ok || stored === ok + 1, `stored ${stored}, answered ${ok}`);
  // The supervisor replaced the worker.
  const now = procs.workers('tickets');
  assert.equal(now.length, 2);
  assert.ok(!now.includes(victims[0]));
  assert.equal((await W.agent.get(ticketPath)).status, 200);
});

// A raw TCP client to nginx.
function connect() {
  const { port } = new URL(BASE);
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port: Number(port) }, () => resolve(s));
    s.on('error', reject);
  });
}

test('slow clients and huge headers do not tie up workers', async () => {
  // 40 clients that send half a request line and then nothing.
  const slow = await Promise.all(Array.from({ length: 40 }, async () => {
    const s = await connect();
    s.write('GET /w/x/tickets HTTP/1.1\r\nHost: a\r\nX-Slow: ');
    return s;
  }));
  // 10 that promise a body and send a byte of it.
  const dribble = await Promise.all(Array.from({ length: 10 }, async () => {
    const s = await connect();
    s.write('POST /signin HTTP/1.1\r\nHost: a\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\na');
    return s;
  }));
  // Meanwhile every program answers at once.
  const t0 = Date.now();
  for (let i = 0; i < 20; i++) {
    const r = await new Client().get(i % 2 ? '/healthz' : '/signin');
    assert.equal(r.status, 200);
  }
  assert.ok(Date.now() - t0 < 5000, `20 requests took ${Date.now() - t0} ms`);
  // A header far over the limit is refused by nginx, without a worker.
  const huge = await new Client().get('/signin', { headers: { cookie: `x=${'a'.repeat(64 * 1024)}` } });
  assert.ok([400, 431, 494].includes(huge.status), `status ${huge.status}`);
  for (const s of [...slow, ...dribble]) s.destroy();
});
