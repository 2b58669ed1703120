// Outgoing mail in tests: a real SMTP server on loopback (tests/lib/
// smtpd.py, Debian's aiosmtpd), the real mailer (build/bin/mailer) and
// the real outbox_add (build/tests/outbox_add), each against a test's
// own stack; received messages parsed with Python's email package.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, execFile } = require('node:child_process');

const REPO = path.resolve(__dirname, '..', '..');
const PY = '/usr/bin/python3';
const BIN = path.resolve(REPO, process.env.HD_BIN || path.join('build', 'bin'));
const TESTS = path.join(path.dirname(BIN), 'tests');

// Runs a program; resolves { code, stdout, stderr } whatever the exit.
function run(cmd, args, { env = {}, timeout = 60000 } = {}) {
  return new Promise((resolve) => {
    execFile(cmd, args, { env: { ...process.env, ...env }, timeout, maxBuffer: 1 << 24 },
      (err, stdout, stderr) => {
        resolve({ code: err ? (err.code ?? err.signal) : 0, stdout, stderr });
      });
  });
}

// Starts smtpd.py with opts { tls: [cert, key], auth: 'u:p', delay, refuse,
// port }; resolves { port, dir, messages(), stop() }.
function startSmtpd(opts = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdsmtp.'));
  const args = [path.join(__dirname, 'smtpd.py'), '--dir', dir];
  if (opts.port) args.push('--port', String(opts.port));
  if (opts.tls) args.push('--tls', ...opts.tls);
  if (opts.auth) args.push('--auth', opts.auth);
  if (opts.delay) args.push('--delay', String(opts.delay));
  if (opts.refuse) args.push('--refuse', String(opts.refuse));
  const child = spawn(PY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/ready (\d+)/);
      if (m) resolve(server(child, Number(m[1]), dir));
    });
    child.on('exit', (code) => reject(new Error(`smtpd exited ${code}: ${err}`)));
  });
}

function server(child, port, dir) {
  return {
    port,
    dir,
    // Every message received so far: { file, raw (Buffer), meta }.
    messages() {
      return fs.readdirSync(dir).filter((f) => f.endsWith('.eml')).sort().map((f) => ({
        file: path.join(dir, f),
        raw: fs.readFileSync(path.join(dir, f)),
        meta: JSON.parse(fs.readFileSync(path.join(dir, f.replace(/\.eml$/, '.json')), 'utf8')),
      }));
    },
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}

// The stack's config with lines added (later keys win), as a new file.
function mailConf(stackDir, lines = {}) {
  const base = fs.readFileSync(path.join(stackDir, 'helpdesk.conf'), 'utf8');
  const f = path.join(stackDir, `mailer-${process.pid}-${Math.random().toString(16).slice(2)}.conf`);
  const extra = Object.entries(lines).map(([k, v]) => `${k} = ${v}`).join('\n');
  fs.writeFileSync(f, `${base}\n${extra}\n`, { mode: 0o600 });
  return f;
}

function mailer(conf, args = ['--once'], env = {}) {
  return run(path.join(BIN, 'mailer'), args, { env: { HELPDESK_CONFIG: conf, ...env } });
}

// A long-running mailer: the child process.
function mailerProcess(conf) {
  const child = spawn(path.join(BIN, 'mailer'), [], {
    env: { ...process.env, HELPDESK_CONFIG: conf }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.log = '';
  child.stderr.on('data', (d) => { child.log += d; });
  child.exited = new Promise((resolve) => child.on('exit', (code, sig) => resolve({ code, sig })));
  return child;
}

// outbox_add through the real model: { kind, ws, ticket, to, name,
// subject, text, html, count, rollback, env }.
function enqueue(conf, m) {
  const args = [];
  if (m.count) args.push('--count', String(m.count));
  if (m.rollback) args.push('--rollback');
  args.push(m.kind || 'test.mail', String(m.ws || 0), String(m.ticket || 0),
    m.to || 'ann@example.org', m.name ?? 'Ann', m.subject ?? 'Hello',
    m.text ?? 'Hello.\n', m.html ?? '<p>Hello.</p>\n');
  return run(path.join(TESTS, 'outbox_add'), args, { env: { HELPDESK_CONFIG: conf, ...(m.env || {}) } });
}

// Parses one message file with Python's email package.
async function parse(file) {
  const r = await run(PY, [path.join(__dirname, 'mailparse.py'), file]);
  if (r.code !== 0) throw new Error(`mailparse: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// Waits until fn() is true (polling), or fails after ms.
async function until(fn, ms = 10000, what = 'condition') {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

module.exports = { startSmtpd, mailConf, mailer, mailerProcess, enqueue, parse, until, run };
