// The stack's processes, read from /proc: a program's supervisor (its pid
// file) and its workers (the supervisor's children), with CPU and memory.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const DIR = process.env.HD_STACK_DIR;

function supervisor(program) {
  return Number(fs.readFileSync(path.join(DIR, 'pids', `${program}.pid`), 'utf8').trim());
}

function stat(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { state: f[0], ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };
  } catch {
    return null;
  }
}

function alive(pid) {
  const s = stat(pid);
  return s !== null && s.state !== 'Z';
}

function children(pid) {
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number)
    .filter((p) => { const s = stat(p); return s && s.ppid === pid && s.state !== 'Z'; });
}

function workers(program) {
  return children(supervisor(program));
}

// Peak and current resident memory of pid, in KiB.
function memory(pid) {
  const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number((s.match(new RegExp(`^${k}:\\s+(\\d+)`, 'm')) || [0, 0])[1]);
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

module.exports = { supervisor, workers, alive, stat, memory };
