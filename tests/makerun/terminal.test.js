// The terminal of `make run` (issue 13): a person reads it, so it shows a
// line per step, the address, the demo sign-ins and errors; the request
// lines go to log/app.log. Runs the real `tools/stack run` (what `make
// run` calls after building) in a directory of its own (STACK_RUN_DIR),
// on free ports, without Postfix (STACK_MTA=off: tests/mail covers it),
// then kills a worker: its master's error line must reach the terminal.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const REPO = path.resolve(__dirname, '..', '..');
const STACK = path.join(REPO, 'tools', 'stack');
const BIN = path.resolve(REPO, process.env.HD_BIN || 'build/bin');

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// Resolves when fn() is true, polling; fails after ms.
async function until(what, fn, ms = 60000) {
  const deadline = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('make run: a line per step, the sign-ins, errors; request lines only in app.log', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdrun-'));
  const port = await freePort();
  const mailPort = await freePort();
  let out = '';
  let err = '';
  const child = spawn(STACK, ['run'], {
    env: {
      ...process.env, STACK_RUN_DIR: dir, PORT: String(port), MAIL_PORT: String(mailPort),
      STACK_MTA: 'off', STACK_BIN: BIN,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (b) => { out += b; });
  child.stderr.on('data', (b) => { err += b; });
  const exited = new Promise((r) => child.on('exit', r));
  t.after(async () => {
    spawnSync(STACK, ['stop-at', dir], { stdio: 'ignore' });
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  // The banner arrives in more than one write: wait for its last line.
  await until('the banner', () => out.includes("'make stop' stops it") || child.exitCode !== null);
  assert.match(out, new RegExp(`Helpdesk running at http://127\\.0\\.0\\.1:${port}/`), out + err);
  // One line per step, in order, each before the address.
  const steps = ['Starting MariaDB…', 'Applying migrations…', 'Loading demo data…',
    'Starting the programs…', 'Starting mail…', 'Starting nginx…'];
  const at = steps.map((s) => out.indexOf(`${s}\n`));
  for (let i = 0; i < steps.length; i++) assert.ok(at[i] >= 0, `no "${steps[i]}" line in:\n${out}`);
  assert.deepEqual([...at].sort((a, b) => a - b), at, 'steps out of order');
  // The demo's sign-ins (whatever tools/demo prints), whole.
  const demo = fs.readFileSync(path.join(dir, 'log', 'demo.txt'), 'utf8');
  assert.match(demo, /@/, `demo.txt: ${demo}`);
  assert.ok(out.includes(demo), `the demo's lines are not on the terminal:\n${out}`);
  assert.match(out, /log\/app\.log/, 'no line says where the request log is');

  const res = await fetch(`http://127.0.0.1:${port}/signin`);
  assert.equal(res.status, 200);
  await res.text();
  const log = path.join(dir, 'log', 'app.log');
  await until('the request line in app.log',
    () => /req GET \/signin 200/.test(fs.readFileSync(log, 'utf8')), 10000);
  assert.match(fs.readFileSync(log, 'utf8'), /info rid=- .*listening on/);
  assert.match(fs.readFileSync(log, 'utf8'), /info rid=- mail \d+ sent/, 'demo mail sent');
  // Nothing of the programs' chatter, nor the migrations' list, on the
  // terminal.
  const terminal = out + err;
  assert.doesNotMatch(terminal, / req GET /);
  assert.doesNotMatch(terminal, / info rid=/);
  assert.doesNotMatch(terminal, /^applied /m);
  assert.equal(err, '', `stderr before any error: ${err}`);

  // An error (a worker killed: its master logs at level error) reaches
  // the terminal, and app.log.
  const master = fs.readFileSync(path.join(dir, 'pids', 'tickets.pid'), 'utf8').trim();
  const workers = spawnSync('pgrep', ['-P', master], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  assert.ok(workers.length > 0, 'no worker of tickets');
  process.kill(Number(workers[0]), 'SIGKILL');
  await until('the error line on the terminal', () => /error rid=- worker \d+ killed by signal 9/.test(err), 10000);
  assert.match(fs.readFileSync(log, 'utf8'), /error rid=- worker \d+ killed by signal 9/);
});
