// A private stack for a test that needs one of its own: one worker per
// program (so a test knows which process served it), or the programs'
// database traffic through a proxy (HELPDESK_DB_SOCKET in env). Started
// with tools/stack under a short /tmp directory; stop() stops it and
// returns the crash lines of its programs' log (tests/run does not watch
// this stack).
'use strict';
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { execFile } = require('node:child_process');
const { promisify } = require('node:util');

const run = promisify(execFile);
const REPO = path.resolve(__dirname, '..', '..');
const STACK = path.join(REPO, 'tools', 'stack');
const CRASH = /AddressSanitizer|LeakSanitizer|runtime error|killed by signal/;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// A directory for a stack; its path is short enough for unix sockets.
function stackDir() {
  return fs.mkdtempSync('/tmp/hdp.');
}

// Starts the stack in dir (stackDir()); workers per program; env is
// added to the programs' environment.
async function startStack(dir, { workers = 1, env = {} } = {}) {
  const port = await freePort();
  await run(STACK, ['start', dir, String(port)], {
    env: {
      ...process.env,
      STACK_BIN: process.env.HD_BIN || 'build/bin',
      STACK_WORKERS: String(workers),
      ...env,
    },
  });
  const log = path.join(dir, 'log', 'app.log');
  return {
    dir,
    base: `http://127.0.0.1:${port}`,
    // The pids of a program's workers (children of its supervisor).
    workers(program) {
      const sup = fs.readFileSync(path.join(dir, 'pids', `${program}.pid`), 'utf8').trim();
      return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((p) => {
        try {
          const s = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
          const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
          return f[1] === sup && f[0] !== 'Z';
        } catch {
          return false;
        }
      }).map(Number);
    },
    crashes() {
      const text = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '';
      return text.split('\n').filter((l) => CRASH.test(l));
    },
    async stop() {
      await run(STACK, ['stop-at', dir]);
      const crashes = this.crashes();
      if (crashes.length === 0) fs.rmSync(dir, { recursive: true, force: true });
      return crashes;
    },
  };
}

module.exports = { startStack, stackDir };
